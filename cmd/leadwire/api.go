package main

import "leadwire/connectors/api"

// mountAPI mounts the REST API, /api/v1, beside the webhook intake (whose
// POST /api/v1/inbound is the more specific route and keeps it).
func (s *server) mountAPI() error {
	svc, err := s.app.Service()
	if err != nil {
		return err
	}
	s.handleAll(api.New(svc, api.Options{Log: s.app.Logger().With("part", "api")}).Routes())
	return nil
}
