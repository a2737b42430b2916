package main

import (
	"context"
	"strings"
	"testing"
)

func TestUsersLink(t *testing.T) {
	e := newIOEnv(t)
	t.Run("a user is linked to a Slack account", func(t *testing.T) {
		r := e.ok("users", "link", "lan@example.com", "--slack", "U02NGUYENL")
		if !strings.Contains(r.out, "linked lan@example.com to Slack U02NGUYENL") {
			t.Fatalf("out %q", r.out)
		}
	})
	for _, c := range []struct{ name, email, id, want string }{
		{"an id linked to someone else is refused", "piotr@example.com", "U02NGUYENL", "linked to lan@example.com already"},
		{"a malformed id is refused", "piotr@example.com", "piotr", "invalid Slack member id"},
		{"an unknown user is refused", "nobody@example.com", "U09NOBODY", "users add"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.run("users", "link", c.email, "--slack", c.id)
			if r.code == 0 || !strings.Contains(r.errOut, c.want) {
				t.Fatalf("exit %d, stderr %q, want %q", r.code, r.errOut, c.want)
			}
		})
	}
	u, err := e.store().UserBySlackID(context.Background(), "U02NGUYENL")
	if err != nil || u.Email != "lan@example.com" {
		t.Fatalf("linked user %+v, %v", u, err)
	}
}
