package core

import (
	"context"
	"time"
)

// Store is the persistence port. Reads may go straight to the database;
// every change goes through Update, one transaction per call.
type Store interface {
	Reader
	// Update runs fn in one read-write transaction: committed when fn
	// returns nil, rolled back otherwise.
	Update(ctx context.Context, fn func(Tx) error) error

	// TryLease takes or renews the lease name for holder until now+ttl,
	// in one atomic statement: it succeeds when nobody holds the lease,
	// when holder does, or when the other holder's lease expired before
	// now. It reports whether holder holds the lease now.
	TryLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error)
	// ReleaseLease gives the lease up when holder holds it, so another
	// may take it at once; otherwise it does nothing.
	ReleaseLease(ctx context.Context, name, holder string) error

	// Remember records key until expires, in one atomic statement, and
	// reports whether it is new: false while an unexpired record of it
	// exists (an earlier request, or another replica, saw it first).
	Remember(ctx context.Context, key string, now, expires time.Time) (bool, error)
	// Remembered reports whether an unexpired record of key exists, and
	// records nothing.
	Remembered(ctx context.Context, key string, now time.Time) (bool, error)
	// Forget drops key, so that remembering it again is new.
	Forget(ctx context.Context, key string) error
}

// Reader is every query, available both on the Store and inside a Tx.
// Single-row lookups return an error of KindNotFound when nothing matches.
// It is made of one small interface per area, so that an area's service
// holds only the queries it needs.
type Reader interface {
	DirectoryReader
	TokenReader
	ContactReader
	LeadReader
	DealReader
	ActivityReader
	TaskReader
	ConnectorReader
	SequenceReader
	ReportReader
	LossReader
	GrantReader
	PeopleReader
	HookReader
	NoticePostReader
	RouteReader

	// InboundResult returns what an idempotency key became, or KindNotFound.
	InboundResult(ctx context.Context, key InboundKey) (*CaptureResult, error)
	// Setting returns a stored installation fact, "" when unset.
	Setting(ctx context.Context, key string) (string, error)
}

// DirectoryReader finds users, teams and pipelines.
type DirectoryReader interface {
	UserByID(ctx context.Context, id int64) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	UserBySlackID(ctx context.Context, slackID string) (*User, error)
	UserByTelegramID(ctx context.Context, telegramID int64) (*User, error)
	ListUsers(ctx context.Context, f UserFilter) ([]User, error)

	TeamByID(ctx context.Context, id int64) (*Team, error)
	TeamByName(ctx context.Context, name string) (*Team, error)
	ListTeams(ctx context.Context) ([]Team, error)

	PipelineByID(ctx context.Context, id int64) (*Pipeline, error)
	PipelineByName(ctx context.Context, name string) (*Pipeline, error) // case-insensitive
	DefaultPipeline(ctx context.Context) (*Pipeline, error)
	ListPipelines(ctx context.Context) ([]Pipeline, error)
}

// TokenReader finds API tokens and the webhook deliveries made with them.
type TokenReader interface {
	// TokenByHash finds the token whose secret hashes to hash (hex
	// SHA-256), revoked or not.
	TokenByHash(ctx context.Context, hash string) (*Token, error)
	// ListTokens lists every token, revoked ones included, oldest first.
	ListTokens(ctx context.Context) ([]Token, error)
	// ListDeliveries lists logged webhook deliveries, newest first.
	ListDeliveries(ctx context.Context, f DeliveryFilter) ([]Delivery, error)
}

// ContactReader finds contacts.
type ContactReader interface {
	ContactByID(ctx context.Context, id int64) (*Contact, error)
	// ContactByIdentity finds the contact holding an exact identity value.
	ContactByIdentity(ctx context.Context, id Identity) (*Contact, error)
	// ContactByIdentities finds the contact holding the first of ids
	// (in order of preference) that any contact holds.
	ContactByIdentities(ctx context.Context, ids []Identity) (*Contact, error)
	// ListContacts lists contacts with ids above f.AfterID, oldest first.
	ListContacts(ctx context.Context, f ContactFilter) ([]Contact, error)
	// PossibleDuplicates lists the marks that name the contact on either
	// side (every mark for 0), oldest first, at most limit (0: 500).
	PossibleDuplicates(ctx context.Context, contactID int64, limit int) ([]PossibleDuplicate, error)
	// Search finds contacts by name, company, email or phone prefix,
	// case-insensitively, within the filter's reach only.
	Search(ctx context.Context, f SearchFilter) ([]SearchHit, error)
}

// LeadReader finds leads.
type LeadReader interface {
	LeadByID(ctx context.Context, id int64) (*Lead, error)
	ListLeads(ctx context.Context, f LeadFilter) ([]Lead, error)
	// OpenLeadOfContact returns the newest lead of the contact with status
	// new or claimed.
	OpenLeadOfContact(ctx context.Context, contactID int64) (*Lead, error)
	// CountLeadsOfContactSince counts leads the contact opened at or after
	// since (the capture loop guard).
	CountLeadsOfContactSince(ctx context.Context, contactID int64, since time.Time) (int, error)
}

// DealReader finds deals and their stage history.
type DealReader interface {
	DealByID(ctx context.Context, id int64) (*Deal, error)
	ListDeals(ctx context.Context, f DealFilter) ([]Deal, error)
	// OpenDealOfContact returns the newest open deal of the contact.
	OpenDealOfContact(ctx context.Context, contactID int64) (*Deal, error)
	StageHistory(ctx context.Context, dealID int64) ([]StageChange, error)
}

// ActivityReader finds timeline entries.
type ActivityReader interface {
	ListActivities(ctx context.Context, f ActivityFilter) ([]Activity, error) // newest first
	// ActivityByExternalRef finds the activity carrying an external
	// reference such as an email Message-ID.
	ActivityByExternalRef(ctx context.Context, ref string) (*Activity, error)
	// ActivityByID finds one activity.
	ActivityByID(ctx context.Context, id int64) (*Activity, error)
}

// TaskReader finds tasks.
type TaskReader interface {
	TaskByID(ctx context.Context, id int64) (*Task, error)
	ListTasks(ctx context.Context, f TaskFilter) ([]Task, error) // by due time
}

// ConnectorReader reads what connectors keep: positions, counters,
// leases and failures.
type ConnectorReader interface {
	// LoadCheckpoint returns a connector's saved position, "" when none.
	LoadCheckpoint(ctx context.Context, connector, key string) (string, error)
	// ConnectorStatuses reports every connector that has counted anything.
	ConnectorStatuses(ctx context.Context) ([]ConnectorStatus, error)
	// ListLeases lists the leases held or left behind, by name.
	ListLeases(ctx context.Context) ([]Lease, error)
	// ListFailedInbounds lists kept failures, newest first ("" for all).
	ListFailedInbounds(ctx context.Context, connector string, limit int) ([]FailedInbound, error)
}

// SequenceReader finds sequence enrolments.
type SequenceReader interface {
	// EnrollmentByID returns a sequence enrolment.
	EnrollmentByID(ctx context.Context, id int64) (*Enrollment, error)
	// ListEnrollments lists enrolments, oldest first.
	ListEnrollments(ctx context.Context, f EnrollmentFilter) ([]Enrollment, error)
}

// ReportReader aggregates what metrics, forecasts, digests and the
// periodic sweeps read.
type ReportReader interface {
	ListTargets(ctx context.Context, month string) ([]Target, error)

	// Stats returns the raw aggregates metrics and forecasts are built from.
	Stats(ctx context.Context, f StatsFilter) (*StatsData, error)
	// RottingDeals lists open deals whose last activity is older than their
	// stage's rotting limit at now, most rotten first.
	RottingDeals(ctx context.Context, f StatsFilter, now time.Time, limit int) ([]Deal, error)
	// RottingDue lists, by id after afterID, open deals past their stage's
	// rotting limit at now that are due a rotting notice: none noticed
	// yet since their last activity, or the noticed period over. Deals
	// with an open task due or snoozed past now are left out. next is the
	// id to go on after; 0 when there is no more.
	RottingDue(ctx context.Context, now time.Time, afterID int64, limit int) (due []RotDue, next int64, err error)
	// UnclaimedDue lists, by id after afterID, new unowned leads of the
	// team created in [since, first) that have had no unclaimed notice,
	// and those created before second that have not had the manager's.
	UnclaimedDue(ctx context.Context, teamID int64, since, first, second time.Time, afterID int64, limit int) ([]UnclaimedDue, error)
	// StageMoves counts, by stage entered, the moves between stages made
	// within [from, to) by deals of f's team, owner and pipeline.
	StageMoves(ctx context.Context, f StatsFilter, from, to time.Time) ([]StageMoveCount, error)
	// OverdueTasks counts open tasks due before now (and not snoozed past
	// it) by owner, for f's team or owner.
	OverdueTasks(ctx context.Context, f StatsFilter, now time.Time) ([]OwnerTaskCount, error)
}

// StageMoveCount is how many moves entered one stage.
type StageMoveCount struct {
	StageID int64
	Moves   int64
}

// OwnerTaskCount is how many overdue tasks one owner (0: nobody) has, and
// the due time of the oldest.
type OwnerTaskCount struct {
	OwnerID int64
	Tasks   int64
	Oldest  time.Time
}

// Tx is a read-write transaction. Create methods set the record's ID (and
// zero CreatedAt-like times are left to the caller: core always sets them).
type Tx interface {
	Reader
	LinkCodeTx
	GrantWriter
	PeopleTx
	HookTx
	NoticePostTx
	RouteTx
	CaptureTx

	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error

	CreateTeam(ctx context.Context, t *Team) error
	UpdateTeam(ctx context.Context, t *Team) error

	// SavePipeline creates the pipeline or, when one with the same name
	// exists, updates its stages by name (keeping ids of existing stages so
	// history stays valid; stages no longer configured are kept but moved
	// after the configured ones). It sets p.ID and every stage's ID.
	SavePipeline(ctx context.Context, p *Pipeline) error

	CreateContact(ctx context.Context, c *Contact) error
	// UpdateContact saves fields and adds identities not yet present.
	UpdateContact(ctx context.Context, c *Contact) error
	// MarkPossibleDuplicate stores a mark; one of the same two contacts
	// in the same order is kept as it is.
	MarkPossibleDuplicate(ctx context.Context, d PossibleDuplicate) error

	CreateLead(ctx context.Context, l *Lead) error
	UpdateLead(ctx context.Context, l *Lead) error

	CreateDeal(ctx context.Context, d *Deal) error
	UpdateDeal(ctx context.Context, d *Deal) error
	AddStageChange(ctx context.Context, c *StageChange) error

	AddActivity(ctx context.Context, a *Activity) error

	CreateTask(ctx context.Context, t *Task) error
	UpdateTask(ctx context.Context, t *Task) error
	// MarkReminded sets an open task's RemindedAt to due unless it holds
	// due already; it reports whether it did, so of two callers racing for
	// one due time exactly one wins. UpdateTask leaves RemindedAt alone.
	MarkReminded(ctx context.Context, taskID int64, due time.Time) (bool, error)

	SetTarget(ctx context.Context, t Target) error

	// PutSetting stores an installation fact.
	PutSetting(ctx context.Context, key, value string) error
	// ClaimSetting stores key only when it is not set yet and reports
	// whether it did: one caller of many wins a once-only fact.
	ClaimSetting(ctx context.Context, key, value string) (bool, error)
	// InitSetting stores value under key unless the key is set already,
	// and returns what is stored: two transactions initialising the same
	// key at once agree on one value.
	InitSetting(ctx context.Context, key, value string) (string, error)

	// SaveCheckpoint upserts a connector's position.
	SaveCheckpoint(ctx context.Context, cp Checkpoint) error
	// CountConnector adds n to a connector's counter (none when counter is
	// "") and sets its last sync time to at.
	CountConnector(ctx context.Context, connector, counter string, n int64, at time.Time) error
	// SetConnectorError sets (or, with "", clears) a connector's last error.
	SetConnectorError(ctx context.Context, connector, msg string, at time.Time) error
	// AddFailedInbound keeps a failed inbound; it sets f.ID.
	AddFailedInbound(ctx context.Context, f *FailedInbound) error
	// Enqueue adds a background job in this transaction, so the job exists
	// exactly when the change that caused it does.
	Enqueue(ctx context.Context, job Job) error
	// Savepoint runs fn so that when it fails, what it wrote is undone and
	// the transaction goes on: one inbound of a batch failing does not
	// undo the others.
	Savepoint(ctx context.Context, fn func() error) error

	// CreateToken stores a new token; it sets t.ID.
	CreateToken(ctx context.Context, t *Token) error
	// UpdateToken saves a token's last-used and revoked times.
	UpdateToken(ctx context.Context, t *Token) error
	// AddDelivery appends a webhook delivery to the log; it sets d.ID.
	AddDelivery(ctx context.Context, d *Delivery) error
	// PruneDeliveries drops logged deliveries older than before.
	PruneDeliveries(ctx context.Context, before time.Time) error

	// CreateEnrollment stores a new enrolment; it sets e.ID. A second
	// active enrolment of the contact in the sequence is a conflict.
	CreateEnrollment(ctx context.Context, e *Enrollment) error
	// UpdateEnrollment saves an enrolment.
	UpdateEnrollment(ctx context.Context, e *Enrollment) error
	// StopEnrollments stops, in one statement, the active enrolments of
	// the contact or of the deal (either may be 0), keeping their Sending
	// mark; it returns how many it stopped.
	StopEnrollments(ctx context.Context, contactID, dealID int64, reason string, at time.Time) (int64, error)

	// PutInboundResult records what an idempotency key became; a key seen
	// before returns an error of KindConflict.
	PutInboundResult(ctx context.Context, key InboundKey, r CaptureResult) error

	// MarkRotNotice records that the deal's rotting notice for the period
	// ending at until went out, counted from since (its last activity).
	MarkRotNotice(ctx context.Context, dealID int64, since, until time.Time) error
	// MarkUnclaimedNotice records the unclaimed notices a lead has had:
	// 1 the team's, 2 the manager's too.
	MarkUnclaimedNotice(ctx context.Context, leadID int64, level int) error
}

// StatsFilter narrows metrics to a team, a rep, a pipeline and a period.
// Zero fields do not filter.
type StatsFilter struct {
	TeamID     int64
	OwnerID    int64
	PipelineID int64
	From, To   time.Time // creation time window [From, To)
	// ClosedFrom and ClosedTo, when set, keep only deals closed (won or
	// lost) within [ClosedFrom, ClosedTo); they apply to Deals and
	// DealsByOwner.
	ClosedFrom, ClosedTo time.Time
	// Parts, when not 0, asks only for some parts of StatsData.
	Parts StatsPart
}

// StatsPart selects parts of StatsData.
type StatsPart int

// The parts of StatsData a filter may ask for.
const (
	StatsLeads    StatsPart = 1 << iota // LeadsBySource, LeadsByOwner, MedianResponseSeconds
	StatsDeals                          // Deals, DealsByOwner
	StatsStages                         // Stages
	StatsForecast                       // Forecast
	StatsReach                          // Stages with Reached only: the funnel, cheaply
)

// StatsData is what the store aggregates; core turns it into Metrics.
// Money sums are per currency: conversion is core's business.
type StatsData struct {
	// Leads by source channel: how many, how many became deals, how many
	// of those deals were won.
	LeadsBySource []SourceCount
	// Leads by owner, same counts.
	LeadsByOwner []OwnerCount
	// Deals by status and currency: count, value sum, and for won deals
	// the sum of days from creation to close.
	Deals []DealSum
	// Deals by owner, status and currency.
	DealsByOwner []OwnerDealSum
	// Per stage of the filtered pipelines: how many deals ever entered it,
	// how many are in it now (open), their value, and the summed time
	// deals spent there (seconds) over Exits completed stays.
	Stages []StageCount
	// Open deals' value and probability-weighted value (sum of value ×
	// probability / 100) by expected close month ("2026-11"; "" unknown)
	// and currency.
	Forecast []ForecastSum
	// Median seconds from lead creation to first response, over leads
	// with one; -1 when none.
	MedianResponseSeconds float64
}

// SourceCount is the lead funnel of one source.
type SourceCount struct {
	Source string
	Leads  int64
	Deals  int64
	Won    int64
}

// OwnerCount is the lead funnel of one owner (0: unowned).
type OwnerCount struct {
	OwnerID int64
	Leads   int64
	Deals   int64
	Won     int64
}

// DealSum aggregates deals of one status and currency.
type DealSum struct {
	Status    DealStatus
	Currency  string
	Count     int64
	Value     int64
	CycleDays float64 // summed days from creation to close (closed deals)
}

// OwnerDealSum is DealSum per owner.
type OwnerDealSum struct {
	OwnerID int64
	DealSum
}

// StageCount aggregates one stage.
type StageCount struct {
	StageID     int64
	PipelineID  int64
	Name        string
	Position    int
	Kind        StageKind
	Entered     int64
	Reached     int64 // deals whose furthest stage, Lost aside, is this one or later
	OpenNow     int64
	OpenValue   []CurrencySum
	StaySeconds float64
	Exits       int64
}

// CurrencySum is an amount in minor units of one currency.
type CurrencySum struct {
	Currency string
	Amount   int64
}

// ForecastSum aggregates open deals expected to close in a month.
type ForecastSum struct {
	Month    string
	Currency string
	Count    int64
	Value    int64
	Weighted int64
}
