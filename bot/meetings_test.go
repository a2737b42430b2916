package bot_test

import (
	"slices"
	"strings"
	"testing"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestCallsAndMeetings(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.lead("Bangkok", "Nguyễn Minh", "minh@vinacorp.vn", "VinaCorp")
		c.lead("Bangkok", "Anong", "anong@siam.th", "Siam")
		c.run(t, []step{
			{"a deal to work on", "niran", "qualify L1 1000 EUR", []string{"D1"}, nil},
			{"a call with notes", "niran", "call D1 they want 50 seats by March", []string{"✓ Call logged on D1."}, nil},
			{"a call without notes", "niran", "call D1", []string{"✓ Call logged on D1."}, nil},
			{"a call on a task is refused", "niran", "call T1 hello", []string{"T1 is not a lead or a deal", "usage: call D45|L123 [NOTES]"}, nil},
			{"a meeting is a task with its time in my zone", "niran", "meeting D1 tomorrow 3pm product demo",
				[]string{"T1 meeting Tue 3 Nov 15:00 (Asia/Bangkok): product demo (on D1).", "held D1"}, nil},
			{"a meeting needs a time", "niran", "meeting D1 soon-ish", []string{"When is the meeting?", "meeting D1 tomorrow 3pm product demo"}, nil},
			{"not in the past", "niran", "meeting D1 yesterday 3pm", []string{"has passed"}, nil},
			{"the deal card shows it as the next task", "niran", "deal D1", []string{"T1 Tue 3 Nov 15:00 · product demo"}, nil},
			{"my tasks offer Held for a meeting", "niran", "tasks", []string{"[1] Held", "[2] Done"}, nil},
			{"a rep of another team may not log a call on it", "zofia", "call D1 hi", []string{"D1 is not yours: only its owner"}, []string{"Logged"}},
			{"nor book a meeting on it", "zofia", "meeting D1 tomorrow 3pm", []string{"D1 is not yours"}, nil},
			{"nor mark it held", "zofia", "held D1", []string{"D1 is not yours"}, nil},
			{"nor the meeting itself", "zofia", "held T1", []string{"T1 is not yours"}, nil},
			{"a teammate may not either", "pim", "held T1", []string{"T1 is not yours"}, nil},
		})
		c.say(t, "zofia", "language pl")
		zofia, err := c.db.UserByEmail(c.ctx, "zofia@example.com")
		if err != nil {
			t.Fatal(err)
		}
		c.users["zofia"] = zofia
		c.run(t, []step{
			{"the refusal in the asker's language", "zofia", "call D1 cześć", []string{"D1 nie jest twoje"}, nil},
			{"a lead with no meeting", "niran", "claim L2", []string{"L2"}, nil},
			{"", "niran", "held L2", []string{"L2 has no open meeting; book one with meeting L2 tomorrow 3pm product demo"}, nil},
			{"a follow-up is not a meeting", "niran", "remind L2 tomorrow 9am call back", []string{"T2"}, nil},
			{"", "niran", "held T2", []string{"T2 is a follow-up, not a meeting; mark it done with done T2"}, nil},
		})
		before := leadScore(t, c, 1)
		// The meeting's time comes: its reminder asks whether it was held.
		c.clock.Set(start.AddDate(0, 0, 1).Add(-1 * 3600e9)) // Tue 3 Nov 08:00 UTC, 15:00 in Bangkok
		rep, err := c.conv.TaskReminder(c.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		buttons := rep.AllButtons()
		i := slices.IndexFunc(buttons, func(b bot.Button) bool { return b.Action == "held:T1" })
		if i < 0 || buttons[i].Label != "Held" {
			t.Fatalf("the meeting's reminder has no Held button: %+v", buttons)
		}
		got := c.conv.Press(c.ctx, c.users["niran"], buttons[i].Action)
		if !strings.Contains(got.Text, "T1 held: product demo. The lead gets 30 points.") || !got.Update {
			t.Fatalf("pressing Held: %+v", got)
		}
		if after := leadScore(t, c, 1); after != before+30 {
			t.Errorf("the lead's score went from %d to %d, want +30 (meeting_confirmed)", before, after)
		}
		c.run(t, []step{
			{"held twice gives no more points", "niran", "held T1", []string{"T1 was marked held already"}, nil},
			{"nor does held on the deal, which has no open meeting now", "niran", "held D1", []string{"D1 has no open meeting"}, nil},
			{"a manager marks a rep's meeting held", "niran", "meeting L2 tomorrow 5pm intro", []string{"T3"}, nil},
			{"", "somchai", "held L2", []string{"T3 held: intro."}, nil},
		})
		// Someone in no team reaches nobody's records.
		loner, err := c.svc.Directory.SaveUser(c.ctx, c.users["ada"], core.UserDef{Email: "loner@example.com", Name: "Loner", TimeZone: "Asia/Bangkok"})
		if err != nil {
			t.Fatal(err)
		}
		c.users["loner"] = loner
		c.run(t, []step{
			{"a user in no team may not log a call", "loner", "call D1 hi", []string{"D1 is not yours"}, nil},
			{"nor book a meeting", "loner", "meeting L2 tomorrow 3pm", []string{"L2 is not yours"}, nil},
			{"nor mark one held", "loner", "held T1", []string{"T1 is not yours"}, nil},
		})
		if r := c.conv.Handle(c.ctx, nil, "call D1 hi"); !strings.Contains(r.Text, "not a leadwire user") {
			t.Errorf("an unknown caller got %q", r.Text)
		}
		acts, err := c.svc.Timeline(c.ctx, c.users["niran"], core.Ref{Kind: 'D', ID: 1}, 50)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, a := range acts {
			if a.Kind == core.ActivityCall || a.Kind == core.ActivityMeeting {
				kinds = append(kinds, string(a.Kind)+":"+a.Key+":"+a.Args["At"].Time+":"+a.Body)
			}
		}
		want := []string{"meeting:timeline.meeting_held::product demo", "meeting:timeline.meeting_scheduled:2026-11-03T08:00:00Z:product demo",
			"call:::", "call:::they want 50 seats by March"}
		if !slices.Equal(kinds, want) {
			t.Errorf("timeline %q, want %q", kinds, want)
		}
	})
}

func leadScore(t *testing.T, c *chat, id int64) int {
	t.Helper()
	l, err := c.db.LeadByID(c.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return l.Score
}
