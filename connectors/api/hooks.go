package api

import (
	"context"
	"net/http"
	"strconv"

	"leadwire/core"
	"leadwire/internal/view"
)

// HookOptions are what the hook routes need from the wiring: the box a
// secret is sealed with and how to check a target and make a secret.
type HookOptions struct {
	Box       core.Sealer
	CheckURL  func(ctx context.Context, url string) error
	NewSecret func() string
}

// hookRoutes are the REST-hook subscriptions Zapier and n8n make: an
// admin's token (or one acting as an admin) with the hooks scope.
func (h *Handler) hookRoutes() map[string]route {
	s := core.ScopeHooks
	return map[string]route{
		"GET /api/v1/hooks":         {s, h.listHooks},
		"POST /api/v1/hooks":        {s, h.createHook},
		"DELETE /api/v1/hooks/{id}": {s, h.deleteHook},
	}
}

func (h *Handler) listHooks(c *call) error {
	if _, err := c.params(); err != nil {
		return err
	}
	hs, err := h.svc.Hooks.List(c.r.Context(), c.actor)
	if err != nil {
		return err
	}
	out := make([]view.Hook, len(hs))
	for i := range hs {
		out[i] = view.HookOf(&hs[i])
	}
	return c.reply(http.StatusOK, page{Data: out})
}

type hookInput struct {
	URL         string   `json:"url"`
	Events      []string `json:"events"`
	Description string   `json:"description"`
}

// createHook subscribes a URL and answers the subscription with its
// secret, the one time it is shown.
func (h *Handler) createHook(c *call) error {
	var in hookInput
	if err := c.decode(&in); err != nil {
		return err
	}
	var events []core.EventType
	for _, e := range in.Events {
		t, err := core.ParseEventTypes(e)
		if err != nil {
			return err
		}
		events = append(events, t...)
	}
	hk, secret, err := h.svc.Hooks.Add(c.r.Context(), c.actor, h.hooks.Box, core.HookInput{URL: in.URL, Events: events,
		Description: in.Description, CheckURL: h.hooks.CheckURL, NewSecret: h.hooks.NewSecret})
	if err != nil {
		return err
	}
	v := view.HookOf(hk)
	v.Secret = secret
	c.w.Header().Set("Location", "/api/v1/hooks/"+strconv.FormatInt(hk.ID, 10))
	return c.reply(http.StatusCreated, v)
}

func (h *Handler) deleteHook(c *call) error {
	if _, err := c.params(); err != nil {
		return err
	}
	id, err := refID(c, 0)
	if err != nil {
		return err
	}
	if err := h.svc.Hooks.Remove(c.r.Context(), c.actor, id); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}
