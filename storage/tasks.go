package storage

import (
	"context"
	"fmt"
	"time"

	"leadwire/core"
)

const taskCols = `t.id, t.title, t.due_at, t.owner_id, t.lead_id, t.deal_id, t.done, t.done_at, t.snoozed_until, t.created_at, t.reminded_at, t.kind, t.held_at`

type taskRow struct {
	ID           int64    `db:"id"`
	Title        string   `db:"title"`
	DueAt        nullTime `db:"due_at"`
	OwnerID      nullID   `db:"owner_id"`
	LeadID       nullID   `db:"lead_id"`
	DealID       nullID   `db:"deal_id"`
	Done         bool     `db:"done"`
	DoneAt       nullTime `db:"done_at"`
	SnoozedUntil nullTime `db:"snoozed_until"`
	CreatedAt    nullTime `db:"created_at"`
	RemindedAt   nullTime `db:"reminded_at"`
	Kind         string   `db:"kind"`
	HeldAt       nullTime `db:"held_at"`
}

func (r *taskRow) task() core.Task {
	return core.Task{
		ID:           r.ID,
		Title:        r.Title,
		DueAt:        r.DueAt.t,
		OwnerID:      int64(r.OwnerID),
		LeadID:       int64(r.LeadID),
		DealID:       int64(r.DealID),
		Done:         r.Done,
		DoneAt:       r.DoneAt.t,
		SnoozedUntil: r.SnoozedUntil.t,
		CreatedAt:    r.CreatedAt.t,
		RemindedAt:   r.RemindedAt.t,
		Kind:         core.TaskKind(r.Kind),
		HeldAt:       r.HeldAt.t,
	}
}

// TaskByID implements core.Reader.
func (r *reader) TaskByID(ctx context.Context, id int64) (*core.Task, error) {
	var row taskRow
	err := r.get(ctx, &row, `SELECT `+taskCols+` FROM tasks t WHERE t.id = ?`, id)
	if err := found(err, core.Fail(core.KindNotFound, "error.task_not_found", "task {Ref} not found", "Ref", core.TaskRef(id)), "get task"); err != nil {
		return nil, err
	}
	task := row.task()
	return &task, nil
}

// taskDue is a task's effective due time (core.Task.Due): its snooze, when
// later than its due time.
const taskDue = `CASE WHEN t.snoozed_until > t.due_at THEN t.snoozed_until ELSE t.due_at END`

// ListTasks implements core.Reader, by effective due time (tasks without
// one last); DueBefore compares the effective due time too. The team
// filter matches tasks whose owner is in the team.
func (r *reader) ListTasks(ctx context.Context, f core.TaskFilter) ([]core.Task, error) {
	var w where
	if f.OwnerID != 0 {
		w.add("t.owner_id = ?", f.OwnerID)
	}
	if f.TeamID != 0 {
		w.add("t.owner_id IN (SELECT u.id FROM users u WHERE u.team_id = ?)", f.TeamID)
	}
	if f.DealID != 0 {
		w.add("t.deal_id = ?", f.DealID)
	}
	if f.LeadID != 0 {
		w.add("t.lead_id = ?", f.LeadID)
	}
	if f.OpenOnly {
		w.add("t.done = ?", false)
	}
	if !f.DueBefore.IsZero() {
		// Spelled out rather than as taskDue so that the due_at indexes
		// still narrow the scan.
		w.add("t.due_at < ? AND (t.snoozed_until IS NULL OR t.snoozed_until < ?)", r.d.time(f.DueBefore), r.d.time(f.DueBefore))
	}
	var rows []taskRow
	err := r.sel(ctx, &rows, `SELECT `+taskCols+` FROM tasks t`+w.String()+
		` ORDER BY t.due_at IS NULL, `+taskDue+`, t.id LIMIT ?`, append(w.args, pageSize(f.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	out := make([]core.Task, len(rows))
	for i := range rows {
		out[i] = rows[i].task()
	}
	return out, nil
}

// CreateTask implements core.Tx.
func (t *Tx) CreateTask(ctx context.Context, task *core.Task) error {
	var err error
	task.ID, err = t.insert(ctx, `INSERT INTO tasks (title, due_at, owner_id, lead_id, deal_id, done, done_at,
		snoozed_until, created_at, kind, held_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, task.Title, t.d.time(task.DueAt),
		ref(task.OwnerID), ref(task.LeadID), ref(task.DealID), task.Done, t.d.time(task.DoneAt),
		t.d.time(task.SnoozedUntil), t.d.time(task.CreatedAt), string(task.Kind), t.d.time(task.HeldAt))
	if err != nil {
		return fmt.Errorf("create task: %w", err)
	}
	return nil
}

// UpdateTask implements core.Tx.
func (t *Tx) UpdateTask(ctx context.Context, task *core.Task) error {
	err := t.update(ctx, core.Fail(core.KindNotFound, "error.task_not_found", "task {Ref} not found", "Ref", core.TaskRef(task.ID)),
		`UPDATE tasks SET title = ?, due_at = ?, owner_id = ?, lead_id = ?, deal_id = ?, done = ?, done_at = ?,
		snoozed_until = ?, created_at = ?, kind = ?, held_at = ? WHERE id = ?`, task.Title, t.d.time(task.DueAt), ref(task.OwnerID),
		ref(task.LeadID), ref(task.DealID), task.Done, t.d.time(task.DoneAt), t.d.time(task.SnoozedUntil),
		t.d.time(task.CreatedAt), string(task.Kind), t.d.time(task.HeldAt), task.ID)
	if err != nil && !core.IsNotFound(err) {
		return fmt.Errorf("update task %d: %w", task.ID, err)
	}
	return err
}

// MarkReminded implements core.Tx.
func (t *Tx) MarkReminded(ctx context.Context, taskID int64, due time.Time) (bool, error) {
	at := t.d.time(due)
	res, err := t.exec(ctx, `UPDATE tasks SET reminded_at = ? WHERE id = ? AND done = ?
		AND (reminded_at IS NULL OR reminded_at <> ?)`, at, taskID, false, at)
	if err != nil {
		return false, fmt.Errorf("mark task %d reminded: %w", taskID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("mark task %d reminded: %w", taskID, err)
	}
	return n == 1, nil
}
