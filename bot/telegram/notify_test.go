package telegram

import (
	"strings"
	"testing"
	"time"

	"leadwire/core"
)

// TestNewLeadGoesToTheTeamsGroup: a new lead is a notice
// (core.NoticeNewLead) to its team, delivered by the notice sender through
// the Telegram notifier.
func TestNewLeadGoesToTheTeamsGroup(t *testing.T) {
	w := newWorld(t)
	id := w.lead(`<b>&"Ömer"</b>`, "omer@example.com")
	l, err := w.db.LeadByID(w.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	notice := func(id int64) core.NotifyJob {
		return core.NotifyJob{Channel: core.ChannelTelegram, Notice: core.Notice{Kind: core.NoticeNewLead, TeamID: l.TeamID, LeadID: id,
			Key: core.NoticeKey(string(core.NoticeNewLead), core.LeadRef(id))}}
	}
	worker := w.svc.Notices.NewNoticeSender(map[string]core.Notifier{core.ChannelTelegram: w.adapter}, nil).Handle
	job := notice(id)

	t.Run("a 429 snoozes the job for retry_after", func(t *testing.T) {
		w.api.take()
		w.api.Limit(1)
		err := worker(w.ctx, job, core.JobInfo{})
		if after, ok := core.RetryAfterOf(err); !ok || after != time.Second {
			t.Fatalf("got %v, want a snooze of 1s", err)
		}
	})
	t.Run("the retry posts the card with Claim", func(t *testing.T) {
		w.api.take()
		w.clock.Advance(2 * time.Second) // past the pace of the first try
		if err := worker(w.ctx, job, core.JobInfo{}); err != nil {
			t.Fatal(err)
		}
		m := sent(t, w.api.take())
		if m.Params["chat_id"] != "-100500" || !strings.Contains(m.Params["text"], "&lt;b&gt;&amp;&quot;Ömer") {
			t.Fatalf("posted %v", m.Params)
		}
		if b := buttons(t, m); len(b) == 0 || !strings.HasPrefix(b[0], "claim:") {
			t.Fatalf("buttons %v", b)
		}
	})
	t.Run("a lead gone cancels the job", func(t *testing.T) {
		err := worker(w.ctx, notice(9999), core.JobInfo{})
		if !core.IsPermanent(err) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a group is a numeric id or an @name", func(t *testing.T) {
		if chatID("") != nil || chatID("@leadwire_bkk") != "@leadwire_bkk" || chatID("-100500") != int64(-100500) {
			t.Fatal("chat ids misread")
		}
	})
}
