package slack

import (
	"encoding/json"
	"fmt"
	"leadwire/internal/golden"
	"testing"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/storage/storagetest"
)

// TestGolden compares the Block Kit of typical replies with
// testdata/*.golden; go test -update rewrites them.
func TestGolden(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	lead := w.lead("Bangkok", "Somsak <Siam & Co>", "somsak@siam.example")
	deal := w.deal("Bangkok", "niran", "ploy@siam.example")
	niran := w.users["niran"]
	if r := w.conv.Handle(w.ctx, niran, "remind "+core.DealRef(deal)+" tomorrow 9am call back"); r.Tone != bot.ToneGood {
		t.Fatalf("remind: %+v", r)
	}
	tasks, err := w.db.ListTasks(w.ctx, core.TaskFilter{DealID: deal})
	if err != nil || len(tasks) != 1 {
		t.Fatalf("tasks %v, %v", tasks, err)
	}
	reminder, err := w.conv.TaskReminder(w.ctx, tasks[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	notice, err := w.conv.LeadNotice(w.ctx, lead)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		reply bot.Reply
	}{
		{"lead_card", w.conv.Handle(w.ctx, niran, "lead "+core.LeadRef(lead))},
		{"deal_card", w.conv.Handle(w.ctx, niran, "deal "+core.DealRef(deal))},
		{"deal_list", w.conv.Handle(w.ctx, niran, "deals")},
		{"reminder", reminder},
		{"new_lead", notice},
		{"lost_menu", w.conv.Press(w.ctx, niran, "lost:"+core.DealRef(deal))},
		// A Persian reader: right-to-left text around ids, amounts and names.
		{"deal_card.fa", w.conv.Handle(w.ctx, in(niran, "fa"), "deal "+core.DealRef(deal))},
		{"deal_list.fa", w.conv.Handle(w.ctx, in(niran, "fa"), "deals")},
		{"deal_card.th", w.conv.Handle(w.ctx, in(niran, "th"), "deal "+core.DealRef(deal))},
	}
	// The timeline, a page with More, and the deal handed over to Pim as
	// she is told of it.
	for i := range 11 {
		if _, err := w.svc.Note(w.ctx, niran, core.Ref{Kind: 'D', ID: deal}, fmt.Sprintf("note %d: *bold* <b>&", i)); err != nil {
			t.Fatal(err)
		}
	}
	history := w.conv.Handle(w.ctx, niran, "history "+core.DealRef(deal))
	historyFa := w.conv.Handle(w.ctx, in(niran, "fa"), "history "+core.DealRef(deal))
	why := w.conv.Handle(w.ctx, niran, "why "+core.DealRef(deal))
	if r := w.conv.Handle(w.ctx, w.users["somchai"], "assign "+core.DealRef(deal)+" pim"); r.Tone != bot.ToneGood {
		t.Fatalf("assign: %+v", r)
	}
	assigned, err := w.conv.NoticeReply(w.ctx, core.Notice{Kind: core.NoticeAssigned, UserID: w.users["pim"].ID, DealID: deal,
		By: w.users["somchai"].ID, How: core.RouteAssigned, Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, []struct {
		name  string
		reply bot.Reply
	}{
		{"history", history},
		{"history.fa", historyFa},
		{"why", why},
		{"assigned", assigned},
	}...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := json.MarshalIndent(Message(c.reply), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden.Check(t, c.name+".golden", got)
		})
	}
}

// in is a copy of u who reads leadwire in locale.
func in(u *core.User, locale string) *core.User {
	c := *u
	c.Locale = locale
	return &c
}
