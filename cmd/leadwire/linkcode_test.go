package main

import (
	"context"
	"strings"
	"testing"

	"leadwire/core"
)

func TestUsersLinkCode(t *testing.T) {
	e := newIOEnv(t)
	r := e.ok("users", "link-code", "lan@example.com")
	code := strings.TrimSpace(r.out)
	if len(code) != 8 {
		t.Fatalf("out %q", r.out)
	}
	svc := core.NewService(e.store(), nil, core.Settings{}, nil)
	u, err := svc.Directory.RedeemLinkCode(context.Background(), code, 4711)
	if err != nil || u.Email != "lan@example.com" {
		t.Fatalf("redeem: %+v, %v", u, err)
	}
	if r := e.run("users", "link-code", "nobody@example.com"); r.code == 0 || !strings.Contains(r.errOut, "users add") {
		t.Fatalf("unknown user: exit %d, %q", r.code, r.errOut)
	}
}
