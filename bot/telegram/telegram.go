// Package telegram is the Telegram face of the conversation: it reads
// updates from the Bot API (long polling, or a webhook), hands commands and
// button presses to bot.Conversation as the leadwire user linked to the
// Telegram account, and renders the replies as Telegram HTML with inline
// keyboards. A Telegram account is linked with a one-time code: /start CODE.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/internal/lang"
	"leadwire/internal/tgpoll"
)

// Options configure the adapter.
type Options struct {
	Token string // the bot's token from @BotFather
	// APIURL is the Bot API server, "" for https://api.telegram.org (a
	// self-hosted server or a test stand-in otherwise).
	APIURL string
	// WebhookSecret is the X-Telegram-Bot-Api-Secret-Token every webhook
	// update must carry (webhook mode).
	WebhookSecret string
	// WebhookURL, when set, is registered with setWebhook at Start: the
	// public address of WebhookPath.
	WebhookURL string
	// PollTimeout is how long a getUpdates call waits for updates
	// (default 30 s).
	PollTimeout time.Duration
	HTTPClient  *http.Client // nil: one with a timeout past PollTimeout
	Log         *slog.Logger
}

// Checkpoint names: where the polling offset is kept.
const (
	CheckpointConnector = "telegram:bot"
	CheckpointKey       = "offset"
)

// Adapter connects a Telegram bot to the conversation. It is safe for
// concurrent use.
type Adapter struct {
	conv     *bot.Conversation
	svc      *core.Service
	api      *tg.Bot
	http     *http.Client
	opts     Options
	log      *slog.Logger
	now      func() time.Time
	failures *throttle              // link code failures by chat
	updates  *seen                  // webhook update ids handled lately
	pace     *pacer                 // queued messages within Telegram's limits
	username atomic.Pointer[string] // the bot's @name, from getMe at Start
}

// Prefix is how commands are typed in Telegram, for bot.Options.Prefix.
const Prefix = "/"

// New returns an adapter over the conversation (made with Prefix) and the
// services it was made with.
func New(conv *bot.Conversation, svc *core.Service, opts Options) (*Adapter, error) {
	if err := checkBot(opts.Token, opts.WebhookSecret); err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	api, err := tgpoll.NewBot(opts.Token, &opts.APIURL, &opts.PollTimeout, &opts.HTTPClient)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	return &Adapter{conv: conv, svc: svc, api: api, http: opts.HTTPClient, opts: opts, log: opts.Log,
		now: time.Now, failures: newThrottle(linkFailures, linkWindow), updates: newSeen(1000), pace: newPacer()}, nil
}

// checkBot checks the token and the webhook secret as the config file
// does (tgpoll.Settings).
func checkBot(token, secret string) error {
	if token == "" {
		return errors.New("no bot token")
	}
	if err := tgpoll.CheckToken(token); err != nil {
		return err
	}
	if secret != "" {
		return tgpoll.CheckWebhookSecret(secret)
	}
	return nil
}

// commands are the commands Telegram offers in its menu (setMyCommands):
// the conversation's main verbs, lowercase as Telegram requires.
var commands = []models.BotCommand{
	{Command: "leads", Description: "list leads: yours, new, unclaimed, top"},
	{Command: "lead", Description: "show a lead: /lead L123"},
	{Command: "claim", Description: "make an unclaimed lead yours: /claim L123"},
	{Command: "assign", Description: "give a lead or hand a deal to a rep (managers)"},
	{Command: "qualify", Description: "turn a lead into a deal"},
	{Command: "disqualify", Description: "close a lead with a reason"},
	{Command: "deals", Description: "list open deals: yours, team's, a stage"},
	{Command: "deal", Description: "show a deal: /deal D45"},
	{Command: "move", Description: "move a deal: /move D45 proposal"},
	{Command: "won", Description: "close a deal as won"},
	{Command: "lost", Description: "close a deal as lost, with a reason"},
	{Command: "reopen", Description: "reopen a won or lost deal"},
	{Command: "note", Description: "add a note: /note D45 TEXT"},
	{Command: "reply", Description: "answer the prospect in their chat: /reply L123 TEXT"},
	{Command: "value", Description: "set a deal's value: /value D45 12000 EUR"},
	{Command: "close", Description: "set expected close: /close D45 2027-01-15"},
	{Command: "remind", Description: "follow up: /remind D45 tomorrow 9am call"},
	{Command: "history", Description: "a lead's or deal's timeline: /history D45"},
	{Command: "why", Description: "why a lead scores what it does: /why L123"},
	{Command: "tasks", Description: "your open tasks"},
	{Command: "today", Description: "your tasks due today or overdue"},
	{Command: "done", Description: "mark a task done: /done T7"},
	{Command: "snooze", Description: "put a task off: /snooze T7 2h"},
	{Command: "review", Description: "what needs attention"},
	{Command: "pipeline", Description: "open deals by stage"},
	{Command: "stats", Description: "win rate, values and the funnel"},
	{Command: "forecast", Description: "weighted forecast against the target"},
	{Command: "find", Description: "find contacts"},
	{Command: "help", Description: "what you can say"},
	{Command: "start", Description: "link your account: /start CODE"},
}

// Start checks the token (getMe), registers the commands (setMyCommands)
// and, with a WebhookURL, the webhook (setWebhook), so a wrong token shows
// at start-up.
func (a *Adapter) Start(ctx context.Context) error {
	me, err := a.api.GetMe(ctx)
	if err != nil {
		return fmt.Errorf("telegram getMe: %w; check telegram.token", err)
	}
	a.username.Store(&me.Username)
	if _, err := a.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: commands}); err != nil {
		return fmt.Errorf("telegram setMyCommands: %w", err)
	}
	if a.opts.WebhookURL != "" {
		_, err := a.api.SetWebhook(ctx, &tg.SetWebhookParams{URL: a.opts.WebhookURL, SecretToken: a.opts.WebhookSecret,
			AllowedUpdates: []string{"message", "callback_query"}})
		if err != nil {
			return fmt.Errorf("telegram setWebhook: %w", err)
		}
	}
	return nil
}

// HandleUpdate answers one update: a message or a button press. Errors
// talking to Telegram are logged: an update is handled once, not retried.
func (a *Adapter) HandleUpdate(ctx context.Context, u *models.Update) {
	switch {
	case u.Message != nil:
		a.message(ctx, u.Message)
	case u.CallbackQuery != nil:
		a.callback(ctx, u.CallbackQuery)
	}
}

// user finds the leadwire user linked to a Telegram id; nil when none.
func (a *Adapter) user(ctx context.Context, id int64) (*core.User, error) {
	if id == 0 {
		return nil, nil
	}
	return a.conv.TelegramUser(ctx, id)
}

// message answers a text message: /start CODE links the account; other
// text, in a private chat, or a /command anywhere, goes to the
// conversation.
func (a *Adapter) message(ctx context.Context, m *models.Message) {
	if m.From == nil || m.From.IsBot {
		return
	}
	text := strings.TrimSpace(m.Text)
	private := m.Chat.Type == models.ChatTypePrivate
	if text == "" || (!strings.HasPrefix(text, "/") && !private) {
		return // a photo, a sticker, chatter in a group: not for the bot
	}
	if !a.forMe(text) {
		return // "/help@otherbot" in a group
	}
	word, rest := command(text)
	if word == "start" {
		a.start(ctx, m, rest)
		return
	}
	u, err := a.user(ctx, m.From.ID)
	var reply bot.Reply
	switch {
	case err != nil:
		a.log.Error("telegram user lookup failed", "telegram", m.From.ID, "err", err)
		reply = trouble(a.conv.Printer(nil, m.From.LanguageCode))
	case u == nil:
		reply = bot.UnknownIn(m.From.LanguageCode, "telegram", strconv.FormatInt(m.From.ID, 10))
	default:
		a.conv.NoteChatLocale(ctx, u, m.From.LanguageCode)
		reply = a.conv.Handle(ctx, u, strings.TrimSpace(word+" "+rest))
	}
	a.answer(ctx, m.Chat.ID, private, m.From.ID, reply)
}

// answer sends a reply where it belongs: in the chat, except that a reply
// for the asker's eyes only (a read, an error) asked for in a group goes
// to the asker's private chat with the bot, so the group does not see it.
func (a *Adapter) answer(ctx context.Context, chat int64, private bool, from int64, r bot.Reply) {
	if private || !r.Ephemeral || from == 0 {
		a.send(ctx, chat, r)
		return
	}
	if _, err := a.Send(ctx, from, r); err != nil {
		// Telegram lets a bot write only to those who started it.
		a.log.Info("telegram private answer failed", "telegram", from, "err", err)
		a.send(ctx, chat, bot.Reply{Tone: bot.ToneWarn, Text: lang.Default().For(r.Lang).T("chat.private_answer")})
	}
}

// forMe reports whether a command is addressed to this bot: without an
// @name, or with this bot's (known after Start).
func (a *Adapter) forMe(text string) bool {
	first := text
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		first = text[:i]
	}
	_, name, ok := strings.Cut(first, "@")
	me := a.username.Load()
	return !ok || me == nil || *me == "" || strings.EqualFold(name, *me)
}

// command splits "/leads@leadwire_bot new" into "leads" and "new"; text
// without a slash splits the same way ("L12" is a word of its own).
func command(text string) (word, rest string) {
	text = strings.TrimPrefix(text, "/")
	word, rest = text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		word, rest = text[:i], text[i:]
	}
	if i := strings.IndexByte(word, '@'); i >= 0 {
		word = word[:i] // the bot's name, in groups
	}
	return strings.ToLower(word), strings.TrimSpace(rest)
}

// start links the Telegram account with a one-time code, or, without one,
// greets a linked user and tells an unknown one how to link.
func (a *Adapter) start(ctx context.Context, m *models.Message, code string) {
	p := a.conv.Printer(nil, m.From.LanguageCode)
	if code == "" {
		u, err := a.user(ctx, m.From.ID)
		switch {
		case err != nil:
			a.log.Error("telegram user lookup failed", "telegram", m.From.ID, "err", err)
			a.send(ctx, m.Chat.ID, trouble(p))
		case u == nil:
			a.send(ctx, m.Chat.ID, bot.Reply{Tone: bot.ToneWarn, Text: p.T("telegram.not_linked")})
		default:
			a.conv.NoteChatLocale(ctx, u, m.From.LanguageCode)
			a.send(ctx, m.Chat.ID, a.conv.Handle(ctx, u, "help"))
		}
		return
	}
	now := a.now()
	if !a.failures.allow(m.Chat.ID, now) {
		a.send(ctx, m.Chat.ID, bot.Reply{Tone: bot.ToneBad, Text: p.T("telegram.too_many_codes", "Minutes", int(linkWindow.Minutes()))})
		return
	}
	u, err := a.svc.Directory.RedeemLinkCode(ctx, code, m.From.ID)
	switch {
	case err != nil && core.KindOf(err) != core.KindInternal:
		a.failures.add(m.Chat.ID, now)
		a.log.Info("telegram link code refused", "telegram", m.From.ID, "err", err)
		a.send(ctx, m.Chat.ID, bot.Reply{Tone: bot.ToneWarn, Text: core.Message(err)})
	case err != nil:
		a.log.Error("telegram link failed", "telegram", m.From.ID, "err", err)
		a.send(ctx, m.Chat.ID, trouble(p))
	default:
		a.log.Info("telegram account linked", "user", u.ID, "telegram", m.From.ID)
		name := u.Name
		if name == "" {
			name = u.Email
		}
		a.conv.NoteChatLocale(ctx, u, m.From.LanguageCode)
		a.send(ctx, m.Chat.ID, bot.Reply{Tone: bot.ToneGood, Text: a.conv.Printer(u, "").T("telegram.linked", "Name", name)})
	}
}

// callback answers a button press at once (so the spinner stops), then
// runs it and shows the answer: in place of the card for a change, as a
// new message otherwise.
func (a *Adapter) callback(ctx context.Context, q *models.CallbackQuery) {
	u, err := a.user(ctx, q.From.ID)
	answer := &tg.AnswerCallbackQueryParams{CallbackQueryID: q.ID}
	if err == nil && u == nil {
		answer.Text, answer.ShowAlert = a.conv.Printer(nil, q.From.LanguageCode).T("telegram.stranger"), true
	}
	if _, aerr := a.api.AnswerCallbackQuery(ctx, answer); aerr != nil {
		a.log.Warn("telegram answerCallbackQuery failed", "err", aerr)
	}
	if err != nil {
		a.log.Error("telegram user lookup failed", "telegram", q.From.ID, "err", err)
	}
	if err != nil || u == nil {
		return
	}
	a.conv.NoteChatLocale(ctx, u, q.From.LanguageCode)
	reply := a.conv.Press(ctx, u, q.Data)
	msg := q.Message.Message
	if reply.Update && msg != nil {
		if err := a.edit(ctx, msg.Chat.ID, msg.ID, reply); err == nil {
			return
		} else {
			a.log.Warn("telegram card edit failed", "err", err)
		}
	}
	if msg == nil {
		a.send(ctx, q.From.ID, reply)
		return
	}
	a.answer(ctx, msg.Chat.ID, msg.Chat.Type == models.ChatTypePrivate, q.From.ID, reply)
}

// send posts a reply to a chat, logging a failure.
func (a *Adapter) send(ctx context.Context, chat int64, r bot.Reply) {
	if _, err := a.Send(ctx, chat, r); err != nil {
		a.log.Warn("telegram sendMessage failed", "chat", chat, "err", err)
	}
}

// Send posts a reply to a chat (sendMessage): chat is an int64 id or an
// "@name"; it returns the message id.
// A 429 comes back as *tg.TooManyRequestsError with its retry_after.
func (a *Adapter) Send(ctx context.Context, chat any, r bot.Reply) (int, error) {
	id, err := a.sendText(ctx, chat, r)
	if err != nil {
		return 0, err
	}
	if len(r.Charts) > 0 {
		return id, a.sendCharts(ctx, chat, r)
	}
	return id, nil
}

// sendText sends a reply's message, with its buttons, and not its charts.
func (a *Adapter) sendText(ctx context.Context, chat any, r bot.Reply) (int, error) {
	kb, kerr := Keyboard(r)
	if kerr != nil {
		a.log.Error("telegram buttons left out", "err", kerr)
	}
	p := &tg.SendMessageParams{ChatID: chat, Text: HTML(r), ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: noPreview()}
	if kb != nil {
		p.ReplyMarkup = kb
	}
	m, err := a.api.SendMessage(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("telegram sendMessage to %v: %w", chat, err)
	}
	return m.ID, nil
}

// edit replaces a message with a reply (editMessageText).
func (a *Adapter) edit(ctx context.Context, chat int64, msg int, r bot.Reply) error {
	kb, kerr := Keyboard(r)
	if kerr != nil {
		a.log.Error("telegram buttons left out", "err", kerr)
	}
	p := &tg.EditMessageTextParams{ChatID: chat, MessageID: msg, Text: HTML(r), ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: noPreview()}
	if kb != nil {
		p.ReplyMarkup = kb
	}
	if _, err := a.api.EditMessageText(ctx, p); err != nil {
		return fmt.Errorf("telegram editMessageText %d/%d: %w", chat, msg, err)
	}
	return nil
}

func noPreview() *models.LinkPreviewOptions {
	off := true
	return &models.LinkPreviewOptions{IsDisabled: &off}
}

// trouble is the reply when leadwire itself failed; the details go to the
// log, not to the chat.
func trouble(p *lang.Printer) bot.Reply {
	return bot.Reply{Tone: bot.ToneBad, Text: p.T("internal_error")}
}
