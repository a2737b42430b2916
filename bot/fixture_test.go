package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/bot/console"
	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
)

// chat is a conversation over a real database with two teams: Bangkok (a
// manager and two reps) and Warsaw (one rep), and an admin. It is Monday
// 2 November 2026, 09:00 UTC: 16:00 in Bangkok.
type chat struct {
	t     testing.TB
	ctx   context.Context
	db    *storage.DB
	svc   *core.Service
	clock *clocktest.Clock
	conv  *bot.Conversation
	users map[string]*core.User // by first name: ada, somchai, niran, pim, zofia
	last  map[string]bot.Reply  // each user's last reply, whose buttons numbers press
}

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newChat(t testing.TB, db *storage.DB) *chat {
	t.Helper()
	return newChatWith(t, db, nil)
}

// newChatWith is newChat with settings and an organisation that change
// changes first.
func newChatWith(t testing.TB, db *storage.DB, change func(*core.Settings, *core.OrgDef)) *chat {
	t.Helper()
	ctx := context.Background()
	clk := clocktest.New(start)
	settings := core.DefaultSettings()
	settings.TimeZone = "Asia/Bangkok"
	settings.Rates = core.Rates{Base: "EUR", Rates: map[string]float64{"THB": 0.025, "PLN": 0.23}}
	svc := core.NewService(db, clk, settings, nil)
	dir := core.OrgDef{
		Teams: []core.TeamDef{{Name: "Bangkok", Manager: "somchai@example.com", Region: "TH"}, {Name: "Warsaw", Region: "PL"}},
		Users: []core.UserDef{
			{Email: "ada@example.com", Name: "Ada", Role: core.RoleAdmin, TimeZone: "Europe/Warsaw"},
			{Email: "somchai@example.com", Name: "สมชาย", Role: core.RoleManager, Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "niran@example.com", Name: "Niran Srisuk", Team: "Bangkok", TimeZone: "Asia/Bangkok", Locale: "en-TH", SlackID: "U0NIRAN"},
			{Email: "pim@example.com", Name: "Pim Jaidee", Team: "Bangkok", TimeZone: "Asia/Bangkok", SlackID: "U0PIM"},
			{Email: "zofia@example.com", Name: "Zofia Łukasiewicz", Team: "Warsaw", TimeZone: "Europe/Warsaw"},
		},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
			{Name: "Prospecting", Probability: 10, RotDays: 7}, {Name: "Qualified", Probability: 25, RotDays: 10},
			{Name: "Meeting", Probability: 40, RotDays: 10}, {Name: "Proposal", Probability: 60, RotDays: 14},
			{Name: "Negotiation", Probability: 80, RotDays: 14}}}},
		Targets: []core.TargetDef{{Team: "Bangkok", Month: "2026-11", Amount: core.Money{Amount: 5000000, Currency: "EUR"}}},
	}
	if change != nil {
		change(&settings, &dir)
		svc = core.NewService(db, clk, settings, nil)
	}
	if err := svc.Directory.Sync(ctx, dir); err != nil {
		t.Fatalf("sync directory: %v", err)
	}
	c := &chat{t: t, ctx: ctx, db: db, svc: svc, clock: clk, conv: bot.NewConversation(svc, clk, bot.Options{}),
		users: map[string]*core.User{}, last: map[string]bot.Reply{}}
	for _, name := range []string{"ada", "somchai", "niran", "pim", "zofia"} {
		u, err := db.UserByEmail(ctx, name+"@example.com")
		if err != nil {
			t.Fatal(err)
		}
		c.users[name] = u
	}
	return c
}

// lead captures a web form lead for a team and returns its id.
func (c *chat) lead(team, name, email, company string) int64 {
	c.t.Helper()
	res, err := c.svc.Capture(c.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: email,
		Name: name, Email: email, Company: company, Team: team, Subject: "Pricing for 50 seats",
		Text: "Hello, please send a quote.", ReceivedAt: c.clock.Now()})
	if err != nil || !res.NewLead {
		c.t.Fatalf("capture %s: %+v, %v", email, res, err)
	}
	return res.LeadID
}

// say has a user type a line, as the console does: a number presses that
// button of the user's last reply. It returns the rendered reply.
func (c *chat) say(t *testing.T, who, line string) string {
	t.Helper()
	var u *core.User
	if who != "" {
		u = c.users[who]
		if u == nil {
			t.Fatalf("no user %q", who)
		}
	}
	var r bot.Reply
	buttons := c.last[who].AllButtons()
	n := 0
	for _, ch := range line {
		if ch < '0' || ch > '9' {
			n = -1
			break
		}
		n = n*10 + int(ch-'0')
	}
	if n >= 1 && n <= len(buttons) {
		r = c.conv.Press(c.ctx, u, buttons[n-1].Action)
	} else {
		r = c.conv.Handle(c.ctx, u, line)
	}
	c.last[who] = r
	return console.Render(r)
}

// step is one line typed and what its rendered reply must and must not
// contain.
type step struct {
	name string
	who  string
	line string
	want []string
	not  []string
}

func (c *chat) run(t *testing.T, steps []step) {
	t.Helper()
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			out := c.say(t, s.who, s.line)
			for _, w := range s.want {
				if !strings.Contains(out, w) {
					t.Fatalf("%s> %s\n%s\nwant it to contain %q", s.who, s.line, out, w)
				}
			}
			for _, w := range s.not {
				if mentions(out, w) {
					t.Fatalf("%s> %s\n%s\nwant it not to contain %q", s.who, s.line, out, w)
				}
			}
		})
	}
}

// mentions reports whether out holds w as a whole: not as part of a longer
// word or number, so "L1" is not found in the example "qualify L123".
func mentions(out, w string) bool {
	return regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(w) + `($|[^\pL\pN])`).MatchString(out)
}
