package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/slack-go/slack"

	"leadwire/bot"
)

// Interactions handles POST /slack/interactions: button presses and menu
// choices (block_actions) and the lost-reason and Qualify modals
// (view_submission).
// A change replaces the card it came from, so the channel shows the new
// state and who acted: chat.update for a channel message, the response_url
// with replace_original for an ephemeral one. Other answers go to the
// presser alone.
func (a *Adapter) Interactions(w http.ResponseWriter, r *http.Request) {
	body, err := a.verify(r)
	if err != nil {
		a.refuse(w, r, err)
		return
	}
	form, err := url.ParseQuery(string(body))
	var cb slack.InteractionCallback
	if err == nil {
		err = json.Unmarshal([]byte(form.Get("payload")), &cb)
	}
	if err != nil {
		http.Error(w, "malformed interaction payload", http.StatusBadRequest)
		return
	}
	if resp := a.interaction(r.Context(), &cb); resp != nil {
		writeJSON(w, resp)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// interaction acts on a press or a modal submission, from HTTP or Socket
// Mode. It returns the response Slack should get, or nil for an empty one.
func (a *Adapter) interaction(ctx context.Context, cb *slack.InteractionCallback) any {
	ctx, cancel := context.WithTimeout(ctx, answerWithin)
	defer cancel()
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		a.blockActions(ctx, cb)
	case slack.InteractionTypeViewSubmission:
		return a.viewSubmission(ctx, cb)
	}
	return nil
}

// code is the action code of a pressed button or chosen option.
func code(act *slack.BlockAction) string {
	if act.SelectedOption.Value != "" {
		return act.SelectedOption.Value
	}
	return act.Value
}

func (a *Adapter) blockActions(ctx context.Context, cb *slack.InteractionCallback) {
	if len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	c := code(cb.ActionCallback.BlockActions[0])
	if isAskQualify(c) && cb.TriggerID != "" && a.openQualify(ctx, cb, c) {
		return
	}
	reply := a.press(ctx, cb.User.ID, c)
	if reply.Ask != nil && cb.TriggerID != "" {
		err := a.openReply(ctx, cb, reply)
		if err == nil {
			return
		}
		// The reply's text still says what to type.
		a.log.Warn("slack reply modal", "err", err)
	}
	if isAskLost(c) && cb.TriggerID != "" {
		if card := menuCard(reply); card != nil {
			err := a.openLost(ctx, cb, card, reply.Lang)
			if err == nil {
				return
			}
			// The reasons still show on the card as a menu.
			a.log.Warn("slack lost modal", "err", err)
		}
	}
	a.deliver(ctx, cb, reply)
}

// deliver shows the answer to a press: in place of the pressed message
// when it is a change, else to the presser alone.
func (a *Adapter) deliver(ctx context.Context, cb *slack.InteractionCallback, reply bot.Reply) {
	where := cb.Container
	if reply.Update {
		if where.Type == "message" && where.ChannelID != "" && where.MessageTs != "" && !where.IsEphemeral {
			err := a.update(ctx, where.ChannelID, where.MessageTs, reply)
			if err == nil {
				return
			}
			a.log.Warn("slack card update failed", "err", err)
		}
		if cb.ResponseURL != "" {
			m := toMessage(reply)
			m.ResponseType, m.ReplaceOriginal = "", true
			if err := a.respond(ctx, cb.ResponseURL, m); err != nil {
				a.log.Warn("slack card replace failed", "err", err)
			}
			return
		}
	}
	// From App Home or a modal there is no response_url, and one may be
	// spent: then the answer comes in a DM.
	m := toMessage(reply)
	m.ResponseType = "ephemeral"
	if err := a.answerLater(ctx, cb.ResponseURL, cb.User.ID, m); err != nil {
		a.log.Warn("slack answer failed", "err", err)
	}
}
