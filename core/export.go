package core

import (
	"context"
	"time"
)

// PersonExport is everything held about one person, as one document: the
// answer to "what do you hold about me?".
type PersonExport struct {
	ExportedAt time.Time `json:"exported_at"`
	Contact    Contact   `json:"contact"`
	// Merged are the contacts merged into it, as they are kept.
	Merged      []Contact           `json:"merged_contacts"`
	Company     *Company            `json:"company"`
	Leads       []Lead              `json:"leads"`
	Deals       []DealExport        `json:"deals"`
	Activities  []Activity          `json:"activities"`
	Tasks       []Task              `json:"tasks"`
	Enrollments []Enrollment        `json:"sequence_enrollments"`
	Raw         []RawMessage        `json:"raw_messages"`
	Consent     ConsentExport       `json:"consent"`
	Marks       []PossibleDuplicate `json:"possible_duplicates"`
}

// DealExport is a deal with its stage history.
type DealExport struct {
	Deal
	History []StageChange `json:"history"`
}

// RawMessage is an inbound kept as it came because it could not be read.
type RawMessage struct {
	Connector  string    `json:"connector"`
	ExternalID string    `json:"external_id"`
	Error      string    `json:"error"`
	At         time.Time `json:"at"`
	Raw        string    `json:"raw"`
}

// ConsentExport is what the person said about being mailed.
type ConsentExport struct {
	UnsubscribedAt *time.Time `json:"unsubscribed_at"`
	DoNotEmail     bool       `json:"do_not_email"`
}

// Export gathers everything held about the person named by who ("C12",
// an email address or a phone number). Admins only.
func (s *Service) Export(ctx context.Context, actor *User, who string) (*PersonExport, error) {
	if actor.Role != RoleAdmin {
		return nil, Errorf(KindForbidden, "only admins may export a person's data; you are a %s", actor.Role)
	}
	var x *PersonExport
	// One read-only pass in a transaction, so the document is consistent.
	err := s.store.Update(ctx, func(tx Tx) error {
		c, err := s.FindPerson(ctx, tx, who)
		if err != nil {
			return err
		}
		people, needles, err := personOf(ctx, tx, c)
		if err != nil {
			return err
		}
		x = &PersonExport{ExportedAt: s.clock.Now(), Contact: *c, Merged: []Contact{}, Leads: []Lead{}, Deals: []DealExport{},
			Tasks: []Task{}, Enrollments: []Enrollment{}, Raw: []RawMessage{}, Marks: []PossibleDuplicate{}}
		if c.CompanyID != 0 {
			if x.Company, err = tx.CompanyByID(ctx, c.CompanyID); err != nil && !IsNotFound(err) {
				return err
			}
		}
		var ids []int64
		var emails []string
		for _, p := range people {
			ids = append(ids, p.ID)
			emails = append(emails, p.Emails...)
			if p.ID != c.ID {
				x.Merged = append(x.Merged, *p)
			}
			leads, err := tx.ListLeads(ctx, LeadFilter{ContactID: p.ID, Limit: 1000})
			if err != nil {
				return err
			}
			x.Leads = append(x.Leads, leads...)
			for _, l := range leads {
				tasks, err := tx.ListTasks(ctx, TaskFilter{LeadID: l.ID, Limit: 1000})
				if err != nil {
					return err
				}
				x.Tasks = append(x.Tasks, tasks...)
			}
			deals, err := tx.ListDeals(ctx, DealFilter{ContactID: p.ID, Limit: 1000})
			if err != nil {
				return err
			}
			for _, d := range deals {
				h, err := tx.StageHistory(ctx, d.ID)
				if err != nil {
					return err
				}
				x.Deals = append(x.Deals, DealExport{Deal: d, History: h})
				tasks, err := tx.ListTasks(ctx, TaskFilter{DealID: d.ID, Limit: 1000})
				if err != nil {
					return err
				}
				x.Tasks = append(x.Tasks, tasks...)
			}
			ens, err := tx.ListEnrollments(ctx, EnrollmentFilter{ContactID: p.ID})
			if err != nil {
				return err
			}
			x.Enrollments = append(x.Enrollments, ens...)
			marks, err := tx.PossibleDuplicates(ctx, p.ID, 0)
			if err != nil {
				return err
			}
			x.Marks = append(x.Marks, marks...)
		}
		if x.Activities, err = tx.ActivitiesOfPerson(ctx, ids); err != nil {
			return err
		}
		if x.Activities == nil {
			x.Activities = []Activity{}
		}
		raw, err := tx.FailedInboundsMentioning(ctx, needles)
		if err != nil {
			return err
		}
		for _, f := range raw {
			x.Raw = append(x.Raw, RawMessage{Connector: f.Connector, ExternalID: f.ExternalID, Error: f.Error, At: f.At, Raw: string(f.Raw)})
		}
		if !c.UnsubscribedAt.IsZero() {
			t := c.UnsubscribedAt
			x.Consent.UnsubscribedAt = &t
		}
		x.Consent.DoNotEmail, err = onDoNotEmail(ctx, tx, emails)
		return err
	})
	return x, err
}
