package main

import (
	"leadwire/internal/view"
)

// names resolves user, team, pipeline and stage ids for display.
func (a *App) names() (view.Names, error) {
	n, err := a.svc.Directory.Names(a.ctx)
	if err != nil {
		return view.Names{}, err
	}
	return view.Names{Users: n.Users, Teams: n.Teams, Pipelines: n.Pipelines}, nil
}
