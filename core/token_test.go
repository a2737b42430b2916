package core_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestTokens(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		tok, secret, err := f.svc.Directory.CreateToken(f.ctx, f.admin, "zapier-prod", "zapier")
		if err != nil {
			t.Fatal(err)
		}

		t.Run("a secret is lw_ and 52 base32 characters, stored only as its hash", func(t *testing.T) {
			if !strings.HasPrefix(secret, "lw_") || len(secret) != 55 || strings.Trim(secret[3:], "abcdefghijklmnopqrstuvwxyz234567") != "" {
				t.Errorf("secret = %q", secret)
			}
			list, err := f.svc.Directory.ListTokens(f.ctx, f.admin)
			if err != nil || len(list) != 1 {
				t.Fatalf("tokens = %+v, %v", list, err)
			}
			got := list[0]
			if got.Hash != core.HashToken(secret) || got.Hint != secret[:7] || got.Name != "zapier-prod" || got.Source != "zapier" {
				t.Errorf("stored %+v", got)
			}
			if strings.Contains(got.Hash+got.Hint+got.Name, secret[7:]) {
				t.Error("the secret is stored")
			}
		})
		t.Run("two tokens never share a secret", func(t *testing.T) {
			_, other, err := f.svc.Directory.CreateToken(f.ctx, nil, "second", "")
			if err != nil || other == secret {
				t.Errorf("second secret %q, %v", other, err)
			}
		})
		t.Run("the secret verifies and the last use is recorded once a minute", func(t *testing.T) {
			got, err := f.svc.Directory.VerifyToken(f.ctx, secret)
			if err != nil || got.ID != tok.ID {
				t.Fatalf("verify = %+v, %v", got, err)
			}
			first := lastUsed(t, f, tok.ID)
			if !first.Equal(f.clock.Now()) {
				t.Errorf("last used %v, want %v", first, f.clock.Now())
			}
			f.clock.Advance(30 * time.Second)
			f.svc.Directory.VerifyToken(f.ctx, secret)
			if got := lastUsed(t, f, tok.ID); !got.Equal(first) {
				t.Errorf("last used moved within the minute: %v", got)
			}
			f.clock.Advance(31 * time.Second)
			f.svc.Directory.VerifyToken(f.ctx, secret)
			if got := lastUsed(t, f, tok.ID); !got.Equal(f.clock.Now()) {
				t.Errorf("last used %v, want %v", got, f.clock.Now())
			}
		})
		for _, bad := range []string{"", "lw_", "lw_nothere", secret + "x", strings.ToUpper(secret), "Bearer " + secret, strings.Repeat("lw_", 100)} {
			t.Run("an unknown secret is refused: "+bad, func(t *testing.T) {
				got, err := f.svc.Directory.VerifyToken(f.ctx, bad)
				wantKind(t, err, core.KindForbidden, "unknown token")
				if got != nil {
					t.Errorf("got token %+v", got)
				}
			})
		}
		t.Run("a rep cannot manage tokens", func(t *testing.T) {
			_, _, err := f.svc.Directory.CreateToken(f.ctx, f.repA, "mine", "")
			wantKind(t, err, core.KindForbidden, "only an admin")
			_, err = f.svc.Directory.ListTokens(f.ctx, f.mgr)
			wantKind(t, err, core.KindForbidden, "only an admin")
			_, err = f.svc.Directory.RevokeToken(f.ctx, f.repA, "zapier-prod")
			wantKind(t, err, core.KindForbidden, "only an admin")
		})
		t.Run("names are checked", func(t *testing.T) {
			for _, name := range []string{"", "12", "has space", "new\nline", strings.Repeat("x", 65)} {
				_, _, err := f.svc.Directory.CreateToken(f.ctx, f.admin, name, "")
				wantKind(t, err, core.KindInvalid, "invalid token name")
			}
			_, _, err := f.svc.Directory.CreateToken(f.ctx, f.admin, "ok", "bad source")
			wantKind(t, err, core.KindInvalid, "invalid source")
			_, _, err = f.svc.Directory.CreateToken(f.ctx, f.admin, "zapier-prod", "")
			wantKind(t, err, core.KindConflict, "exists already")
		})
		t.Run("a revoked token stops working at once and is named in the refusal", func(t *testing.T) {
			f.clock.Advance(time.Hour)
			r, err := f.svc.Directory.RevokeToken(f.ctx, f.admin, "zapier-prod")
			if err != nil || r.ID != tok.ID || !r.RevokedAt.Equal(f.clock.Now()) {
				t.Fatalf("revoke = %+v, %v", r, err)
			}
			got, err := f.svc.Directory.VerifyToken(f.ctx, secret)
			wantKind(t, err, core.KindForbidden, "token zapier-prod was revoked on 2026-11-02")
			if got == nil || got.Name != "zapier-prod" {
				t.Errorf("got %+v", got)
			}
			_, err = f.svc.Directory.RevokeToken(f.ctx, f.admin, "zapier-prod")
			wantKind(t, err, core.KindNotFound, "no token \"zapier-prod\" in force")
		})
		t.Run("a token is revoked by id too, once", func(t *testing.T) {
			tok2, _, err := f.svc.Directory.CreateToken(f.ctx, f.admin, "zapier-prod", "zapier")
			if err != nil {
				t.Fatal(err)
			}
			id := strconv.FormatInt(tok2.ID, 10)
			if _, err := f.svc.Directory.RevokeToken(f.ctx, f.admin, id); err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.Directory.RevokeToken(f.ctx, f.admin, id)
			wantKind(t, err, core.KindConflict, "revoked already")
			_, err = f.svc.Directory.RevokeToken(f.ctx, f.admin, "9999")
			wantKind(t, err, core.KindNotFound, "no token")
		})
	})
}

func lastUsed(t *testing.T, f *fixture, id int64) time.Time {
	t.Helper()
	list, err := f.svc.Directory.ListTokens(f.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range list {
		if tok.ID == id {
			return tok.LastUsedAt
		}
	}
	t.Fatalf("no token %d", id)
	return time.Time{}
}

func TestDeliveryLog(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		body := bytes.Repeat([]byte("x"), 10_000)
		d := &core.Delivery{Source: "typeform", Token: "tf", Status: 422, Outcome: core.DeliveryRefused,
			Error: "no email\r\nX-Injected: yes", Size: int64(len(body)), Body: body}
		if err := f.svc.LogDelivery(f.ctx, d); err != nil {
			t.Fatal(err)
		}

		t.Run("the body is kept up to 4 KiB and the reason on one line", func(t *testing.T) {
			got, err := f.svc.Deliveries(f.ctx, f.admin, core.DeliveryFilter{})
			if err != nil || len(got) != 1 {
				t.Fatalf("deliveries = %+v, %v", got, err)
			}
			if len(got[0].Body) != core.DeliveryBodyMax || got[0].Size != 10_000 || !got[0].At.Equal(f.clock.Now()) {
				t.Errorf("body %d bytes, size %d, at %v", len(got[0].Body), got[0].Size, got[0].At)
			}
			if got[0].Error != "no email X-Injected: yes" {
				t.Errorf("error = %q", got[0].Error)
			}
		})
		t.Run("only an admin reads the log", func(t *testing.T) {
			_, err := f.svc.Deliveries(f.ctx, f.mgr, core.DeliveryFilter{})
			wantKind(t, err, core.KindForbidden, "only an admin")
		})
		t.Run("deliveries past the retention are dropped as new ones arrive", func(t *testing.T) {
			f.clock.Advance(core.DeliveryRetention + time.Hour)
			for range 300 {
				if err := f.svc.LogDelivery(f.ctx, &core.Delivery{Source: "tally", Status: 201, Outcome: core.DeliveryLead}); err != nil {
					t.Fatal(err)
				}
			}
			got, _ := f.svc.Deliveries(f.ctx, nil, core.DeliveryFilter{Source: "typeform"})
			if len(got) != 0 {
				t.Errorf("the expired delivery is still there: %+v", got)
			}
		})
	})
}
