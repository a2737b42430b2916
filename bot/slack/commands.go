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
// within Slack's three seconds.
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
	ctx, cancel := context.WithTimeout(r.Context(), answerWithin)
	defer cancel()
	writeJSON(w, toMessage(a.handle(ctx, cmd.UserID, cmd.Text)))
}
