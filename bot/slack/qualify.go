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

// The Qualify modal: the Qualify button on a lead card opens it
// (views.open with the press's trigger_id) to ask for the deal's value
// and the BANT answers; submitting it qualifies the lead and updates the
// card the button was on. Without a trigger (or when views.open fails),
// the button qualifies at once, as in Telegram.
const (
	qualifyCallback = "qualify"
	valueBlock      = "value"
)

// isAskQualify tells the lead card's Qualify button ("qualify:L12").
func isAskQualify(code string) bool {
	return strings.HasPrefix(code, "qualify:") && strings.Count(code, ":") == 1
}

// QualifyModal asks for a lead's deal value and its budget, authority,
// need and timeline, all optional, in the language of lang.
func QualifyModal(card *bot.Card, metadata, language string) slack.ModalViewRequest {
	p := lang.Default().For(language)
	input := func(block, label, placeholder string) *slack.InputBlock {
		el := slack.NewPlainTextInputBlockElement(nil, block)
		if placeholder != "" {
			el.Placeholder = plain(placeholder)
		}
		el.MaxLength = core.MaxQualification
		b := slack.NewInputBlock(block, plain(label), nil, el)
		b.Optional = true
		return b
	}
	blocks := []slack.Block{
		slack.NewSectionBlock(mrkdwn(escape(clip(card.Title, 200))), nil, nil, slack.SectionBlockOptionBlockID("about")),
		input(valueBlock, p.T("qualify.modal.value"), p.T("qualify.modal.value_placeholder")),
	}
	for _, f := range []string{"budget", "authority", "need", "timeline"} {
		blocks = append(blocks, input(f, p.T("field."+f), ""))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      qualifyCallback,
		Title:           plain(clip(p.T("qualify.modal.title", "Ref", card.Ref), 24)),
		Submit:          plain(clip(p.T("qualify.modal.submit"), 24)),
		Close:           plain(clip(p.T("qualify.modal.cancel"), 24)),
		PrivateMetadata: metadata,
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// openQualify opens the Qualify modal for the lead of code when the
// presser may see it; it reports whether it did.
func (a *Adapter) openQualify(ctx context.Context, cb *slack.InteractionCallback, code string) bool {
	ref := strings.TrimPrefix(code, "qualify:")
	shown := a.press(ctx, cb.User.ID, "show:"+ref)
	if len(shown.Cards) == 0 || shown.Cards[0].Ref != ref {
		return false // not theirs, or gone: the press answers why
	}
	origin := lostOrigin{Ref: ref, Channel: cb.Container.ChannelID, TS: cb.Container.MessageTs,
		Ephemeral: cb.Container.IsEphemeral || cb.Container.Type != "message", URL: cb.ResponseURL}
	meta, err := json.Marshal(origin)
	if err == nil && len(meta) > 3000 { // Slack's limit on private_metadata
		origin.URL = ""
		meta, err = json.Marshal(origin)
	}
	if err == nil {
		_, err = a.api.OpenViewContext(ctx, cb.TriggerID, QualifyModal(&shown.Cards[0], string(meta), shown.Lang))
	}
	if err != nil {
		a.log.Warn("slack qualify modal", "err", err)
		return false
	}
	return true
}

// qualifySubmission handles the Qualify modal: it qualifies the lead as
// the submitter. A value that cannot be read keeps the modal open with
// why; other answers go where the button was.
func (a *Adapter) qualifySubmission(ctx context.Context, cb *slack.InteractionCallback) any {
	var origin lostOrigin
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &origin); err != nil || !strings.HasPrefix(origin.Ref, "L") {
		return nil
	}
	get := func(block string) string {
		if cb.View.State == nil {
			return ""
		}
		return strings.TrimSpace(cb.View.State.Values[block][block].Value)
	}
	value := get(valueBlock)
	q := core.Qualification{Budget: get("budget"), Authority: get("authority"), Need: get("need"), Timeline: get("timeline")}
	u, err := a.user(ctx, cb.User.ID)
	var reply bot.Reply
	var badValue string
	switch {
	case err != nil:
		a.log.Error("slack user lookup failed", "slack", cb.User.ID, "err", err)
		reply = trouble(a.conv.Printer(nil, ""))
	case u == nil:
		reply = bot.Unknown("slack", cb.User.ID)
	default:
		reply, badValue = a.conv.QualifyForm(ctx, u, origin.Ref, value, q)
	}
	if badValue != "" {
		return map[string]any{"response_action": "errors", "errors": map[string]string{valueBlock: badValue}}
	}
	if reply.Tone == bot.ToneGood {
		reply.Update = true
	}
	from := *cb
	from.Container = slack.Container{Type: "message", ChannelID: origin.Channel, MessageTs: origin.TS, IsEphemeral: origin.Ephemeral}
	from.ResponseURL = origin.URL
	a.deliver(ctx, &from, reply)
	return nil
}
