package telegram

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"leadwire/core"
)

// TestMeetingReminderHeldButton: a meeting's reminder reaches its owner
// with a Held button; pressing it marks the meeting held once and gives
// the lead its points.
func TestMeetingReminderHeldButton(t *testing.T) {
	w := newWorld(t)
	w.link("niran", 7001)
	niran, _ := w.db.UserByID(w.ctx, w.users["niran"].ID)
	id := w.lead("Somsak", "somsak@example.com")
	if _, err := w.svc.Claim(w.ctx, niran, id); err != nil {
		t.Fatal(err)
	}
	task, err := w.svc.ScheduleMeeting(w.ctx, niran, core.Ref{Kind: 'L', ID: id}, start.Add(time.Hour), "demo")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := w.db.LeadByID(w.ctx, id)
	w.api.take()
	if err := w.adapter.Notify(w.ctx, core.Notice{Kind: core.NoticeReminder, UserID: niran.ID, TaskID: task.ID, Key: core.ReminderKey(task.ID, task.DueAt)}); err != nil {
		t.Fatal(err)
	}
	m := sent(t, w.api.take())
	held := fmt.Sprintf("held:T%d", task.ID)
	if b := buttons(t, m); !slices.Contains(b, held) {
		t.Fatalf("buttons %v, want %s", b, held)
	}
	calls := w.handle(press(7001, 7001, 90, held))
	if got := strings.Join(names(calls), ","); got != "answerCallbackQuery,editMessageText" {
		t.Fatalf("calls %s", got)
	}
	if !strings.Contains(calls[1].Params["text"], "held: demo") {
		t.Fatalf("edit %v", calls[1].Params)
	}
	after, _ := w.db.LeadByID(w.ctx, id)
	if after.Score != before.Score+30 {
		t.Errorf("score %d → %d, want +30", before.Score, after.Score)
	}
	// A second press (a double tap, a stale message) gives nothing more.
	w.handle(press(7001, 7001, 90, held))
	if again, _ := w.db.LeadByID(w.ctx, id); again.Score != after.Score {
		t.Errorf("score %d after a second press, want %d", again.Score, after.Score)
	}
}
