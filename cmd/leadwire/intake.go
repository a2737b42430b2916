package main

import (
	"net/http"

	"leadwire/connectors/webform"
	"leadwire/connectors/webhook"
)

// mountIntake mounts the web forms (POST and OPTIONS /forms/{id}) and the
// webhook intake (POST /api/v1/inbound, and its schema) on the server.
func (s *server) mountIntake() error {
	cfg, err := s.app.Config()
	if err != nil {
		return err
	}
	svc, err := s.app.Service()
	if err != nil {
		return err
	}
	log := s.app.Logger()
	forms, err := webform.New(svc, cfg.WebForms(), webform.Options{TrustedProxies: cfg.TrustedProxies(), Log: log.With("connector", "webform")})
	if err != nil {
		return err
	}
	hooks, err := webhook.New(svc, cfg.WebhookSources(), webhook.Options{MaxBytes: int64(cfg.Webhooks.MaxBytes), Log: log.With("connector", "webhook")})
	if err != nil {
		return err
	}
	s.handleLimit("POST /forms/{id}", forms.MaxBytes(), forms.Submit)
	s.handle("OPTIONS /forms/{id}", forms.Preflight)
	s.handleLimit("POST /api/v1/inbound", hooks.MaxBytes(), hooks.ServeHTTP)
	s.mux.HandleFunc("GET /api/v1/inbound/schema.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/schema+json")
		w.Write(webhook.Schema)
	})
	return nil
}
