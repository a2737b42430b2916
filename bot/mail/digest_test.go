package mail_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"strings"
	"testing"
	"time"

	"leadwire/bot"
	lwmail "leadwire/bot/mail"
	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/internal/golden"
	"leadwire/internal/smtptest"
	"leadwire/storage/storagetest"
)

// digestService is a team in Tehran whose manager's name needs escaping,
// with deals in five currencies of different minor units.
func digestService(t *testing.T) (*core.Service, *core.User, *clocktest.Clock) {
	t.Helper()
	ctx := context.Background()
	db := storagetest.SQLite(t)
	clock := clocktest.New(time.Date(2026, 11, 3, 6, 0, 0, 0, time.UTC)) // 09:30 in Tehran
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelEmail}
	settings.Rates = core.Rates{Base: "EUR", Rates: map[string]float64{"THB": 0.025, "IRR": 0.000022, "VND": 0.000036, "PLN": 0.23, "CNY": 0.13}}
	svc := core.NewService(db, clock, settings, nil)
	err := svc.Directory.Sync(ctx, core.OrgDef{
		Teams: []core.TeamDef{{Name: "تهران", Manager: "omer@example.ir"}},
		Users: []core.UserDef{
			{Email: "omer@example.ir", Name: `<b>&"Ömer"</b>`, Role: core.RoleManager, Team: "تهران", TimeZone: "Asia/Tehran"},
			{Email: "wang@example.cn", Name: "王伟", Team: "تهران", TimeZone: "Asia/Tehran"},
		},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
			{Name: "Prospecting", Probability: 10, RotDays: 7}, {Name: "Proposal", Probability: 60, RotDays: 14}}}},
		Targets: []core.TargetDef{{Team: "تهران", Month: "2026-11", Amount: core.Money{Amount: 10000000, Currency: "EUR"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	mgr, err := db.UserByEmail(ctx, "omer@example.ir")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := db.UserByEmail(ctx, "wang@example.cn")
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2026, 10, 20, 8, 0, 0, 0, time.UTC)) // two weeks before: the deals rot
	var won int64
	for i, v := range []struct{ name, amount, cur string }{
		{"محمد رضایی", "2500000000", "IRR"}, {"Nguyễn Văn An", "125000000", "VND"}, {"Zofia Łukasiewicz", "12000.50", "PLN"},
		{"李娜", "88000.80", "CNY"}, {"สมชาย ใจดี", "450000.25", "THB"},
	} {
		res, err := svc.Capture(ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: v.cur,
			Name: v.name, Email: strings.ToLower(v.cur) + "@example.com", Company: v.name + " & Co <Ltd>", Team: "تهران"})
		if err != nil {
			t.Fatal(err)
		}
		m, err := core.ParseMoney(v.amount, v.cur)
		if err != nil {
			t.Fatal(err)
		}
		d, err := svc.Qualify(ctx, rep, res.LeadID, core.QualifyInput{Value: m, ExpectedClose: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			won = d.ID
		}
	}
	clock.Set(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)) // Monday 11:30 in Tehran
	if _, err := svc.Win(ctx, rep, won); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Capture(ctx, core.Inbound{Channel: core.ChannelEmail, Source: "sales", ExternalID: "<1@x>",
		Name: "Ömer <Şahin> & Sons", Email: "omer@sahin.example", Team: "تهران", Subject: `Quote for "50" seats <urgent>`}); err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2026, 11, 3, 6, 0, 0, 0, time.UTC))
	return svc, mgr, clock
}

func TestDigestMailOverSMTP(t *testing.T) {
	ctx := context.Background()
	svc, mgr, clock := digestService(t)
	srv := smtptest.Start(t)
	n := lwmail.NewNotifier(svc, bot.NewConversation(svc, clock, bot.Options{}), sender(t, srv))
	notice := core.Notice{Kind: core.NoticeDigest, UserID: mgr.ID, Date: "2026-11-02", Key: core.NoticeKey("digest", mgr.ID, "2026-11-02")}
	if n.Channel() != core.ChannelEmail {
		t.Errorf("channel %q", n.Channel())
	}
	if err := n.Notify(ctx, notice); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("delivered %d messages, want 1", len(got))
	}
	if got[0].From != "anna@example.pl" || len(got[0].To) != 1 || got[0].To[0] != "omer@example.ir" {
		t.Errorf("envelope %s → %v", got[0].From, got[0].To)
	}
	h, bodies, cids := parts(t, got[0].Raw)
	t.Run("has the headers of a proper mail", func(t *testing.T) {
		if subject, _ := h.Subject(); subject != "Daily digest, team تهران: Monday 2 November 2026" {
			t.Errorf("subject %q", subject)
		}
		if from, _ := h.AddressList("From"); len(from) != 1 || from[0].Address != "anna@example.pl" {
			t.Errorf("From %v", from)
		}
		if to, _ := h.AddressList("To"); len(to) != 1 || to[0].Name != `<b>&"Ömer"</b>` || to[0].Address != "omer@example.ir" {
			t.Errorf("To %v", to)
		}
		if date, err := h.Date(); err != nil || date.IsZero() {
			t.Errorf("Date %v, %v", date, err)
		}
		if mid, _ := h.MessageID(); mid != "digest."+itoa(mgr.ID)+".2026-11-02@example.pl" {
			t.Errorf("Message-ID %q", mid)
		}
		if h.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("Auto-Submitted %q", h.Get("Auto-Submitted"))
		}
	})
	html, text := bodies["text/html"], bodies["text/plain"]
	t.Run("escapes every name in the HTML and keeps it in the text", func(t *testing.T) {
		for _, raw := range []string{`<b>&"Ömer"</b>`, "& Co <Ltd>", "<urgent>", "<Şahin>"} {
			if strings.Contains(html, raw) {
				t.Errorf("html holds %q unescaped", raw)
			}
		}
		for _, want := range []string{"Nguyễn Văn An &amp; Co &lt;Ltd&gt;", "李娜 &amp; Co", "Ömer &lt;Şahin&gt; &amp; Sons", "team تهران",
			"125,000,000 VND", "12,000.50 PLN", "88,000.80 CNY", "450,000.25 THB"} {
			if !strings.Contains(html, want) {
				t.Errorf("html lacks %q", want)
			}
		}
		for _, want := range []string{"Daily digest, team تهران", "1 won (55,000.00 EUR)", "Nguyễn Văn An & Co <Ltd>", `Ömer <Şahin> & Sons`} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
		}
	})
	t.Run("inlines the charts as PNG by Content-ID", func(t *testing.T) {
		n := 0
		for cid, ct := range cids {
			if ct != "image/png" {
				continue
			}
			n++
			id := strings.Trim(cid, "<>")
			if !strings.Contains(html, `src="cid:`+id+`"`) {
				t.Errorf("html does not show %s", id)
			}
		}
		if n != 2 {
			t.Errorf("%d inline PNGs (%v), want forecast and funnel", n, cids)
		}
		if _, err := png.Decode(bytes.NewReader([]byte(bodies["image/png"]))); err != nil {
			t.Errorf("inline image is not a PNG: %v", err)
		}
	})
	t.Run("refuses other notices as undeliverable", func(t *testing.T) {
		err := n.Notify(ctx, core.Notice{Kind: core.NoticeReminder, UserID: mgr.ID, TaskID: 1, Key: "reminder:T1"})
		if !errors.Is(err, core.ErrUndeliverable) {
			t.Errorf("err %v, want undeliverable", err)
		}
	})
	t.Run("a refused recipient is undeliverable", func(t *testing.T) {
		srv.Reject("omer@example.ir", 550)
		if err := n.Notify(ctx, notice); !errors.Is(err, core.ErrUndeliverable) {
			t.Errorf("err %v, want undeliverable", err)
		}
	})
}

func itoa(n int64) string { return core.NoticeKey(n) }

func TestDigestMailInPersian(t *testing.T) {
	svc, mgr, clock := digestService(t)
	if _, err := svc.Directory.SetLanguage(context.Background(), mgr, "fa"); err != nil {
		t.Fatal(err)
	}
	conv := bot.NewConversation(svc, clock, bot.Options{})
	rep, err := conv.DigestReply(context.Background(), mgr.ID, "2026-11-02")
	if err != nil {
		t.Fatal(err)
	}
	text, html, _, err := lwmail.DigestMail(rep)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "digest.fa.html.golden", []byte(html))
	golden.Check(t, "digest.fa.txt.golden", []byte(text))
	if !strings.Contains(html, `<html lang="fa" dir="rtl">`) {
		t.Errorf("the page does not say it is Persian, right to left:\n%.300s", html)
	}
}

func TestDigestMailOfAReply(t *testing.T) {
	rep := bot.Reply{Text: "Daily digest", Cards: []bot.Card{{Title: `<script>alert("x")</script>`, Fields: []bot.Field{{Label: "ไทย", Value: "1,500,000 VND"}}}},
		Lists: []bot.List{{Title: "Overdue", Empty: "No overdue tasks."}}}
	text, html, inline, err := lwmail.DigestMail(rep)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html, "<script>") || !strings.Contains(html, "&lt;script&gt;") || len(inline) != 0 {
		t.Errorf("html not escaped or has images:\n%s", html)
	}
	if !strings.Contains(text, "ไทย: 1,500,000 VND") || !strings.Contains(text, "No overdue tasks.") {
		t.Errorf("text:\n%s", text)
	}
}

// TestNewLeadMailToTheTeamsAddress: a team without chat gets its new
// leads by email at the team's address, the card as chat shows it with
// every outside text escaped, and how to claim it from chat.
func TestNewLeadMailToTheTeamsAddress(t *testing.T) {
	ctx := context.Background()
	db := storagetest.SQLite(t)
	clock := clocktest.New(time.Date(2026, 11, 3, 6, 0, 0, 0, time.UTC))
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelEmail}
	svc := core.NewService(db, clock, settings, nil)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: []core.TeamDef{
		{Name: "Kraków", Region: "PL", Email: "krakow-sales@example.pl"}, {Name: "Gdańsk", Region: "PL"},
	}}); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Capture(ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "1",
		Name: `Łucja <script>alert(1)</script> & Syn`, Email: "lucja@example.pl", Team: "Kraków", Subject: "Oferta <pilne>"})
	if err != nil {
		t.Fatal(err)
	}
	team, err := db.TeamByName(ctx, "Kraków")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtptest.Start(t)
	n := lwmail.NewNotifier(svc, bot.NewConversation(svc, clock, bot.Options{}), sender(t, srv))
	ref := core.LeadRef(res.LeadID)
	notice := core.Notice{Kind: core.NoticeNewLead, TeamID: team.ID, LeadID: res.LeadID, Key: "new_lead:" + ref}
	if err := n.Notify(ctx, notice); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != "krakow-sales@example.pl" {
		t.Fatalf("delivered %+v", got)
	}
	h, bodies, _ := parts(t, got[0].Raw)
	if subject, _ := h.Subject(); subject != "New lead "+ref {
		t.Errorf("subject %q", subject)
	}
	if mid, _ := h.MessageID(); !strings.HasPrefix(mid, "notice.") || !strings.HasSuffix(mid, "@example.pl") {
		t.Errorf("Message-ID %q", mid)
	}
	html, text := bodies["text/html"], bodies["text/plain"]
	for _, raw := range []string{"<script>", "<pilne>"} {
		if strings.Contains(html, raw) {
			t.Errorf("html holds %q unescaped", raw)
		}
	}
	for _, want := range []string{"Łucja &lt;script&gt;alert(1)&lt;/script&gt; &amp; Syn", "claim " + ref} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q:\n%s", want, html)
		}
	}
	if !strings.Contains(text, "Łucja <script>alert(1)</script> & Syn") || !strings.Contains(text, "claim "+ref) {
		t.Errorf("text:\n%s", text)
	}
	t.Run("a team without an address is undeliverable", func(t *testing.T) {
		other, err := db.TeamByName(ctx, "Gdańsk")
		if err != nil {
			t.Fatal(err)
		}
		err = n.Notify(ctx, core.Notice{Kind: core.NoticeNewLead, TeamID: other.ID, LeadID: res.LeadID, Key: "x"})
		if !errors.Is(err, core.ErrUndeliverable) {
			t.Errorf("err %v, want undeliverable", err)
		}
	})
}
