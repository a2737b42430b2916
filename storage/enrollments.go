package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"leadwire/core"
)

const enrollmentCols = `id, sequence, deal_id, lead_id, contact_id, owner_id, step, status, stop_reason,
	next_run_at, sending, message_ids, created_at, updated_at`

type enrollmentRow struct {
	ID         int64    `db:"id"`
	Sequence   string   `db:"sequence"`
	DealID     nullID   `db:"deal_id"`
	LeadID     nullID   `db:"lead_id"`
	ContactID  int64    `db:"contact_id"`
	OwnerID    int64    `db:"owner_id"`
	Step       int      `db:"step"`
	Status     string   `db:"status"`
	StopReason string   `db:"stop_reason"`
	NextRunAt  nullTime `db:"next_run_at"`
	Sending    string   `db:"sending"`
	MessageIDs string   `db:"message_ids"`
	CreatedAt  nullTime `db:"created_at"`
	UpdatedAt  nullTime `db:"updated_at"`
}

func (r *enrollmentRow) enrollment() core.Enrollment {
	return core.Enrollment{ID: r.ID, Sequence: r.Sequence, DealID: int64(r.DealID), LeadID: int64(r.LeadID),
		ContactID: r.ContactID, OwnerID: r.OwnerID, Step: r.Step, Status: core.EnrollmentStatus(r.Status),
		StopReason: r.StopReason, NextRunAt: r.NextRunAt.t, Sending: r.Sending, MessageIDs: strings.Fields(r.MessageIDs),
		CreatedAt: r.CreatedAt.t, UpdatedAt: r.UpdatedAt.t}
}

// EnrollmentByID implements core.Reader.
func (r *reader) EnrollmentByID(ctx context.Context, id int64) (*core.Enrollment, error) {
	var row enrollmentRow
	err := r.get(ctx, &row, `SELECT `+enrollmentCols+` FROM sequence_enrollments WHERE id = ?`, id)
	if err := found(err, core.Errorf(core.KindNotFound, "enrolment %d not found", id), "get enrolment"); err != nil {
		return nil, err
	}
	e := row.enrollment()
	return &e, nil
}

// ListEnrollments implements core.Reader.
func (r *reader) ListEnrollments(ctx context.Context, f core.EnrollmentFilter) ([]core.Enrollment, error) {
	var w where
	if f.ContactID != 0 {
		w.add("contact_id = ?", f.ContactID)
	}
	if f.DealID != 0 {
		w.add("deal_id = ?", f.DealID)
	}
	if f.Sequence != "" {
		w.add("sequence = ?", f.Sequence)
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	var rows []enrollmentRow
	if err := r.sel(ctx, &rows, `SELECT `+enrollmentCols+` FROM sequence_enrollments`+w.String()+` ORDER BY id`, w.args...); err != nil {
		return nil, fmt.Errorf("list enrolments: %w", err)
	}
	out := make([]core.Enrollment, len(rows))
	for i := range rows {
		out[i] = rows[i].enrollment()
	}
	return out, nil
}

// CreateEnrollment implements core.Tx.
func (t *Tx) CreateEnrollment(ctx context.Context, e *core.Enrollment) error {
	err := t.withSavepoint(ctx, func() error {
		var err error
		e.ID, err = t.insert(ctx, `INSERT INTO sequence_enrollments (sequence, deal_id, lead_id, contact_id, owner_id, step,
			status, stop_reason, next_run_at, sending, message_ids, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Sequence, ref(e.DealID), ref(e.LeadID), e.ContactID, e.OwnerID,
			e.Step, string(e.Status), e.StopReason, t.d.time(e.NextRunAt), e.Sending, strings.Join(e.MessageIDs, " "),
			t.d.time(e.CreatedAt), t.d.time(e.UpdatedAt))
		return err
	})
	if _, ok := uniqueViolation(err); ok {
		return core.Errorf(core.KindConflict, "contact %d is in the sequence %s already", e.ContactID, e.Sequence)
	}
	if err != nil {
		return fmt.Errorf("create enrolment: %w", err)
	}
	return nil
}

// UpdateEnrollment implements core.Tx.
func (t *Tx) UpdateEnrollment(ctx context.Context, e *core.Enrollment) error {
	err := t.update(ctx, core.Errorf(core.KindNotFound, "enrolment %d not found", e.ID),
		`UPDATE sequence_enrollments SET step = ?, status = ?, stop_reason = ?, next_run_at = ?, sending = ?,
		message_ids = ?, updated_at = ? WHERE id = ?`, e.Step, string(e.Status), e.StopReason, t.d.time(e.NextRunAt),
		e.Sending, strings.Join(e.MessageIDs, " "), t.d.time(e.UpdatedAt), e.ID)
	if err != nil && !core.IsNotFound(err) {
		return fmt.Errorf("update enrolment %d: %w", e.ID, err)
	}
	return err
}

// StopEnrollments implements core.Tx.
func (t *Tx) StopEnrollments(ctx context.Context, contactID, dealID int64, reason string, at time.Time) (int64, error) {
	if contactID == 0 && dealID == 0 {
		return 0, nil
	}
	res, err := t.exec(ctx, `UPDATE sequence_enrollments SET status = 'stopped', stop_reason = ?, updated_at = ?
		WHERE status = 'active' AND (contact_id = ? OR deal_id = ?)`, reason, t.d.time(at), contactID, dealID)
	if err != nil {
		return 0, fmt.Errorf("stop enrolments: %w", err)
	}
	return res.RowsAffected()
}
