package core

import (
	"context"
	"sync"
)

// DirectoryVersionKey is the setting the store changes, in the same
// transaction, whenever a user, team or pipeline is created or changed;
// caches of them compare it to know they are stale, on every replica.
const DirectoryVersionKey = "directory.version"

// Names is what names records for readers outside: users' emails and
// teams' names by id, and the pipelines with their stages. It is shared
// between callers: read it, never change it.
type Names struct {
	Users     map[int64]string
	Teams     map[int64]string
	Pipelines map[int64]*Pipeline
}

// namesCache keeps the Names of one directory version.
type namesCache struct {
	mu      sync.Mutex
	version string
	names   *Names
}

// Names returns the names of users, teams and pipelines: loaded once
// and kept until any of them changes (one small read tells), so a
// request that names its records does not load the directory again.
func (d *Directory) Names(ctx context.Context) (*Names, error) {
	// The version is read before what it covers: a change committed in
	// between leaves the cache one version behind, never ahead.
	v, err := d.store.Setting(ctx, DirectoryVersionKey)
	if err != nil {
		return nil, err
	}
	d.names.mu.Lock()
	if d.names.names != nil && d.names.version == v {
		n := d.names.names
		d.names.mu.Unlock()
		return n, nil
	}
	d.names.mu.Unlock()
	users, err := d.store.ListUsers(ctx, UserFilter{})
	if err != nil {
		return nil, err
	}
	teams, err := d.store.ListTeams(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := d.store.ListPipelines(ctx)
	if err != nil {
		return nil, err
	}
	n := &Names{Users: make(map[int64]string, len(users)), Teams: make(map[int64]string, len(teams)), Pipelines: make(map[int64]*Pipeline, len(ps))}
	for _, u := range users {
		n.Users[u.ID] = u.Email
	}
	for _, t := range teams {
		n.Teams[t.ID] = t.Name
	}
	for i := range ps {
		n.Pipelines[ps[i].ID] = &ps[i]
	}
	d.names.mu.Lock()
	d.names.version, d.names.names = v, n
	d.names.mu.Unlock()
	return n, nil
}
