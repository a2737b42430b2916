package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// A task's due time is its snooze, when later, wherever it is shown: the
// command line lists it as chat and --json do.
func TestTasksListShowsSnoozes(t *testing.T) {
	e := newIOEnv(t)
	e.ok("--as", "lan@example.com", "tasks", "add", "call", "Minh", "--due", "2020-01-06 10:00")
	e.ok("--as", "lan@example.com", "tasks", "add", "send", "the", "quote", "--due", "1h")
	e.ok("chat", "--as", "lan@example.com", "--script", e.file("snooze.txt", "snooze T1 3h\n"))

	var tasks []struct {
		ID           string  `json:"id"`
		SnoozedUntil *string `json:"snoozed_until"`
	}
	if err := json.Unmarshal([]byte(e.ok("--as", "lan@example.com", "tasks", "list", "--json").out), &tasks); err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 2 || tasks[1].ID != "T1" || tasks[1].SnoozedUntil == nil {
		t.Fatalf("tasks list --json = %+v; want T2, then T1 snoozed", tasks)
	}
	out := e.ok("--as", "lan@example.com", "tasks", "list").out
	lines := strings.Split(strings.TrimSpace(out), "\n")
	cases := []struct {
		name string
		ok   bool
	}{
		{"the snoozed task is listed after the one due before its snooze ends", len(lines) == 3 && strings.HasPrefix(lines[1], "T2") && strings.HasPrefix(lines[2], "T1")},
		{"it is not shown overdue", !strings.Contains(out, "overdue")},
		{"it is shown at its snooze, not its first due time", !strings.Contains(out, "2020-01-06") && strings.Contains(out, "(snoozed)")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Fatalf("leadwire tasks list printed:\n%s", out)
			}
		})
	}
}
