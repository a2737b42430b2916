package core

import "context"

// Why explains a lead's or deal's score and how it reached its team and
// owner.
type Why struct {
	Lead   *Lead // the lead scored: a deal's own lead; nil for a deal without one
	Deal   *Deal // nil for a lead's
	Score  int   // the score now
	Decay  int   // points lost now to weeks without activity
	Hits   []ScoreHit
	Routes []Route // oldest first: the lead's, then the deal's
}

// Why explains the score and routing of a lead or deal the actor may read.
func (s *Service) Why(ctx context.Context, actor *User, ref Ref) (*Why, error) {
	w := &Why{}
	switch ref.Kind {
	case 'L':
		l, err := leadSeen(ctx, s.store, actor, ref.ID)
		if err != nil {
			return nil, err
		}
		w.Lead = l
	case 'D':
		d, err := dealSeen(ctx, s.store, actor, ref.ID)
		if err != nil {
			return nil, err
		}
		w.Deal = d
		if d.LeadID != 0 {
			l, err := s.store.LeadByID(ctx, d.LeadID)
			if err != nil && !IsNotFound(err) {
				return nil, err
			}
			w.Lead = l
		}
	default:
		return nil, Fail(KindInvalid, "error.not_lead_or_deal", "{Ref} is not a lead or a deal", "Ref", ref.String())
	}
	var leadID, dealID int64
	if w.Lead != nil {
		leadID = w.Lead.ID
		w.Hits = w.Lead.ScoreHits
		s.rescore(w.Lead)
		w.Score = w.Lead.Score
		if w.Lead.Open() {
			w.Decay = s.settings.Scoring.Decay(w.Lead.LastActivityAt, s.clock.Now())
		}
	}
	if w.Deal != nil {
		dealID = w.Deal.ID
	}
	routes, err := s.store.ListRoutes(ctx, leadID, dealID)
	if err != nil {
		return nil, err
	}
	w.Routes = routes
	return w, nil
}

// TimelinePage returns up to limit entries of the timeline of a lead or
// deal the actor may read, newest first, from the entry after before (0:
// the newest), and whether more follow.
func (s *Service) TimelinePage(ctx context.Context, actor *User, ref Ref, before int64, limit int) ([]Activity, bool, error) {
	_, leadID, dealID, err := seen(ctx, s.store, actor, ref)
	if err != nil {
		return nil, false, err
	}
	f := ActivityFilter{LeadID: leadID, Limit: limit + 1}
	if dealID != 0 {
		f = ActivityFilter{DealID: dealID, Limit: limit + 1}
	}
	if before != 0 {
		a, err := s.store.ActivityByID(ctx, before)
		if err != nil {
			return nil, false, err
		}
		if (f.DealID != 0 && a.DealID != f.DealID) || (f.LeadID != 0 && a.LeadID != f.LeadID) {
			return nil, false, Fail(KindInvalid, "error.page_not_of_timeline", "that page is not of {Ref}'s timeline", "Ref", ref.String())
		}
		f.Before = a
	}
	acts, err := s.store.ListActivities(ctx, f)
	if err != nil {
		return nil, false, err
	}
	if len(acts) > limit {
		return acts[:limit], true, nil
	}
	return acts, false, nil
}

// RecordTasks lists the open tasks on a lead or deal the actor may read,
// whoever owns them, by due time.
func (s *Service) RecordTasks(ctx context.Context, actor *User, ref Ref, limit int) ([]Task, error) {
	_, leadID, dealID, err := seen(ctx, s.store, actor, ref)
	if err != nil {
		return nil, err
	}
	f := TaskFilter{LeadID: leadID, OpenOnly: true, Limit: limit}
	if ref.Kind == 'D' {
		f = TaskFilter{DealID: dealID, OpenOnly: true, Limit: limit}
	}
	return s.store.ListTasks(ctx, f)
}
