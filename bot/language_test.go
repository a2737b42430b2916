package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/bot/console"
	"leadwire/core"
	"leadwire/internal/lang"
	"leadwire/storage/storagetest"
)

// as is a copy of a fixture user who reads leadwire in locale.
func (c *chat) as(who, locale string) string {
	u := *c.users[who]
	u.Locale = locale
	name := who + "-" + locale
	c.users[name] = &u
	return name
}

func TestGoldenCardsInEveryLanguage(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Nguyễn Thị Minh Khai", "minh.khai@vinacorp.vn", "VinaCorp")
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
	c.say(t, "niran", "claim L2")
	c.say(t, "niran", "qualify L2 1,250,000 THB")
	c.clock.Set(start.Add(26 * time.Hour))
	c.say(t, "niran", "move D1 proposal")
	c.say(t, "niran", "close D1 2026-12-15")
	c.say(t, "niran", "remind D1 fri 10:00 send the contract")
	c.say(t, "niran", "note D1 ลูกค้าสนใจ — wants a 5% discount")
	c.clock.Set(start.Add(30 * time.Hour))
	for _, l := range lang.Languages[1:] {
		who := c.as("niran", l)
		t.Run("a new lead in "+l, func(t *testing.T) {
			golden(t, "lead_card."+l+".golden", c.say(t, who, "lead L1"))
		})
		t.Run("a deal with a task and a note in "+l, func(t *testing.T) {
			golden(t, "deal_card."+l+".golden", c.say(t, who, "deal D1"))
		})
		t.Run("help in "+l, func(t *testing.T) {
			golden(t, "help."+l+".golden", c.say(t, who, "help"))
		})
	}
	for _, l := range lang.Languages {
		who := c.as("niran", l)
		t.Run("a deal's history in "+l, func(t *testing.T) {
			golden(t, "history."+l+".golden", c.say(t, who, "history D1"))
		})
		t.Run("why a deal scores what it does in "+l, func(t *testing.T) {
			golden(t, "why."+l+".golden", c.say(t, who, "why D1"))
		})
	}
}

// TestGoldenHandOffInEveryLanguage: a deal handed over as its new owner
// reads the notice, and a task given by the manager, in each language.
func TestGoldenHandOffInEveryLanguage(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
	c.say(t, "niran", "claim L1")
	c.say(t, "niran", "qualify L1 1,250,000 THB")
	c.say(t, "niran", "remind D1 fri 10:00 send the contract")
	c.clock.Set(start.Add(2 * time.Hour))
	if out := c.say(t, "somchai", "assign D1 pim"); !strings.Contains(out, "D1 handed over to Pim Jaidee") {
		t.Fatalf("assign:\n%s", out)
	}
	if out := c.say(t, "somchai", "remind @pim D1 tomorrow 10am call Anong back"); !strings.Contains(out, "for Pim Jaidee") {
		t.Fatalf("remind:\n%s", out)
	}
	tasks, err := c.svc.Tasks(c.ctx, c.users["pim"], core.TaskFilter{OpenOnly: true})
	if err != nil || len(tasks) != 1 {
		t.Fatalf("Pim's tasks %+v, %v", tasks, err)
	}
	pim, by := c.users["pim"].ID, c.users["somchai"].ID
	for _, l := range lang.Languages {
		if _, err := c.svc.Directory.SetLanguage(c.ctx, c.users["pim"], l); err != nil {
			t.Fatal(err)
		}
		t.Run("the new owner is told in "+l, func(t *testing.T) {
			rep, err := c.conv.NoticeReply(c.ctx, core.Notice{Kind: core.NoticeAssigned, UserID: pim, DealID: 1, By: by, How: core.RouteAssigned, Key: "k"})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "assigned."+l+".golden", console.Render(rep))
		})
		t.Run("a task given is told in "+l, func(t *testing.T) {
			rep, err := c.conv.NoticeReply(c.ctx, core.Notice{Kind: core.NoticeTaskGiven, UserID: pim, TaskID: tasks[0].ID, By: by, Key: "k"})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "task_given."+l+".golden", console.Render(rep))
		})
	}
}

func TestGoldenDigestInEveryLanguage(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	digestFortnight(t, c)
	for _, l := range lang.Languages[1:] {
		t.Run("the digest in "+l, func(t *testing.T) {
			if _, err := c.svc.Directory.SetLanguage(c.ctx, c.users["somchai"], l); err != nil {
				t.Fatal(err)
			}
			rep, err := c.conv.DigestReply(c.ctx, c.users["somchai"].ID, "2026-11-12")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "digest."+l+".golden", console.Render(rep))
		})
	}
}

func TestEverydayVerbsInTheUsersLanguage(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	for i := range 6 {
		c.lead("Bangkok", "Anong Wongsa", fmt.Sprintf("anong%d@siam.co.th", i), "Siam Logistics")
	}
	th, fa, vi, pl, zh := c.as("niran", "th"), c.as("niran", "fa"), c.as("niran", "vi"), c.as("niran", "pl"), c.as("niran", "zh-Hans")
	c.run(t, []step{
		{name: "a Thai rep claims with รับ", who: th, line: "รับ L1", want: []string{"L1 เป็นของคุณแล้ว"}},
		{name: "a Persian rep claims with برداشتن", who: fa, line: "برداشتن L2", want: []string{"\u2066L2\u2069 حالا مال شماست."}},
		{name: "a Vietnamese rep claims with nhận", who: vi, line: "nhận L3", want: []string{"L3 giờ là của bạn."}},
		{name: "a Polish rep claims with przejmij", who: pl, line: "przejmij L4", want: []string{"L4 jest teraz twój."}},
		{name: "a Chinese rep claims with 认领", who: zh, line: "认领 L5", want: []string{"L5 现在归你跟进了。"}},
		{name: "English words work in every language", who: th, line: "claim L6", want: []string{"L6 เป็นของคุณแล้ว"}},
		{name: "a Thai rep qualifies, moves and wins", who: th, line: "แปลงดีล L1 50000 THB", want: []string{"แปลง L1 เป็น D1 แล้ว"}},
		{name: "a Thai rep moves", who: th, line: "ย้าย D1 proposal", want: []string{"ย้าย D1 ไปขั้น Proposal แล้ว"}},
		{name: "a Thai rep notes", who: th, line: "โน้ต D1 ลูกค้าขอใบเสนอราคา", want: []string{"บันทึกลงใน D1 แล้ว"}},
		{name: "a Thai rep wins", who: th, line: "ปิดได้ D1", want: []string{"D1 ปิดได้: 50,000.00\u00a0THB"}},
		{name: "a Polish rep qualifies and loses", who: pl, line: "kwalifikuj L4 12000 PLN", want: []string{"L4 zamieniony w D2"}},
		{name: "a Polish rep reads money as Poland writes it", who: pl, line: "wartość D2 12.345,50 PLN", want: []string{"D2 jest teraz warta 12\u00a0345,50\u00a0PLN."}},
		{name: "a dot before three digits is a thousands mark for a Polish rep", who: pl, line: "wartość D2 12.345 PLN", want: []string{"D2 jest teraz warta 12\u00a0345,00\u00a0PLN."}},
		{name: "a Polish rep loses with a reason", who: pl, line: "przegrana D2 cena", want: []string{"D2 przegrana: cena."}},
		{name: "a Vietnamese two-word verb: hôm nay", who: vi, line: "hôm nay", want: []string{"Đến hạn hôm nay"}},
		{name: "a Chinese rep lists the pipeline", who: zh, line: "漏斗", want: []string{"你的销售漏斗"}},
		{name: "a Persian rep lists leads", who: fa, line: "سرنخ‌ها", want: []string{"سرنخ‌های باز شما"}},
		{name: "a typo is answered in the user's language", who: pl, line: "przejmj L4", want: []string{"nieznane polecenie \"przejmj\"; czy chodziło o przejmij?"}},
		{name: "a missing argument gets the usage in the user's language", who: zh, line: "认领", want: []string{"用法：认领 L123"}},
		{name: "help lists the verbs of the user's language", who: vi, line: "help", want: []string{"nhận L123", "hôm nay", "thống kê"}},
		{name: "help on one verb names the English word too", who: th, line: "help รับ", want: []string{"รับ L123", "พิมพ์แบบอื่นได้: claim, take, c"}},
	})
}

func TestLanguageCommand(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.run(t, []step{
		{name: "without a word it says the language and the choices", who: "pim", line: "language", want: []string{"leadwire speaks English to you", "th (ไทย)", "zh-Hans (简体中文)"}},
		{name: "a rep sets Thai and hears Thai at once", who: "pim", line: "language th", want: []string{"ต่อจากนี้ leadwire จะคุยกับคุณเป็นภาษาไทย"}},
		{name: "a language leadwire does not speak is refused", who: "zofia", line: "language de", want: []string{"leadwire does not speak de yet"}},
		{name: "a region is fine", who: "zofia", line: "language pl-PL", want: []string{"Gotowe"}},
	})
	for name, want := range map[string]string{"pim": "th", "zofia": "pl"} {
		u, err := c.svc.Directory.UserByID(c.ctx, c.users[name].ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Locale != want {
			t.Errorf("%s's locale is %q, want %q", name, u.Locale, want)
		}
		c.users[name] = u
	}
	c.run(t, []step{
		{name: "the next command answers in the language set", who: "pim", line: "leads", want: []string{"ลีดที่เปิดอยู่ของคุณ"}},
		{name: "auto goes back to the organisation's", who: "pim", line: "ภาษา auto", want: []string{"leadwire speaks English to you now"}},
	})
}

func TestTheReadersLanguageIsChosen(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
	pim := c.users["pim"]
	if err := c.svc.Directory.NoteChatLocale(c.ctx, pim, "vi"); err != nil {
		t.Fatal(err)
	}
	stored, err := c.svc.Directory.UserByID(c.ctx, pim.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.ChatLocale != "vi" {
		t.Fatalf("chat locale %q, want vi", stored.ChatLocale)
	}
	c.users["pim"] = stored
	c.run(t, []step{
		{name: "without a language of one's own, the chat account's", who: "pim", line: "leads", want: []string{"Lead đang mở của bạn"}},
	})
	withOwn := *stored
	withOwn.Locale = "pl"
	c.users["pim-own"] = &withOwn
	c.run(t, []step{
		{name: "one's own language beats the chat account's", who: "pim-own", line: "leads", want: []string{"Twoje otwarte leady"}},
	})

	settings := core.DefaultSettings()
	settings.TimeZone = "Asia/Bangkok"
	settings.Locale = "th"
	c.svc = core.NewService(c.db, c.clock, settings, nil)
	c.conv = bot.NewConversation(c.svc, c.clock, bot.Options{})
	c.run(t, []step{
		{name: "with neither, the organisation's", who: "zofia", line: "leads", want: []string{"ลีดที่เปิดอยู่ของคุณ"}},
		{name: "an unspoken language of one's own falls to the organisation's", who: c.as("zofia", "de"), line: "leads", want: []string{"ลีดที่เปิดอยู่ของคุณ"}},
	})
	t.Run("a team channel reads the team's language", func(t *testing.T) {
		if err := c.svc.Directory.Sync(c.ctx, core.OrgDef{Teams: []core.TeamDef{{Name: "Bangkok", Manager: "somchai@example.com", Region: "TH", Locale: "zh-Hans"}}}); err != nil {
			t.Fatal(err)
		}
		rep, _, err := c.conv.TeamLeadNotice(c.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if out := console.Render(rep); !strings.Contains(out, "新线索 L1") || !strings.Contains(out, "认领") {
			t.Fatalf("team notice:\n%s\nwant it in Chinese", out)
		}
	})
}

func TestCardsInTheReadersCalendar(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
	c.say(t, "niran", "claim L1")
	c.say(t, "niran", "qualify L1 1,250,000 THB")
	c.say(t, "niran", "close D1 2026-12-15")
	c.say(t, "niran", "remind D1 fri 10:00 send the contract")
	tests := []struct {
		name, locale string
		cal          core.Calendar
		want         []string
	}{
		{"Persian in the Solar Hijri calendar", "fa", core.CalendarPersian, []string{"24 آذر 1405", "15 آبان"}},
		{"Thai in the Buddhist era", "th", core.CalendarBuddhist, []string{"15 ธ.ค. 2569", "ศ. 6 พ.ย. 10:00 น."}},
		{"English in the Solar Hijri calendar", "en", core.CalendarPersian, []string{"Tue 24 Azar 1405", "Fri 15 Aban 10:00"}},
		{"Chinese in the Gregorian calendar", "zh-Hans", core.CalendarGregorian, []string{"2026年12月15日 周二", "11月6日 周五 10:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := *c.users["niran"]
			u.Locale, u.Calendar = tt.locale, tt.cal
			c.users["cal"] = &u
			out := c.say(t, "cal", "deal D1")
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Fatalf("deal card:\n%s\nwant it to contain %q", out, w)
				}
			}
			golden(t, "deal_card."+tt.locale+"-"+string(tt.cal)+".golden", out)
		})
	}
}
