package core

import (
	"context"
	"time"
)

// RouteHow is how a lead or deal came to its team or owner.
type RouteHow string

// The ways a record is routed.
const (
	RouteTeam       RouteHow = "team"        // the inbound named its team (a form's, a mailbox's, a channel's)
	RouteFirstTeam  RouteHow = "first_team"  // the inbound named no team: the first team
	RouteClaimed    RouteHow = "claimed"     // the owner took it
	RouteAssigned   RouteHow = "assigned"    // a manager or admin gave it to the owner
	RouteRoundRobin RouteHow = "round_robin" // the next rep of the team in turn (Rule, when a rule did it)
	RouteImported   RouteHow = "imported"    // an import gave it to the owner
)

// Route is one step of how a lead or deal reached its team and owner,
// recorded when it happens: why explains it later.
type Route struct {
	ID     int64
	LeadID int64 // 0 for a deal's own step
	DealID int64 // 0 for a lead's step
	How    RouteHow
	TeamID int64
	Region string // the team's phone region when routed to a team
	Rule   string // the rule that did it, "" by hand or by capture
	ToID   int64  // the owner it went to, 0 for a team routing
	FromID int64  // the owner before, 0 when none
	ByID   int64  // who did it, 0 for capture, a rule or an import's file
	At     time.Time
}

// RouteReader lists the routing of records.
type RouteReader interface {
	// ListRoutes lists the routing steps of the lead and of the deal
	// (either may be 0), oldest first.
	ListRoutes(ctx context.Context, leadID, dealID int64) ([]Route, error)
}

// RouteTx records routing steps.
type RouteTx interface {
	// AddRoute stores a routing step; it sets r.ID.
	AddRoute(ctx context.Context, r *Route) error
}
