package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leadwire/core"
	"leadwire/internal/secretbox"
)

func TestSecretsRotateKeepsEverySignIn(t *testing.T) {
	e := newIOEnv(t)
	key := strings.TrimSpace(e.ok("secrets", "new-key").out)
	first, err := secretbox.ParseKey(key)
	if err != nil {
		t.Fatalf("new-key printed %q: %v", key, err)
	}
	file := filepath.Join(e.dir, "secrets.key")
	if err := os.WriteFile(file, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.appendConfig("secrets:\n  key: " + file + "\n")
	ctx := context.Background()
	svc := core.NewService(e.store(), nil, core.Settings{}, nil)
	if err := core.NewGrants(svc, secretbox.New(first)).Put(ctx, &core.Grant{Connector: "email:sales", Account: "sales@example.com",
		Provider: "microsoft", RefreshToken: "refresh-token-1"}); err != nil {
		t.Fatal(err)
	}

	t.Run("a rep may not rotate the key", func(t *testing.T) {
		r := e.run("--as", "lan@example.com", "secrets", "rotate")
		if r.code == 0 || !strings.Contains(r.errOut, "for admins") {
			t.Fatalf("exit %d: %s", r.code, r.errOut)
		}
	})
	t.Run("an admin's rotation re-encrypts with a new key in the file", func(t *testing.T) {
		r := e.ok("secrets", "rotate")
		if !strings.Contains(r.errOut, "re-encrypted 1 stored sign-in") {
			t.Errorf("stderr: %s", r.errOut)
		}
		box, err := secretbox.Load(file, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(box.Keys()) != 1 || box.Keys()[0] == first {
			t.Fatalf("the file holds %d keys, the old one first: %v", len(box.Keys()), box.Keys()[0] == first)
		}
		g, err := core.NewGrants(svc, box).Load(ctx, "email:sales")
		if err != nil || g.RefreshToken != "refresh-token-1" {
			t.Fatalf("the grant after rotation: %v, %v", g, err)
		}
		if _, err := core.NewGrants(svc, secretbox.New(first)).Load(ctx, "email:sales"); err == nil {
			t.Error("the old key still opens the grant")
		}
		if strings.Contains(r.out+r.errOut, "refresh-token-1") {
			t.Error("the token was printed")
		}
	})
	t.Run("without a key rotate says how to make one", func(t *testing.T) {
		e2 := newIOEnv(t)
		r := e2.run("secrets", "rotate")
		if r.code == 0 || !strings.Contains(r.errOut, "leadwire secrets new-key") {
			t.Fatalf("exit %d: %s", r.code, r.errOut)
		}
	})
}
