package storage_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/internal/secretbox"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestGrantsAreStoredSealedAndRefreshedOverTheVersionRead(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		clock := clocktest.New(day0)
		svc := core.NewService(db, clock, core.Settings{}, nil)
		key := secretbox.NewKey()
		grants := core.NewGrants(svc, secretbox.New(key))
		g := &core.Grant{Connector: "email:sales", Provider: "microsoft", Account: "sales@example.com",
			RefreshToken: "refresh-secret-1", AccessToken: "access-secret-1", Expiry: at(time.Hour)}

		t.Run("a sign-in is stored with its tokens sealed", func(t *testing.T) {
			if err := grants.Put(ctx, g); err != nil {
				t.Fatal(err)
			}
			raw, err := db.LoadGrant(ctx, "email:sales")
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(raw.Secret, []byte("secret-1")) {
				t.Fatal("a token is stored in the clear")
			}
			got, err := grants.Load(ctx, "email:sales")
			if err != nil {
				t.Fatal(err)
			}
			if got.RefreshToken != "refresh-secret-1" || got.AccessToken != "access-secret-1" || !got.Expiry.Equal(at(time.Hour)) ||
				got.Account != "sales@example.com" || !got.CreatedAt.Equal(day0) {
				t.Fatalf("loaded %+v", got)
			}
			admin := &core.User{Role: core.RoleAdmin}
			log, err := svc.Audit(ctx, admin, core.AuditFilter{Action: "connector.signin"})
			if err != nil || len(log) != 1 || log[0].Target != "email:sales" || log[0].Changes[0].After != "sales@example.com" {
				t.Fatalf("sign-in audit %+v, %v", log, err)
			}
			for _, ch := range log[0].Changes {
				if bytes.Contains([]byte(ch.After), []byte("secret")) {
					t.Fatalf("a token in the audit log: %+v", ch)
				}
			}
		})
		t.Run("a refresh over a grant another replica refreshed first is not stored", func(t *testing.T) {
			a, _ := grants.Load(ctx, "email:sales")
			b, _ := grants.Load(ctx, "email:sales")
			a.AccessToken, a.Expiry = "access-a", at(2*time.Hour)
			if ok, err := grants.Refreshed(ctx, a); err != nil || !ok {
				t.Fatalf("first refresh: %v, %v", ok, err)
			}
			b.AccessToken = "access-b"
			if ok, err := grants.Refreshed(ctx, b); err != nil || ok {
				t.Fatalf("second refresh over a stale version: %v, %v", ok, err)
			}
			got, _ := grants.Load(ctx, "email:sales")
			if got.AccessToken != "access-a" {
				t.Fatalf("stored %q", got.AccessToken)
			}
		})
		t.Run("statuses show no token", func(t *testing.T) {
			st, err := grants.Statuses(ctx)
			if err != nil || len(st) != 1 || st[0].Account != "sales@example.com" || !st[0].Expiry.Equal(at(2*time.Hour)) {
				t.Fatalf("%+v, %v", st, err)
			}
		})
		t.Run("a rotation re-seals every grant with the new key", func(t *testing.T) {
			next := secretbox.NewKey()
			n, err := grants.Rotate(ctx, secretbox.New(next))
			if err != nil || n != 1 {
				t.Fatalf("rotate: %d, %v", n, err)
			}
			if _, err := grants.Load(ctx, "email:sales"); err == nil {
				t.Fatal("the old key alone still opens the grant")
			}
			got, err := core.NewGrants(svc, secretbox.New(next)).Load(ctx, "email:sales")
			if err != nil || got.RefreshToken != "refresh-secret-1" {
				t.Fatalf("after rotation: %v, %v", got, err)
			}
		})
		t.Run("without a key nothing is stored and the error says how to make one", func(t *testing.T) {
			err := core.NewGrants(svc, nil).Put(ctx, &core.Grant{Connector: "email:other", RefreshToken: "x"})
			if err == nil || !bytes.Contains([]byte(core.Message(err)), []byte("leadwire secrets new-key")) {
				t.Fatalf("err %v", err)
			}
			if _, err := db.LoadGrant(ctx, "email:other"); core.KindOf(err) != core.KindNotFound {
				t.Fatalf("stored without a key: %v", err)
			}
		})
	})
}
