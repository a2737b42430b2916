package core

import (
	"context"
	"log/slog"
)

// Notices is the one path of everything leadwire tells a person: it
// announces notices in the transaction of the change that raises them
// (a NotifyJob per channel that reaches the recipient), schedules the
// managers' digests, loads what a notice is about for its rendering, and
// hands each job to its channel's Notifier (NewNoticeSender).
type Notices struct {
	store    NoticeStore
	clock    Clock
	settings Settings
	log      *slog.Logger
}

// NoticeStore is the part of the Store the Notices need.
type NoticeStore interface {
	DirectoryReader
	LeadReader
	DealReader
	TaskReader
	ActivityReader
	ContactReader
	settingReader
	Update(ctx context.Context, fn func(Tx) error) error
}
