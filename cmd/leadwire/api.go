package main

import (
	"context"

	"leadwire/connectors/api"
	"leadwire/connectors/hooks"
)

// mountAPI mounts the REST API, /api/v1, beside the webhook intake (whose
// POST /api/v1/inbound is the more specific route and keeps it).
func (s *server) mountAPI() error {
	svc, err := s.app.Service()
	if err != nil {
		return err
	}
	cfg, err := s.app.Config()
	if err != nil {
		return err
	}
	box, err := s.app.secretsBox()
	if err != nil {
		return err
	}
	allow := cfg.Hooks.AllowPrivate
	s.handleAll(api.New(svc, api.Options{Log: s.app.Logger().With("part", "api"), Hooks: api.HookOptions{Box: box, NewSecret: hooks.NewSecret,
		CheckURL: func(ctx context.Context, u string) error { return hooks.CheckURL(ctx, u, allow) }}}).Routes())
	return nil
}
