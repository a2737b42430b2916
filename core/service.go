package core

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Service is the pipeline's behaviour: every front end (CLI, bots,
// connectors) changes data only through it.
type Service struct {
	store    Store
	clock    Clock
	settings Settings
	log      *slog.Logger
	group    groupCommit
	teams    teamCache // capture's routing before the writer

	// Directory is who is who: users, teams, pipelines, chat links and
	// API tokens.
	Directory *Directory
	// Connectors keeps what connectors report: positions, counters,
	// failures and health.
	Connectors *Connectors
	// Reports reads metrics, forecasts, reviews and digests.
	Reports *Reports
	// Sequences runs email sequences.
	Sequences *Sequences
	// Notices announces what leadwire tells people, schedules digests and
	// hands notices to the channels' notifiers.
	Notices *Notices
	// Hooks manages outgoing webhook subscriptions and their deliveries.
	Hooks *Hooks
}

// NewService returns a Service over the store.
func NewService(store Store, clock Clock, settings Settings, log *slog.Logger) *Service {
	if clock == nil {
		clock = SystemClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if settings.Scoring.FreeMailDomains == nil {
		settings.Scoring.FreeMailDomains = DefaultFreeMailDomains()
	}
	if len(settings.LostReasons) == 0 {
		settings.LostReasons = DefaultLostReasons()
	}
	if len(settings.DisqualifyReasons) == 0 {
		settings.DisqualifyReasons = DefaultDisqualifyReasons()
	}
	if settings.Currency == "" {
		settings.Currency = "EUR"
	}
	if settings.Rates.Base == "" {
		settings.Rates.Base = settings.Currency
	}
	s := &Service{store: store, clock: clock, settings: settings, log: log}
	s.Directory = NewDirectory(store, clock, settings.TimeZone, log)
	s.Notices = &Notices{store: store, clock: clock, settings: settings, log: log}
	s.Connectors = &Connectors{store: store, clock: clock, alerts: settings.Alerts, log: log, notices: s.Notices}
	s.Reports = &Reports{store: store, clock: clock, settings: settings, lists: s}
	s.Hooks = &Hooks{store: store, clock: clock, log: log}
	s.Sequences = &Sequences{store: store, clock: clock, settings: settings, log: log}
	return s
}

// Settings returns the settings the service runs with.
func (s *Service) Settings() Settings { return s.settings }

// Clock returns the service's clock.
func (s *Service) Clock() Clock { return s.clock }

// canLead reports whether actor may act on the lead: an admin on all, a
// manager on the team's, a rep on own leads and unowned leads of the team.
func canLead(actor *User, l *Lead) bool {
	own := actor.ID != 0 && l.OwnerID == actor.ID // nobody in particular owns nothing
	switch actor.Role {
	case RoleAdmin:
		return true
	case RoleManager:
		return (actor.TeamID != 0 && l.TeamID == actor.TeamID) || own
	default:
		return own || (l.OwnerID == 0 && l.TeamID != 0 && l.TeamID == actor.TeamID)
	}
}

// canDeal reports whether actor may act on the deal.
func canDeal(actor *User, d *Deal) bool {
	own := actor.ID != 0 && d.OwnerID == actor.ID
	switch actor.Role {
	case RoleAdmin:
		return true
	case RoleManager:
		return (actor.TeamID != 0 && d.TeamID == actor.TeamID) || own
	default:
		return own
	}
}

func forbiddenLead(actor *User, l *Lead) error {
	return Refusal(KindForbidden, "lead.not_yours", fmt.Sprintf("%s is not yours: you can act on your own leads and unclaimed leads of your team", l.Ref()), "Ref", l.Ref())
}

func forbiddenDeal(actor *User, d *Deal) error {
	return Refusal(KindForbidden, "deal.not_yours", fmt.Sprintf("%s is not yours: a rep acts on own deals, a manager on the team's", d.Ref()), "Ref", d.Ref())
}

// leadFor loads a lead inside tx and checks actor may act on it.
func leadFor(ctx context.Context, tx Reader, actor *User, id int64) (*Lead, error) {
	l, err := tx.LeadByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canLead(actor, l) {
		return nil, forbiddenLead(actor, l)
	}
	return l, nil
}

// dealFor loads a deal inside tx and checks actor may act on it.
func dealFor(ctx context.Context, tx Reader, actor *User, id int64) (*Deal, error) {
	d, err := tx.DealByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canDeal(actor, d) {
		return nil, forbiddenDeal(actor, d)
	}
	return d, nil
}

// findReason matches a reason by code or label (case-insensitive prefix);
// anything else is kept as free text.
func findReason(reasons []Reason, text string) string {
	t := strings.TrimSpace(text)
	q := fold(t)
	for _, r := range reasons {
		if strings.EqualFold(r.Code, t) || fold(r.Label) == q {
			return r.Label
		}
		for _, l := range r.Labels {
			if fold(l) == q {
				return r.Label
			}
		}
	}
	// The start of a label in any language, when it is one reason's
	// only and long enough not to be someone's own short words.
	if utf8.RuneCountInString(q) >= 4 {
		found := ""
		for _, r := range reasons {
			labels := append([]string{r.Label}, slices.Collect(maps.Values(r.Labels))...)
			if slices.ContainsFunc(labels, func(l string) bool { return strings.HasPrefix(fold(l), q) }) {
				if found != "" {
					return t
				}
				found = r.Label
			}
		}
		if found != "" {
			return found
		}
	}
	return t
}

// FirstTime reports whether key is seen for the first time within ttl,
// across every replica on the database: an endpoint that several replicas
// serve acts on a retried request once.
func (s *Service) FirstTime(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	now := s.clock.Now()
	return s.store.Remember(ctx, key, now, now.Add(ttl))
}

// Seen reports whether key was seen (FirstTime) within its ttl, and
// records nothing: a delivery in parts knows which parts went out.
func (s *Service) Seen(ctx context.Context, key string) (bool, error) {
	return s.store.Remembered(ctx, key, s.clock.Now())
}

// ForgetSeen drops key, so the next FirstTime of it is true: a request
// that failed is acted on when it comes again.
func (s *Service) ForgetSeen(ctx context.Context, key string) error {
	return s.store.Forget(ctx, key)
}
