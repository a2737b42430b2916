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
	task, err := w.svc.ScheduleMeeting(w.ctx, niran, core.Ref{Kind: 'L', ID: id}, start.Add(time.Hour), "demo", "")
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

// TestAnUntitledMeetingIsTitledInTheRepsLanguage: a meeting booked without
// notes becomes a task titled "Meeting" in the booking rep's language,
// which every later list and reminder shows as it is.
func TestAnUntitledMeetingIsTitledInTheRepsLanguage(t *testing.T) {
	w := newWorld(t)
	niran, err := w.svc.Directory.SetLanguage(w.ctx, w.users["niran"], "th")
	if err != nil {
		t.Fatal(err)
	}
	id := w.lead("Somsak", "somsak@example.com")
	if _, err := w.svc.Claim(w.ctx, niran, id); err != nil {
		t.Fatal(err)
	}
	r := w.conv.Handle(w.ctx, niran, fmt.Sprintf("meeting L%d %s", id, start.Add(26*time.Hour).In(niran.Location()).Format("2006-01-02 15:04")))
	tasks, err := w.db.ListTasks(w.ctx, core.TaskFilter{OwnerID: niran.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || tasks[0].Title != "ประชุม" {
		t.Fatalf("reply %q; tasks %+v, want one titled ประชุม", r.Text, tasks)
	}
}
