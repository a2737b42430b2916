package slack

import (
	"context"
	"net/http"
	"time"

	"github.com/slack-go/slack"
)

// answerWithin is how long a request may take: Slack gives three seconds.
const answerWithin = 2500 * time.Millisecond

// Commands handles POST /slack/commands: a slash command, answered in the
// response itself (ephemeral or in the channel, as the reply says), well
// within Slack's three seconds; a slow one is acknowledged there and
// answered through its response_url.
func (a *Adapter) Commands(w http.ResponseWriter, r *http.Request) {
	if _, err := a.verify(r); err != nil {
		a.refuse(w, r, err)
		return
	}
	cmd, err := slack.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "malformed slash command", http.StatusBadRequest)
		return
	}
	writeJSON(w, a.command(r.Context(), cmd))
}

// command answers a slash command, from HTTP or Socket Mode. A slow one
// (a report over a team) is acknowledged at once and answered later
// through its response_url.
func (a *Adapter) command(ctx context.Context, cmd slack.SlashCommand) message {
	ctx, cancel := context.WithTimeout(ctx, answerWithin)
	defer cancel()
	if a.conv.Slow(cmd.Text) {
		return toMessage(a.slow(ctx, cmd))
	}
	return toMessage(a.handle(ctx, cmd.UserID, cmd.Text))
}
