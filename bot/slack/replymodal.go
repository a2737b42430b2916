package slack

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/internal/lang"
)

// The reply modal: the Reply button of a prospect's notice opens it
// (views.open with the press's trigger_id); submitting it sends the text
// to the prospect as "reply L123 TEXT" typed by the presser would.
const (
	replyCallback = "reply"
	answerBlock   = "answer"
)

// replyOrigin is what the modal's private_metadata carries: the command
// the text completes.
type replyOrigin struct {
	Command string `json:"command"`
	Lang    string `json:"lang,omitempty"`
}

// ReplyModal is the modal asking for the answer to a prospect, in the
// language of language (a Reply's Lang).
func ReplyModal(ask *bot.Ask, metadata, language string) slack.ModalViewRequest {
	p := lang.Default().For(language)
	input := slack.NewPlainTextInputBlockElement(nil, answerBlock)
	input.Multiline = true
	input.MaxLength = core.MaxChatReply
	answer := slack.NewInputBlock(answerBlock, plain(p.T("reply.modal.label")), nil, input)
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      replyCallback,
		Title:           plain(clip(ask.Title, 24)),
		Submit:          plain(clip(p.T("reply.modal.submit"), 24)),
		Close:           plain(clip(p.T("reply.modal.cancel"), 24)),
		PrivateMetadata: metadata,
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(mrkdwn(escape(clip(ask.Prompt, 300))), nil, nil, slack.SectionBlockOptionBlockID("about")),
			answer,
		}},
	}
}

// openReply opens the reply modal for a press's Ask.
func (a *Adapter) openReply(ctx context.Context, cb *slack.InteractionCallback, reply bot.Reply) error {
	meta, err := json.Marshal(replyOrigin{Command: reply.Ask.Command, Lang: reply.Lang})
	if err != nil {
		return err
	}
	_, err = a.api.OpenViewContext(ctx, cb.TriggerID, ReplyModal(reply.Ask, string(meta), reply.Lang))
	return err
}

// replySubmission sends the reply modal's text. It returns the response
// that keeps the modal open with an error (nothing written), or nil to
// close it; the outcome goes to the presser in a DM.
func (a *Adapter) replySubmission(ctx context.Context, cb *slack.InteractionCallback) any {
	var origin replyOrigin
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &origin); err != nil || origin.Command == "" {
		return nil
	}
	var text string
	if st := cb.View.State; st != nil {
		text = strings.TrimSpace(st.Values[answerBlock][answerBlock].Value)
	}
	if text == "" {
		return map[string]any{"response_action": "errors",
			"errors": map[string]string{answerBlock: lang.Default().For(origin.Lang).T("reply.modal.empty")}}
	}
	reply := a.handle(ctx, cb.User.ID, origin.Command+" "+text)
	m := toMessage(reply)
	m.ResponseType = "ephemeral"
	if err := a.answerLater(ctx, "", cb.User.ID, m); err != nil {
		a.log.Warn("slack reply answer failed", "err", err)
	}
	return nil
}
