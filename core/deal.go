package core

import (
	"fmt"
	"time"
)

// DealStatus is whether a deal is still being worked.
type DealStatus string

// The deal statuses.
const (
	DealOpen DealStatus = "open"
	DealWon  DealStatus = "won"
	DealLost DealStatus = "lost"
)

// Qualification holds the BANT answers gathered while qualifying.
type Qualification struct {
	Budget    string `json:"budget,omitempty"`
	Authority string `json:"authority,omitempty"`
	Need      string `json:"need,omitempty"`
	Timeline  string `json:"timeline,omitempty"`
}

// Deal is a qualified opportunity moving through a pipeline.
type Deal struct {
	ID             int64
	Title          string
	ContactID      int64
	LeadID         int64
	OwnerID        int64
	TeamID         int64
	PipelineID     int64
	StageID        int64
	Value          Money
	ExpectedClose  time.Time // a date (UTC midnight); zero: unknown
	Probability    int       // percent override; -1: the stage's default
	Status         DealStatus
	LostReason     string
	Qualification  Qualification
	Source         string // the lead's source channel
	CreatedAt      time.Time
	UpdatedAt      time.Time
	StageChangedAt time.Time
	ClosedAt       time.Time
	LastActivityAt time.Time
}

// Ref is the chat reference of the deal, "D45".
func (d *Deal) Ref() string { return DealRef(d.ID) }

// DealRef formats a deal id as "D45".
func DealRef(id int64) string { return fmt.Sprintf("D%d", id) }

// EffectiveProbability is the override when set, else the stage default.
func (d *Deal) EffectiveProbability(stage *Stage) int {
	if d.Probability >= 0 {
		return d.Probability
	}
	if stage == nil {
		return 0
	}
	return stage.Probability
}

// StageChange is one move of a deal between stages.
type StageChange struct {
	ID        int64
	DealID    int64
	FromStage int64 // 0: the deal was created in ToStage
	ToStage   int64
	At        time.Time
	ByUserID  int64
}

// DealFilter narrows a deal listing. Zero fields do not filter.
type DealFilter struct {
	TeamID     int64
	OwnerID    int64
	PipelineID int64
	StageID    int64
	Statuses   []DealStatus
	ContactID  int64
	Limit      int
	AfterID    int64 // keyset paging: ids below this (newest first)
	// Source keeps deals of leads from this channel ("" any).
	Source string
	// UpdatedSince keeps deals changed at or after it (zero: any).
	UpdatedSince time.Time
}
