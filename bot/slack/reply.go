package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/slack-go/slack"

	"leadwire/bot"
	"leadwire/internal/lang"
)

// message is a reply as Slack takes it in a request's response or through
// a response_url.
type message struct {
	ResponseType    string        `json:"response_type,omitempty"` // ephemeral or in_channel
	ReplaceOriginal bool          `json:"replace_original,omitempty"`
	Text            string        `json:"text"`
	Blocks          []slack.Block `json:"blocks"`
}

// Message renders a reply as the answer to a slash command: ephemeral or
// in the channel, as the reply says.
func Message(r bot.Reply) any { return toMessage(r) }

func toMessage(r bot.Reply) message {
	m := message{ResponseType: "in_channel", Text: Fallback(r), Blocks: Blocks(r)}
	if r.Ephemeral {
		m.ResponseType = "ephemeral"
	}
	return m
}

// writeJSON answers a request from Slack.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// respond posts a message to a response_url, within the number Slack
// takes per response_url (errFollowUpsSpent beyond).
func (a *Adapter) respond(ctx context.Context, url string, m any) error {
	if !a.budget.take(url, a.now()) {
		return errFollowUpsSpent
	}
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("response_url: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("response_url: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("response_url: %s", resp.Status)
	}
	return nil
}

// post sends a reply to a channel or DM (chat.postMessage), in a thread
// when thread is set, and returns the message's timestamp.
func (a *Adapter) post(ctx context.Context, channel, thread string, r bot.Reply, extra ...slack.MsgOption) (string, error) {
	opts := append([]slack.MsgOption{slack.MsgOptionText(Fallback(r), false), slack.MsgOptionBlocks(Blocks(r)...)}, extra...)
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	posted, ts, err := a.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return "", fmt.Errorf("chat.postMessage to %s: %w", channel, err)
	}
	if len(r.Charts) > 0 {
		return ts, a.uploadCharts(ctx, posted, thread, r)
	}
	return ts, nil
}

// whisper shows a reply to one user of a channel only
// (chat.postEphemeral).
func (a *Adapter) whisper(ctx context.Context, channel, user, thread string, r bot.Reply) error {
	opts := []slack.MsgOption{slack.MsgOptionText(Fallback(r), false), slack.MsgOptionBlocks(Blocks(r)...)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	if _, err := a.api.PostEphemeralContext(ctx, channel, user, opts...); err != nil {
		return fmt.Errorf("chat.postEphemeral to %s: %w", channel, err)
	}
	return nil
}

// update replaces a channel message with a reply (chat.update).
func (a *Adapter) update(ctx context.Context, channel, ts string, r bot.Reply) error {
	_, _, _, err := a.api.UpdateMessageContext(ctx, channel, ts,
		slack.MsgOptionText(Fallback(r), false), slack.MsgOptionBlocks(Blocks(r)...))
	if err != nil {
		return fmt.Errorf("chat.update %s %s: %w", channel, ts, err)
	}
	return nil
}

// trouble is the reply when leadwire itself failed; the details go to the
// log, not to the chat.
func trouble(p *lang.Printer) bot.Reply {
	return bot.Reply{Tone: bot.ToneBad, Ephemeral: true, Text: p.T("internal_error"), Lang: p.Lang()}
}

// refuse answers a request whose signature does not hold.
func (a *Adapter) refuse(w http.ResponseWriter, r *http.Request, err error) {
	a.log.Warn("slack request refused", "path", r.URL.Path, "err", err)
	http.Error(w, "invalid Slack signature", http.StatusUnauthorized)
}
