package core

import "context"

// noOwner is an owner id no record has. An actor without an id (nobody in
// particular: an adapter that found no user) owns nothing, and a filter on
// owner 0 would mean anybody's, so their own records are asked for as
// noOwner's.
const noOwner int64 = -1

// ownID is the owner id that stands for the actor's own records in a
// filter: the actor's id, or noOwner.
func ownID(actor *User) int64 {
	if actor.ID == 0 {
		return noOwner
	}
	return actor.ID
}

// outsideReach reports whether a list filtered to the team and owner (0:
// any) can hold nothing the actor may see: a manager asking for another
// team, a rep for another team or another rep. Without it the scoping of
// the lists would swap the filter for the actor's own and answer a
// question about Warsaw with Bangkok's leads. A rep whose team reads the
// team's (team) reaches every owner of the team.
func outsideReach(actor *User, team bool, teamID, ownerID int64) bool {
	switch actor.Role {
	case RoleAdmin:
		return false
	case RoleManager:
		return actor.TeamID != 0 && teamID != 0 && teamID != actor.TeamID
	default:
		return (teamID != 0 && teamID != actor.TeamID) || (ownerID != 0 && ownerID != actor.ID && !team)
	}
}

// Task returns a task the actor may see: an own task, any for an admin, a
// team member's for a manager.
func (s *Service) Task(ctx context.Context, actor *User, id int64) (*Task, error) {
	t, err := s.store.TaskByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if (actor.ID != 0 && t.OwnerID == actor.ID) || actor.Role == RoleAdmin {
		return t, nil
	}
	if actor.Role == RoleManager && actor.TeamID != 0 && t.OwnerID != 0 {
		owner, err := s.store.UserByID(ctx, t.OwnerID)
		if err != nil {
			return nil, err
		}
		if owner.TeamID == actor.TeamID {
			return t, nil
		}
	}
	return nil, Errorf(KindForbidden, "T%d is not yours", t.ID)
}

// People lists the users the actor may see: every user for an admin, the
// actor's team and the actor for anyone else (just the actor when in no
// team).
func (s *Service) People(ctx context.Context, actor *User) ([]User, error) {
	if actor.Role == RoleAdmin {
		return s.store.ListUsers(ctx, UserFilter{})
	}
	if actor.TeamID == 0 {
		u, err := s.store.UserByID(ctx, actor.ID)
		if err != nil {
			return nil, err
		}
		return []User{*u}, nil
	}
	return s.store.ListUsers(ctx, UserFilter{TeamID: actor.TeamID})
}
