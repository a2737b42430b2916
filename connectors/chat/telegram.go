// Package chat captures prospects who write in chat: a Telegram bot of
// their own that prospects talk to (Telegram), and messages posted in
// Slack intake channels (SlackInbound), each as a core.Inbound; and it
// delivers the reps' replies back to them (ReplyWorker).
package chat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"leadwire/core"
	"leadwire/internal/lang"
	"leadwire/internal/tgpoll"
)

// TelegramSource is the source name of the Telegram intake bot's inbounds;
// its counters and offset are kept as connector "telegram:intake".
const TelegramSource = "intake"

// TelegramCheckpointKey is where, under connector "telegram:intake", the
// intake bot's polling offset is kept.
const TelegramCheckpointKey = "offset"

// DefaultGreeting answers a prospect's /start when none is configured,
// in English; others read the catalog's prospect.greeting in their
// language.
const DefaultGreeting = "Hello! Thanks for getting in touch. Tell us what you are looking for, and someone from our team will answer you here shortly."

// TelegramOptions configure the intake bot.
type TelegramOptions struct {
	Token string // the intake bot's token from @BotFather (not the reps' bot)
	// APIURL is the Bot API server, "" for https://api.telegram.org.
	APIURL string
	// Greetings answer /start in the prospect's language (Telegram's
	// language_code: "th", "zh-hans"), looked up exactly, then by its
	// language alone ("zh"), then under "" for everyone else; with none,
	// the catalog's greeting in the prospect's language (DefaultGreeting
	// in English).
	Greetings map[string]string
	// Team routes the leads (a team name); "" is the default team.
	Team string
	// WebhookURL, when set, is registered with setWebhook at Check (with
	// WebhookSecret): Telegram then posts the prospects' messages to
	// IntakeWebhookPath, served by Routes, instead of being polled.
	WebhookURL    string
	WebhookSecret string
	// PollTimeout is how long a getUpdates call waits (default 30 s).
	PollTimeout time.Duration
	HTTPClient  *http.Client // nil: one with a timeout past PollTimeout
	Log         *slog.Logger
}

// Telegram is the intake bot: every private message a prospect sends it
// becomes a lead (the first) or an activity on their open lead or deal,
// and the reps' replies reach the prospect through it.
type Telegram struct {
	svc  *core.Service
	api  *tg.Bot
	http *http.Client
	opts TelegramOptions
	log  *slog.Logger
}

// NewTelegram returns the intake bot over the services.
func NewTelegram(svc *core.Service, opts TelegramOptions) (*Telegram, error) {
	if opts.Token == "" {
		return nil, errors.New("telegram intake: no bot token")
	}
	if err := tgpoll.CheckToken(opts.Token); err != nil {
		return nil, fmt.Errorf("telegram intake: %w", err)
	}
	if opts.WebhookSecret != "" {
		if err := tgpoll.CheckWebhookSecret(opts.WebhookSecret); err != nil {
			return nil, fmt.Errorf("telegram intake: %w", err)
		}
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	api, err := tgpoll.NewBot(opts.Token, &opts.APIURL, &opts.PollTimeout, &opts.HTTPClient)
	if err != nil {
		return nil, fmt.Errorf("telegram intake: %w", err)
	}
	return &Telegram{svc: svc, api: api, http: opts.HTTPClient, opts: opts, log: opts.Log}, nil
}

// Connector is the intake bot's connector name: "telegram:intake".
func (t *Telegram) Connector() string {
	return core.ConnectorName(core.ChannelTelegram, TelegramSource)
}

// IntakeWebhookPath is where Telegram posts the intake bot's updates in
// webhook mode.
const IntakeWebhookPath = "/telegram/intake"

// Check calls getMe, so a wrong token shows at start-up, and registers the
// webhook when there is a WebhookURL.
func (t *Telegram) Check(ctx context.Context) error {
	if _, err := t.api.GetMe(ctx); err != nil {
		return fmt.Errorf("telegram intake getMe: %w; check telegram.intake_token", err)
	}
	if t.opts.WebhookURL != "" {
		_, err := t.api.SetWebhook(ctx, &tg.SetWebhookParams{URL: t.opts.WebhookURL, SecretToken: t.opts.WebhookSecret,
			AllowedUpdates: []string{"message"}})
		if err != nil {
			return fmt.Errorf("telegram intake setWebhook: %w", err)
		}
	}
	return nil
}

// Routes are the webhook mode endpoint, to mount on a mux. An update
// carrying the secret is handled before the answer, and a message that
// could not be stored is answered 503, so Telegram sends it again; one
// sent again after it was stored is a duplicate by its message id.
func (t *Telegram) Routes() map[string]http.HandlerFunc {
	h := tgpoll.Webhook{Secret: t.opts.WebhookSecret, Log: t.log, Handle: t.HandleUpdate}
	return map[string]http.HandlerFunc{"POST " + IntakeWebhookPath: h.ServeHTTP}
}

// Run reads the prospects' messages by long polling until ctx ends, the
// offset kept as a checkpoint; a message that could not be stored (the
// database is away) is asked for again, so none is lost.
func (t *Telegram) Run(ctx context.Context) error {
	return tgpoll.Run(ctx, tgpoll.Config{
		APIURL: t.opts.APIURL, Token: t.opts.Token, Timeout: t.opts.PollTimeout,
		AllowedUpdates: []string{"message"},
		HTTP:           t.http, Log: t.log,
		Checkpoint: core.Checkpoint{Connector: t.Connector(), Key: TelegramCheckpointKey},
		Load:       t.svc.Connectors.LoadCheckpoint,
		Save:       t.svc.Connectors.Checkpoint,
		Handle:     t.HandleUpdate,
		SetError:   t.svc.Connectors.ConnectorError,
		TokenKey:   "telegram.intake_token",
		Statuses:   t.svc.Connectors.Statuses,
	})
}

// HandleUpdate acts on one update: /start is greeted; any other private
// message from a person is captured. It returns an error only when the
// message could not be stored and should come again.
func (t *Telegram) HandleUpdate(ctx context.Context, u *models.Update) error {
	m := u.Message
	if m == nil || m.From == nil || m.From.IsBot || m.Chat.Type != models.ChatTypePrivate {
		return nil // edits, groups the bot was added to, other bots
	}
	if isStart(m.Text) {
		if err := t.Send(ctx, m.Chat.ID, t.greeting(m.From.LanguageCode)); err != nil {
			t.log.Warn("telegram intake greeting failed", "chat", m.Chat.ID, "err", err)
		}
		return nil
	}
	in := TelegramInbound(m)
	in.Team = t.opts.Team
	res, err := t.svc.Capture(ctx, in)
	switch {
	case err != nil && core.KindOf(err) == core.KindInternal:
		return err
	case err != nil:
		t.log.Warn("telegram intake message refused", "chat", m.Chat.ID, "err", err)
		if ferr := t.svc.Connectors.Fail(ctx, core.FailedInbound{Connector: t.Connector(), ExternalID: in.ExternalID,
			Error: core.Message(err), Raw: []byte(in.Text)}, nil); ferr != nil {
			return ferr
		}
	case res.NewLead:
		t.log.Info("telegram intake lead", "lead", res.LeadID, "contact", res.ContactID)
	}
	return nil
}

// greeting answers /start from a prospect whose Telegram speaks code: a
// configured greeting for the language, else the configured default, else
// the catalog's in the prospect's language.
func (t *Telegram) greeting(code string) string {
	code = strings.ToLower(code)
	base, _, _ := strings.Cut(code, "-")
	for _, key := range []string{code, base, ""} {
		if g := strings.TrimSpace(t.opts.Greetings[key]); g != "" {
			return g
		}
	}
	return lang.Default().For(code, t.svc.Settings().Locale).T("prospect.greeting")
}

// isStart reports whether text is the /start command (with or without a
// deep-link payload or the bot's @name).
func isStart(text string) bool {
	word, _, _ := strings.Cut(strings.TrimSpace(text), " ")
	word, _, _ = strings.Cut(word, "@")
	return strings.EqualFold(word, "/start")
}

// TelegramInbound maps a prospect's private message to an inbound: the
// sender's Telegram id is the contact's handle, chat and message id the
// idempotency key; the username and language go with the lead.
func TelegramInbound(m *models.Message) core.Inbound {
	in := core.Inbound{
		Channel:    core.ChannelTelegram,
		Source:     TelegramSource,
		ExternalID: core.TelegramMessageRef(m.Chat.ID, m.ID),
		Name:       strings.TrimSpace(m.From.FirstName + " " + m.From.LastName),
		Handle:     core.ChannelTelegram + ":" + strconv.FormatInt(m.From.ID, 10),
		Text:       messageText(m),
		ReceivedAt: time.Unix(int64(m.Date), 0).UTC(),
		Metadata:   map[string]string{},
	}
	if m.Date == 0 {
		in.ReceivedAt = time.Time{} // capture stamps it
	}
	if m.From.Username != "" {
		in.Metadata["telegram_username"] = "@" + m.From.Username
	}
	if m.From.LanguageCode != "" {
		in.Metadata["language"] = m.From.LanguageCode
		in.Locale = m.From.LanguageCode
	}
	if c := m.Contact; c != nil && c.UserID == m.From.ID && c.PhoneNumber != "" {
		// The prospect shared their own number.
		in.Phone = c.PhoneNumber
		if !strings.HasPrefix(in.Phone, "+") && strings.IndexFunc(in.Phone, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
			in.Phone = "+" + in.Phone // Telegram gives it without the plus
		}
	}
	return in
}

// messageText is a message's text, or its caption, or what it carries.
func messageText(m *models.Message) string {
	switch {
	case strings.TrimSpace(m.Text) != "":
		return m.Text
	case strings.TrimSpace(m.Caption) != "":
		return m.Caption
	case m.Contact != nil:
		return "[shared a contact: " + strings.TrimSpace(m.Contact.FirstName+" "+m.Contact.LastName) + " " + m.Contact.PhoneNumber + "]"
	case m.Location != nil:
		return fmt.Sprintf("[shared a location: %.5f, %.5f]", m.Location.Latitude, m.Location.Longitude)
	case len(m.Photo) > 0:
		return "[sent a photo]"
	case m.Document != nil:
		return "[sent a file: " + m.Document.FileName + "]"
	case m.Voice != nil || m.Audio != nil:
		return "[sent a voice message]"
	case m.Video != nil || m.VideoNote != nil:
		return "[sent a video]"
	case m.Sticker != nil:
		return "[sent a sticker " + m.Sticker.Emoji + "]"
	}
	return "[sent a message leadwire cannot show]"
}

// Send writes text to a chat as plain text (no markup to escape). A 429
// comes back as *tg.TooManyRequestsError; a prospect who blocked the bot,
// never started it or is gone (tgpoll.Permanent) as a core.Undeliverable
// error.
func (t *Telegram) Send(ctx context.Context, chat int64, text string) error {
	off := true
	_, err := t.api.SendMessage(ctx, &tg.SendMessageParams{ChatID: chat, Text: text,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: &off}})
	switch {
	case err == nil:
		return nil
	case tgpoll.Permanent(err):
		return core.Undeliverable(fmt.Errorf("telegram intake sendMessage to %d: %w", chat, err))
	}
	return fmt.Errorf("telegram intake sendMessage to %d: %w", chat, err)
}
