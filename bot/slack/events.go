package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/slack-go/slack/slackevents"
)

// Events handles POST /slack/events: the Events API. It answers
// url_verification, passes app_mention (answered in a thread) and
// direct messages (message.im, answered in the DM) to the conversation,
// and publishes the App Home tab on app_home_opened.
// Each event is acted on once: an event_id seen before, as in Slack's
// retries (X-Slack-Retry-Num), is acknowledged and dropped.
func (a *Adapter) Events(w http.ResponseWriter, r *http.Request) {
	body, err := a.verify(r)
	if err != nil {
		a.refuse(w, r, err)
		return
	}
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		var ch slackevents.ChallengeResponse
		if err := json.Unmarshal(body, &ch); err != nil {
			http.Error(w, "malformed challenge", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(ch.Challenge))
		return
	case slackevents.CallbackEvent:
		if err := a.callback(r.Context(), ev, r.Header.Get("X-Slack-Retry-Num")); err != nil {
			// Slack sends the event again: nothing of it was stored.
			a.log.Error("slack event not handled; Slack will retry", "err", err)
			http.Error(w, "not handled; try again", http.StatusInternalServerError)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// callback acts on an Events API callback, from HTTP or Socket Mode, once
// per event_id; retry is Slack's retry number, for the log. An error means
// the event was not acted on (an intake message not stored) and is
// forgotten, so Slack's retry is.
func (a *Adapter) callback(ctx context.Context, ev slackevents.EventsAPIEvent, retry string) error {
	outer, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if outer == nil || outer.EventID == "" {
		return nil
	}
	if !a.firstTime(ctx, a.events, "event:"+outer.EventID) {
		a.log.Debug("slack event already handled", "event", outer.EventID, "retry", retry)
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, answerWithin)
	defer cancel()
	if err := a.event(ctx, ev.InnerEvent, outer.IsExtSharedChannel); err != nil {
		a.forgetSeen(ctx, a.events, "event:"+outer.EventID)
		return err
	}
	return nil
}

// mention is a user mention in a message's text, such as the bot's own.
var mention = regexp.MustCompile(`<@[A-Z0-9]+(\|[^>]*)?>`)

// event acts on one inner event.
func (a *Adapter) event(ctx context.Context, inner slackevents.EventsAPIInnerEvent, extShared bool) error {
	switch e := inner.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" || e.User == "" {
			return nil
		}
		thread := e.ThreadTimeStamp
		if thread == "" {
			thread = e.TimeStamp
		}
		text := strings.TrimSpace(mention.ReplaceAllString(e.Text, " "))
		reply := a.handle(ctx, e.User, text)
		var err error
		if reply.Ephemeral {
			err = a.whisper(ctx, e.Channel, e.User, thread, reply)
		} else {
			_, err = a.post(ctx, e.Channel, thread, reply)
		}
		if err != nil {
			a.log.Warn("slack mention answer failed", "err", err)
		}
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab != "home" || e.User == "" {
			return nil
		}
		if err := a.publishHome(ctx, e.User); err != nil {
			a.log.Warn("slack home publish failed", "err", err)
		}
	case *slackevents.MessageEvent:
		if e.ChannelType != "im" && a.isIntake(e.Channel) {
			return a.intakeMessage(ctx, e, extShared)
		}
		// Only people's own messages in a DM with the bot: not the bot's
		// answers (bot_id), nor edits and joins (subtypes).
		if e.ChannelType != "im" || e.BotID != "" || e.SubType != "" || e.User == "" {
			return nil
		}
		reply := a.handle(ctx, e.User, strings.TrimSpace(mention.ReplaceAllString(e.Text, " ")))
		if _, err := a.post(ctx, e.Channel, e.ThreadTimeStamp, reply); err != nil {
			a.log.Warn("slack DM answer failed", "err", err)
		}
	}
	return nil
}
