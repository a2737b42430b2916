package main

import (
	"leadwire/internal/view"
)

// names resolves user and team ids for display.
func (a *App) names() (view.Names, error) {
	u, err := a.userEmails()
	if err != nil {
		return view.Names{}, err
	}
	t, err := a.teamNames()
	return view.Names{Users: u, Teams: t}, err
}
