package storage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
)

// day0 is the fixed "now" of the tests' data.
var day0 = time.Date(2026, 11, 2, 9, 30, 0, 123456000, time.UTC)

// at returns day0 moved by d.
func at(d time.Duration) time.Time { return day0.Add(d) }

const day = 24 * time.Hour

// update runs fn in a transaction and fails the test on error.
func update(t *testing.T, db *storage.DB, fn func(tx core.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

// wantErr checks that err has the kind and that its message contains msg.
func wantErr(t *testing.T, err error, kind core.ErrorKind, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v %q", kind, msg)
	}
	if core.KindOf(err) != kind || !strings.Contains(core.Message(err), msg) {
		t.Fatalf("got error %v (%v), want %v containing %q", err, core.KindOf(err), kind, msg)
	}
}

// fixture is a small world most tests start from.
type fixture struct {
	team     core.Team
	rep, mgr core.User
	pipeline core.Pipeline
	contact  core.Contact
}

// stage returns the fixture pipeline's stage of the name.
func (f *fixture) stage(name string) core.Stage {
	for _, s := range f.pipeline.Stages {
		if s.Name == name {
			return s
		}
	}
	panic("no stage " + name)
}

func salesPipeline() core.Pipeline {
	return core.Pipeline{Name: "Sales", IsDefault: true, Stages: []core.Stage{
		{Name: "Qualified", Position: 1, Probability: 10, RotDays: 7, Kind: core.StageOpen},
		{Name: "Proposal", Position: 2, Probability: 50, RotDays: 3, Kind: core.StageOpen},
		{Name: "Negotiation", Position: 3, Probability: 80, Kind: core.StageOpen},
		{Name: "Won", Position: 4, Probability: 100, Kind: core.StageWon},
		{Name: "Lost", Position: 5, Probability: 0, Kind: core.StageLost},
	}}
}

func newFixture(t *testing.T, db *storage.DB) *fixture {
	t.Helper()
	f := &fixture{}
	update(t, db, func(tx core.Tx) error {
		ctx := context.Background()
		f.team = core.Team{Name: "Bangkok", ResponseLimit: 15 * time.Minute, Region: "TH"}
		if err := tx.CreateTeam(ctx, &f.team); err != nil {
			return err
		}
		f.mgr = core.User{Email: "mgr@acme.test", Name: "Mali Manager", Role: core.RoleManager,
			TeamID: f.team.ID, Active: true, CreatedAt: day0}
		if err := tx.CreateUser(ctx, &f.mgr); err != nil {
			return err
		}
		f.rep = core.User{Email: "rep@acme.test", Name: "Somchai Rep", Role: core.RoleRep,
			TeamID: f.team.ID, Active: true, CreatedAt: day0}
		if err := tx.CreateUser(ctx, &f.rep); err != nil {
			return err
		}
		f.team.ManagerID = f.mgr.ID
		if err := tx.UpdateTeam(ctx, &f.team); err != nil {
			return err
		}
		f.pipeline = salesPipeline()
		if err := tx.SavePipeline(ctx, &f.pipeline); err != nil {
			return err
		}
		f.contact = core.Contact{Name: "Anna Kowalska", Emails: []string{"anna@kowalska.pl"},
			Company: "Kowalska Sp. z o.o.", Source: core.ChannelEmail, TeamID: f.team.ID, CreatedAt: day0, UpdatedAt: day0}
		return tx.CreateContact(ctx, &f.contact)
	})
	return f
}

// lead creates a lead of the fixture contact with the changes applied.
func (f *fixture) lead(t *testing.T, db *storage.DB, change func(l *core.Lead)) core.Lead {
	t.Helper()
	l := core.Lead{ContactID: f.contact.ID, TeamID: f.team.ID, Status: core.LeadNew,
		SourceChannel: core.ChannelEmail, CreatedAt: day0, UpdatedAt: day0}
	if change != nil {
		change(&l)
	}
	update(t, db, func(tx core.Tx) error { return tx.CreateLead(context.Background(), &l) })
	return l
}

// deal creates an open deal in the first stage with the changes applied.
func (f *fixture) deal(t *testing.T, db *storage.DB, change func(d *core.Deal)) core.Deal {
	t.Helper()
	d := core.Deal{Title: "Deal", ContactID: f.contact.ID, OwnerID: f.rep.ID, TeamID: f.team.ID,
		PipelineID: f.pipeline.ID, StageID: f.pipeline.Stages[0].ID, Probability: -1,
		Value: core.Money{Amount: 100000, Currency: "EUR"}, Status: core.DealOpen,
		CreatedAt: day0, UpdatedAt: day0, StageChangedAt: day0}
	if change != nil {
		change(&d)
	}
	update(t, db, func(tx core.Tx) error { return tx.CreateDeal(context.Background(), &d) })
	return d
}
