package core

import "context"

// Reports reads the pipeline's figures: metrics, the forecast against
// targets, a person's review, the pipeline summary and the digest. It
// changes nothing.
type Reports struct {
	store    ReportStore
	clock    Clock
	settings Settings
	lists    scopedLists
}

// ReportStore is the part of the Store the Reports need.
type ReportStore interface {
	ReportReader
	LossReader
	DirectoryReader
}

// scopedLists lists leads and tasks within an actor's reach (the
// Service does).
type scopedLists interface {
	Leads(ctx context.Context, actor *User, f LeadFilter) ([]Lead, error)
	Tasks(ctx context.Context, actor *User, f TaskFilter) ([]Task, error)
}
