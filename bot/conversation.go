// Package bot is the conversation every chat shares: it reads a command or
// a button press, calls the core services as the person who typed it, and
// answers with a Reply that the Slack, Telegram and console adapters
// render. Permissions are core's: the bot only asks, as the user.
package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"leadwire/core"
	"leadwire/internal/lang"
	"leadwire/internal/typeset"
)

// Options tune a conversation for its chat.
type Options struct {
	// Prefix is how commands are typed in this chat ("/lw " in Slack,
	// "/" in Telegram, "" in the console); usage lines and hints carry it.
	Prefix string
	// Limit is how many items a list shows (default 10).
	Limit int
	// Log receives internal errors, which users only hear about vaguely.
	Log *slog.Logger
	// Via is the chat the audit log records changes as coming through
	// (default: the console).
	Via core.Via
	// Fonts draw the digest's charts (default: typeset.System(), the
	// embedded fonts and a CJK font found on this machine).
	Fonts *typeset.Fonts
}

// Conversation answers commands and button presses. It holds no state
// between calls, so one value serves every user and goroutine.
type Conversation struct {
	svc      *core.Service
	clock    core.Clock
	opts     Options
	dates    *dates
	cat      *lang.Catalog
	commands []*command
	byName   map[string]*command
	// byLang are the commands by the words of each language (English's
	// are in byName): "รับ" is claim for a Thai rep.
	byLang map[string]map[string]*command
}

// NewConversation returns a conversation over the services; clock nil
// means the service's clock.
func NewConversation(svc *core.Service, clock core.Clock, opts Options) *Conversation {
	if clock == nil {
		clock = svc.Clock()
	}
	if opts.Limit <= 0 {
		opts.Limit = 10
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	c := &Conversation{svc: svc, clock: clock, opts: opts, dates: newDates(), cat: lang.Default()}
	c.commands = c.grammar()
	c.byName = map[string]*command{}
	for _, cmd := range c.commands {
		c.byName[cmd.name] = cmd
		for _, a := range cmd.aliases {
			c.byName[a] = cmd
		}
	}
	c.byLang = c.localWords()
	return c
}

// printer is the catalog in u's language: their own, their chat
// account's, else the organisation's.
func (c *Conversation) printer(u *core.User) *lang.Printer {
	return c.cat.For(u.Locales(c.svc.Settings().Locale)...)
}

// request is one command or press being answered, with what its handlers
// share: who asks, the words, the time in their zone, and lookups made
// once per request.
type request struct {
	c         *Conversation
	user      *core.User
	args      args
	press     bool // from a button: a change replaces the card it was on
	now       time.Time
	loc       *time.Location
	p         *lang.Printer // the asker's language
	dates     dateFmt       // and how they write dates
	says      speaker       // and how they type date phrases
	users     map[int64]*core.User
	pipelines map[int64]*core.Pipeline
	// stageIndex are all stages, loaded when a stage named by core's
	// figures is shown (stages).
	stageIndex *stages
}

func (c *Conversation) request(user *core.User, a args, press bool) *request {
	p, cal := c.printer(user), user.CalendarOf(c.svc.Settings().Calendar)
	return &request{c: c, user: user, args: a, press: press, now: c.clock.Now(), loc: user.Location(), p: p,
		dates: dateFmt{p: p, cal: cal}, says: speakerOf(user, p.Lang(), cal),
		users: map[int64]*core.User{user.ID: user}, pipelines: map[int64]*core.Pipeline{}}
}

// Handle answers a typed command. A nil or deactivated user gets Unknown
// and nothing else.
func (c *Conversation) Handle(ctx context.Context, user *core.User, text string) Reply {
	if user == nil || !user.Active {
		return Unknown("", "")
	}
	ctx = core.WithVia(ctx, c.via())
	word, a := splitCommand(text)
	r := c.request(user, a, false)
	return r.in(c.handle(ctx, r, word))
}

func (c *Conversation) handle(ctx context.Context, r *request, word string) Reply {
	if word == "" {
		return c.help(ctx, r)
	}
	if ref, err := core.ParseRef(word); err == nil {
		return c.show(ctx, r, ref)
	}
	if id, err := core.ParseContactRef(word); err == nil {
		return c.showContact(ctx, r, id)
	}
	cmd, a := c.commandOf(r.p, word, r.args)
	r.args = a
	if cmd == nil {
		return c.unknownCommand(r, word)
	}
	if a.len() < cmd.min {
		return c.usage(r, cmd)
	}
	return cmd.run(ctx, r)
}

// Press answers a button: its action code, as the user who pressed it.
func (c *Conversation) Press(ctx context.Context, user *core.User, action string) Reply {
	if user == nil || !user.Active {
		return Unknown("", "")
	}
	r := c.request(user, args{}, true)
	return r.in(c.press(core.WithVia(ctx, c.via()), r, action))
}

func (c *Conversation) via() core.Via {
	if c.opts.Via == "" {
		return core.ViaConsole
	}
	return c.opts.Via
}

// in marks a reply with the reader's language, for the words an adapter
// adds itself.
func (r *request) in(rep Reply) Reply {
	rep.Lang = r.p.Lang()
	if r.user.Digits == core.DigitsNative && r.p.HasNativeDigits() {
		nativeDigits(r.p, &rep)
	}
	if r.p.RTL() {
		// In right-to-left text, values shown beside a label keep their
		// own order: amounts, dates, Latin names.
		for i := range rep.Cards {
			c := &rep.Cards[i]
			c.Title, c.Subtitle = lang.Isolate(c.Title), lang.Isolate(c.Subtitle)
			for j := range c.Fields {
				c.Fields[j].Value = lang.Isolate(c.Fields[j].Value)
			}
		}
	}
	return rep
}

// nativeDigits writes the numbers, amounts and dates of rep in p's own
// digits, for a reader who chose them; ids, commands and what prospects
// wrote stay as they are.
func nativeDigits(p *lang.Printer, rep *Reply) {
	d := p.NativeDigits
	rep.Text = d(rep.Text)
	for i := range rep.Cards {
		c := &rep.Cards[i]
		c.Title, c.Subtitle, c.Status, c.Note = d(c.Title), d(c.Subtitle), d(c.Status), d(c.Note)
		for j := range c.Fields {
			c.Fields[j].Label, c.Fields[j].Value = d(c.Fields[j].Label), d(c.Fields[j].Value)
		}
		for j := range c.Buttons {
			c.Buttons[j].Label = d(c.Buttons[j].Label)
		}
	}
	for i := range rep.Lists {
		l := &rep.Lists[i]
		l.Title, l.Empty, l.More = d(l.Title), d(l.Empty), d(l.More)
		for j := range l.Items {
			l.Items[j].Text, l.Items[j].Detail = d(l.Items[j].Text), d(l.Items[j].Detail)
		}
	}
	for i := range rep.Buttons {
		rep.Buttons[i].Label = d(rep.Buttons[i].Label)
	}
}

// Printer is the catalog in the language of u, or for someone leadwire
// does not know (u nil), in what their chat reports (chatLocale), else
// the organisation's: for the words an adapter says itself.
func (c *Conversation) Printer(u *core.User, chatLocale string) *lang.Printer {
	if u == nil {
		return c.cat.For(chatLocale, c.svc.Settings().Locale)
	}
	return c.printer(u)
}

// NoteChatLocale keeps the language u's chat app reports (Telegram's
// language_code, Slack's locale) for when u has none of their own; it
// writes only when it changed.
func (c *Conversation) NoteChatLocale(ctx context.Context, u *core.User, locale string) {
	if u == nil || locale == "" || locale == u.ChatLocale {
		return
	}
	if err := c.svc.Directory.NoteChatLocale(ctx, u, locale); err != nil {
		c.opts.Log.Warn("keeping the chat's language failed", "user", u.ID, "err", err)
	}
}

// Unknown is the whole answer to someone leadwire does not know: how to
// get access, and no pipeline data. chat and id, when given, name the
// account an admin should link ("slack", "U123ABC").
func Unknown(chat, id string) Reply { return UnknownIn("", chat, id) }

// UnknownIn is Unknown in the language the chat reports for the person
// (Telegram's language_code, Slack's locale).
func UnknownIn(locale, chat, id string) Reply {
	link := linkCommand + " YOUR-EMAIL --slack YOUR-SLACK-ID (or --telegram YOUR-TELEGRAM-ID)"
	if chat != "" && id != "" {
		link = fmt.Sprintf("%s YOUR-EMAIL --%s %s", linkCommand, chat, id)
	}
	return Reply{Tone: ToneWarn, Ephemeral: true, Text: lang.Default().For(locale).T("unknown_user", "Link", link)}
}

// SlackUser finds the user linked to a Slack user id; nil when nobody is,
// so the adapter answers Unknown.
func (c *Conversation) SlackUser(ctx context.Context, slackID string) (*core.User, error) {
	return known(c.svc.Directory.UserBySlackID(ctx, slackID))
}

// TelegramUser finds the user linked to a Telegram user id; nil when
// nobody is.
func (c *Conversation) TelegramUser(ctx context.Context, telegramID int64) (*core.User, error) {
	return known(c.svc.Directory.UserByTelegramID(ctx, telegramID))
}

func known(u *core.User, err error) (*core.User, error) {
	if core.IsNotFound(err) || (err == nil && !u.Active) {
		return nil, nil
	}
	return u, err
}

// fail maps an error to a reply: the one place where error kinds become
// words and tones. Internal errors are logged and not shown; every change
// is one transaction, so a failed one changed nothing.
func (c *Conversation) fail(r *request, err error) Reply {
	rep := Reply{Text: r.p.ErrorText(err), Ephemeral: true}
	switch core.KindOf(err) {
	case core.KindNotFound, core.KindInvalid, core.KindConflict:
		rep.Tone = ToneWarn
	case core.KindForbidden:
		rep.Tone = ToneBad
	default:
		c.opts.Log.Error("chat command failed", "err", err)
		rep.Tone = ToneBad
		rep.Text = r.p.T("internal_error")
	}
	return rep
}

// changed is the reply to a change: in the channel, and in place of the
// card when it came from a button.
func (r *request) changed(text string, cards ...Card) Reply {
	return Reply{Text: text, Tone: ToneGood, Cards: cards, Update: r.press}
}

// shown is the reply to a read: for the asker only.
func shown(text string, cards ...Card) Reply {
	return Reply{Text: text, Cards: cards, Ephemeral: true}
}

// userName names a user for display, looked up once per request.
func (r *request) userName(ctx context.Context, id int64) string {
	if id == 0 {
		return r.p.T("nobody")
	}
	u, ok := r.users[id]
	if !ok {
		u, _ = r.c.svc.Directory.UserByID(ctx, id)
		r.users[id] = u
	}
	switch {
	case u == nil:
		return r.p.T("user_n", "ID", id)
	case u.Name != "":
		return u.Name
	}
	return u.Email
}

// pipeline returns a pipeline, looked up once per request; nil if gone.
func (r *request) pipeline(ctx context.Context, id int64) *core.Pipeline {
	p, ok := r.pipelines[id]
	if !ok {
		p, _ = r.c.svc.Directory.PipelineByID(ctx, id)
		r.pipelines[id] = p
	}
	return p
}

// stageName names a deal's stage.
func (r *request) stageName(ctx context.Context, d *core.Deal) string {
	if p := r.pipeline(ctx, d.PipelineID); p != nil {
		if st := p.Stage(d.StageID); st != nil {
			return r.label(st)
		}
	}
	return "?"
}

// at shows a time in the asker's zone.
func (r *request) at(t time.Time) string { return r.dates.at(t, r.loc, r.now) }

// zoned shows a time in the asker's zone, naming the zone.
func (r *request) zoned(t time.Time) string { return r.dates.zoned(t, r.loc, r.now) }

// t is the catalog's message id in the asker's language.
func (r *request) t(id string, pairs ...any) string { return r.p.T(id, pairs...) }

// cmd is how a command reads in this chat: cmd("move D45 STAGE").
func (c *Conversation) cmd(s string) string { return c.opts.Prefix + s }

// ago says how long ago t was, roughly: "just now", "5 min ago", "3 h
// ago", "4 days ago".
func ago(p *lang.Printer, t, now time.Time) string {
	if t.IsZero() {
		return p.T("ago.never")
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return p.T("ago.now")
	case d < time.Hour:
		return p.N("ago.minutes", int(d.Minutes()))
	case d < 48*time.Hour:
		return p.N("ago.hours", int(d.Hours()))
	}
	return p.N("ago.days", int(d.Hours()/24))
}

// ago is how long ago t was, in the asker's words.
func (r *request) ago(t time.Time) string { return ago(r.p, t, r.now) }

// clip shortens s to n runes, with an ellipsis.
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}
