package core

import (
	"fmt"
	"time"
)

// LeadStatus is where a lead is before it becomes a deal.
type LeadStatus string

// The lead statuses: new → claimed → qualified | disqualified.
const (
	LeadNew          LeadStatus = "new"
	LeadClaimed      LeadStatus = "claimed"
	LeadQualified    LeadStatus = "qualified"
	LeadDisqualified LeadStatus = "disqualified"
)

// Lead is an inbound prospect before qualification.
type Lead struct {
	ID               int64
	ContactID        int64
	TeamID           int64
	OwnerID          int64
	Status           LeadStatus
	SourceChannel    string // email, webform, webhook, telegram, slack, import, manual
	SourceName       string // mailbox, form id, webhook source
	Subject          string
	Message          string
	Score            int
	ScoreHits        []ScoreHit
	DisqualifyReason string
	DealID           int64
	Metadata         map[string]string
	CreatedAt        time.Time
	ClaimedAt        time.Time // zero: never claimed
	DisqualifiedAt   time.Time // zero: not disqualified
	FirstResponseAt  time.Time // zero: nobody responded yet (speed to lead)
	LastActivityAt   time.Time
	UpdatedAt        time.Time
}

// Ref is the chat reference of the lead, "L123".
func (l *Lead) Ref() string { return LeadRef(l.ID) }

// LeadRef formats a lead id as "L123".
func LeadRef(id int64) string { return fmt.Sprintf("L%d", id) }

// Open reports whether the lead still awaits qualification.
func (l *Lead) Open() bool { return l.Status == LeadNew || l.Status == LeadClaimed }

// LeadFilter narrows a lead listing. Zero fields do not filter.
type LeadFilter struct {
	TeamID    int64
	OwnerID   int64
	Unowned   bool
	Statuses  []LeadStatus
	ContactID int64
	Source    string
	OrderBy   string // "newest" (default) or "score"
	Limit     int
	AfterID   int64 // keyset paging: ids below this (newest first)
	// UpdatedSince keeps leads changed at or after it (zero: any).
	UpdatedSince time.Time
}
