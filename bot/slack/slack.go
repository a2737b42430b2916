// Package slack is the Slack face of the conversation: it verifies and
// reads Slack's slash commands, button presses, modals and events, hands
// them to bot.Conversation as the leadwire user linked to the Slack
// account, and renders the replies as Block Kit. They arrive over HTTP
// (Routes) or a Socket Mode WebSocket (RunSocket) and go through the same
// handling. It is also a core.Notifier (notice.go).
package slack

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"leadwire/bot"
	"leadwire/core"
)

// Options configure the adapter.
type Options struct {
	BotToken      string // xoxb-…, for the Web API
	SigningSecret string // verifies requests in HTTP mode
	AppToken      string // xapp-…, for Socket Mode (RunSocket)
	Command       string // the slash command; default /lw
	// AutoProvision links an unknown Slack user to the leadwire user with
	// the same email, found through users.lookupByEmail.
	AutoProvision bool
	APIURL        string       // Web API base; "" is Slack's
	HTTPClient    *http.Client // for the Web API and response_url; nil: a client with a 10 s timeout
	Log           *slog.Logger
	// IntakeChannels are the ids of channels where prospects write: each
	// person's message there goes to Intake, and a new lead is answered in
	// its thread with the lead card.
	IntakeChannels []string
	// Intake captures intake channel messages; nil: no intake.
	Intake IntakeFunc
}

// Adapter connects a Slack app to the conversation. One value serves all
// requests; it is safe for concurrent use.
type Adapter struct {
	conv     *bot.Conversation
	svc      *core.Service
	api      *slack.Client
	http     *http.Client
	opts     Options
	log      *slog.Logger
	now      func() time.Time
	requests *seen // signatures of requests acted on
	events   *seen // event ids acted on
	misses   *seen // Slack ids auto-provisioning found nobody for, lately
	locales  *seen // Slack ids whose locale was read lately (users.info)
	budget   *budget
	work     *work  // slow commands being answered
	pace     *pacer // notices within Slack's per-channel limit
	// slowHook, when set (by tests), runs before each slow command's work.
	slowHook func(ctx context.Context)
	// skipLocales (tests that count Slack calls) reads no user's locale.
	skipLocales bool

	intake   map[string]bool        // intake channel ids
	botUser  atomic.Pointer[string] // the bot's own user id, from auth.test
	botID    atomic.Pointer[string] // the bot's own bot id, from auth.test
	botNames sync.Map               // other bots' names by bot id (bots.info), for their posts in intake channels
}

// New returns an adapter over the conversation and the services it was
// made with (which find and link users and teams). The conversation
// should be made with Prefix(opts.Command).
func New(conv *bot.Conversation, svc *core.Service, opts Options) *Adapter {
	if opts.Command == "" {
		opts.Command = "/lw"
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	a := &Adapter{conv: conv, svc: svc, http: opts.HTTPClient, opts: opts, log: opts.Log, now: time.Now,
		requests: newSeen(replayWindow), events: newSeen(replayWindow), misses: newSeen(10 * time.Minute), locales: newSeen(localeEvery),
		budget: newBudget(), work: newWork(), pace: newPacer()}
	a.api = slack.New(opts.BotToken, a.apiOptions()...)
	a.intake = map[string]bool{}
	for _, ch := range opts.IntakeChannels {
		a.intake[ch] = true
	}
	return a
}

// apiOptions set up a Web API client: the HTTP client and the base URL.
func (a *Adapter) apiOptions() []slack.Option {
	opts := []slack.Option{slack.OptionHTTPClient(a.opts.HTTPClient)}
	if u := a.opts.APIURL; u != "" {
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		opts = append(opts, slack.OptionAPIURL(u))
	}
	return opts
}

// Prefix is how commands are typed in Slack, for bot.Options.Prefix.
func Prefix(command string) string {
	if command == "" {
		command = "/lw"
	}
	return command + " "
}

// Routes are the HTTP mode endpoints, to mount on a mux: Slack posts slash
// commands, interactivity and events to them.
func (a *Adapter) Routes() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /slack/commands":     a.Commands,
		"POST /slack/interactions": a.Interactions,
		"POST /slack/events":       a.Events,
	}
}

// Check calls auth.test, so a wrong token shows at start-up.
func (a *Adapter) Check(ctx context.Context) error {
	auth, err := a.api.AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("slack auth.test: %w; check slack.bot_token", err)
	}
	a.botUser.Store(&auth.UserID)
	a.botID.Store(&auth.BotID)
	return nil
}

// user finds the leadwire user linked to a Slack id; nil when there is
// none, after trying auto-provisioning when it is on.
func (a *Adapter) user(ctx context.Context, slackID string) (*core.User, error) {
	if slackID == "" {
		return nil, nil
	}
	u, err := a.conv.SlackUser(ctx, slackID)
	if err == nil && u == nil && a.opts.AutoProvision {
		u, err = a.provision(ctx, slackID)
	}
	if err == nil && u != nil {
		a.noteLocale(ctx, u, slackID)
	}
	return u, err
}

// localeEvery is how often a linked user's Slack locale is read again.
const localeEvery = 12 * time.Hour

// noteLocale reads the locale the user set in Slack (users.info with
// include_locale), at most once per localeEvery for a Slack id, and keeps
// it as their chat locale: what they read when they set no language of
// their own. A failed read is only logged; the answer does not wait on it
// again before localeEvery.
func (a *Adapter) noteLocale(ctx context.Context, u *core.User, slackID string) {
	if a.skipLocales || !a.locales.add(slackID, a.now()) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second) // a slash command is answered within 3 s
	defer cancel()
	su, err := a.api.GetUserInfoContext(ctx, slackID, slack.GetUserInfoOptionIncludeLocale(true))
	if err != nil {
		a.log.Warn("slack users.info failed; the user's Slack locale is not known", "slack", slackID, "err", err)
		return
	}
	a.conv.NoteChatLocale(ctx, u, su.Locale)
}

// provision looks up, by email, the Slack accounts of the active leadwire
// users not linked yet, links every one found, and returns the one that is
// slackID. users.lookupByEmail goes from email to account, so this is the
// way to match on email with only that scope. A Slack id that matched
// nobody is not tried again for ten minutes.
func (a *Adapter) provision(ctx context.Context, slackID string) (*core.User, error) {
	now := a.now()
	if a.misses.has(slackID, now) {
		return nil, nil
	}
	users, err := a.svc.Directory.Users(ctx, core.UserFilter{})
	if err != nil {
		return nil, fmt.Errorf("auto-provision %s: %w", slackID, err)
	}
	var found *core.User
	for i := range users {
		u := &users[i]
		if !u.Active || u.SlackID != "" || u.Email == "" {
			continue
		}
		su, err := a.api.GetUserByEmailContext(ctx, u.Email)
		if err != nil || su == nil || su.ID == "" {
			continue // users_not_found: not in this workspace
		}
		if other, err := a.svc.Directory.UserBySlackID(ctx, su.ID); err == nil && other != nil {
			continue // linked to someone else by an admin
		}
		linked, err := a.svc.Directory.SaveUser(ctx, nil, core.UserDef{Email: u.Email, SlackID: su.ID})
		if err != nil {
			return nil, fmt.Errorf("link %s to Slack %s: %w", u.Email, su.ID, err)
		}
		u = linked
		a.log.Info("slack user linked by email", "user", u.ID, "slack", su.ID)
		if su.ID == slackID {
			found = u
			break
		}
	}
	if found == nil {
		a.misses.add(slackID, now)
	}
	return found, nil
}

// handle answers a typed command from a Slack user: Unknown for someone
// leadwire does not know, and nothing else.
func (a *Adapter) handle(ctx context.Context, slackID, text string) bot.Reply {
	u, err := a.user(ctx, slackID)
	switch {
	case err != nil:
		a.log.Error("slack user lookup failed", "slack", slackID, "err", err)
		return trouble(a.conv.Printer(nil, ""))
	case u == nil:
		return bot.Unknown("slack", slackID)
	}
	return a.conv.Handle(ctx, u, text)
}

// press answers a button or menu choice of a Slack user, like handle.
func (a *Adapter) press(ctx context.Context, slackID, code string) bot.Reply {
	u, err := a.user(ctx, slackID)
	switch {
	case err != nil:
		a.log.Error("slack user lookup failed", "slack", slackID, "err", err)
		return trouble(a.conv.Printer(nil, ""))
	case u == nil:
		return bot.Unknown("slack", slackID)
	}
	return a.conv.Press(ctx, u, code)
}
