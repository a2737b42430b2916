package slack

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"

	"leadwire/bot"
	"leadwire/internal/lang"
)

// The lost-reason modal: the Lost button opens it (views.open with the
// press's trigger_id); submitting it loses the deal and updates the card
// the button was on.
const (
	lostCallback = "lost"
	reasonBlock  = "reason"
	customBlock  = "custom"
)

// lostOrigin is where the Lost button was pressed, carried in the modal's
// private_metadata so that the submission can update that message.
type lostOrigin struct {
	Ref       string `json:"ref"`
	Channel   string `json:"channel,omitempty"`
	TS        string `json:"ts,omitempty"`
	Ephemeral bool   `json:"ephemeral,omitempty"`
	URL       string `json:"url,omitempty"`
}

// isAskLost tells the Lost button, which asks for a reason ("lost:D45"),
// from a chosen reason ("lost:D45:price").
func isAskLost(code string) bool {
	return strings.HasPrefix(code, "lost:") && strings.Count(code, ":") == 1
}

// menuCard is the card of a reply that asks for a choice.
func menuCard(r bot.Reply) *bot.Card {
	for i := range r.Cards {
		if r.Cards[i].Menu != nil && len(r.Cards[i].Menu.Options) > 0 {
			return &r.Cards[i]
		}
	}
	return nil
}

// LostModal is the modal asking why a deal was lost: the configured
// reasons as a select, and a text input for one's own words, in the
// language of lang (a Reply's Lang).
func LostModal(card *bot.Card, metadata, language string) slack.ModalViewRequest {
	p := lang.Default().For(language)
	sel := selectMenu(p, card.Menu)
	sel.ActionID = reasonBlock
	reason := slack.NewInputBlock(reasonBlock, plain(p.T("lost.modal.reason")), nil, sel)
	reason.Optional = true
	input := slack.NewPlainTextInputBlockElement(plain(p.T("lost.modal.placeholder")), customBlock)
	input.MaxLength = 200
	custom := slack.NewInputBlock(customBlock, plain(p.T("lost.modal.own")), nil, input)
	custom.Optional = true
	title := card.Menu.Title
	if title == "" {
		title = p.T("lost.why", "Ref", card.Ref)
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      lostCallback,
		Title:           plain(clip(p.T("lost.modal.title", "Ref", card.Ref), 24)),
		Submit:          plain(clip(p.T("lost.modal.submit"), 24)),
		Close:           plain(clip(p.T("lost.modal.cancel"), 24)),
		PrivateMetadata: metadata,
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(mrkdwn(escape(clip(card.Title, 200))+"\n"+escape(title)), nil, nil, slack.SectionBlockOptionBlockID("about")),
			reason, custom,
		}},
	}
}

func (a *Adapter) openLost(ctx context.Context, cb *slack.InteractionCallback, card *bot.Card, language string) error {
	origin := lostOrigin{Ref: card.Ref, Channel: cb.Container.ChannelID, TS: cb.Container.MessageTs,
		Ephemeral: cb.Container.IsEphemeral || cb.Container.Type != "message", URL: cb.ResponseURL}
	meta, err := json.Marshal(origin)
	if err != nil {
		return err
	}
	if len(meta) > 3000 { // Slack's limit on private_metadata
		origin.URL = ""
		meta, _ = json.Marshal(origin)
	}
	_, err = a.api.OpenViewContext(ctx, cb.TriggerID, LostModal(card, string(meta), language))
	return err
}

// viewSubmission handles the lost and Qualify modals. It returns the response that
// keeps the modal open with an error, or nil to close it.
func (a *Adapter) viewSubmission(ctx context.Context, cb *slack.InteractionCallback) any {
	if cb.View.CallbackID == replyCallback {
		return a.replySubmission(ctx, cb)
	}
	if cb.View.CallbackID == qualifyCallback {
		return a.qualifySubmission(ctx, cb)
	}
	if cb.View.CallbackID != lostCallback {
		return nil
	}
	var origin lostOrigin
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &origin); err != nil || origin.Ref == "" {
		return nil
	}
	var chosen, own string
	if st := cb.View.State; st != nil {
		chosen = st.Values[reasonBlock][reasonBlock].SelectedOption.Value
		own = strings.TrimSpace(st.Values[customBlock][customBlock].Value)
	}
	var reply bot.Reply
	u, _ := a.user(ctx, cb.User.ID)
	switch {
	case own != "":
		reply = a.handle(ctx, cb.User.ID, "lost "+origin.Ref+" "+own)
	case strings.HasPrefix(chosen, "lost:"+origin.Ref+":"):
		reply = a.press(ctx, cb.User.ID, chosen)
	default:
		return map[string]any{"response_action": "errors",
			"errors": map[string]string{reasonBlock: a.conv.Printer(u, "").T("lost.modal.pick")}}
	}
	if reply.Tone == bot.ToneGood {
		reply.Update = true
	}
	// The submission itself has no message: answer where the button was.
	from := *cb
	from.Container = slack.Container{Type: "message", ChannelID: origin.Channel, MessageTs: origin.TS, IsEphemeral: origin.Ephemeral}
	from.ResponseURL = origin.URL
	a.deliver(ctx, &from, reply)
	return nil
}
