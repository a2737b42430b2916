package storage_test

import (
	"bytes"
	"context"
	"reflect"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestTokens(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		zap := core.Token{Name: "zapier", Source: "zapier", Hash: core.HashToken("lw_a"), Hint: "lw_a", CreatedAt: day0}
		update(t, db, func(tx core.Tx) error { return tx.CreateToken(ctx, &zap) })

		t.Run("a token is found by the hash of its secret", func(t *testing.T) {
			got, err := db.TokenByHash(ctx, core.HashToken("lw_a"))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, zap) {
				t.Errorf("got %+v, want %+v", got, zap)
			}
		})
		t.Run("an unknown hash is not found", func(t *testing.T) {
			_, err := db.TokenByHash(ctx, core.HashToken("lw_b"))
			wantErr(t, err, core.KindNotFound, "unknown token")
		})
		t.Run("a second token in force with the same name is a conflict", func(t *testing.T) {
			dup := core.Token{Name: "zapier", Hash: core.HashToken("lw_c"), CreatedAt: day0}
			err := db.Update(ctx, func(tx core.Tx) error { return tx.CreateToken(ctx, &dup) })
			wantErr(t, err, core.KindConflict, "exists already")
		})
		t.Run("revoking frees the name and keeps the token listed", func(t *testing.T) {
			zap.RevokedAt, zap.LastUsedAt = at(day), at(time1h)
			update(t, db, func(tx core.Tx) error { return tx.UpdateToken(ctx, &zap) })
			again := core.Token{Name: "zapier", Hash: core.HashToken("lw_d"), CreatedAt: at(2 * day)}
			update(t, db, func(tx core.Tx) error { return tx.CreateToken(ctx, &again) })
			list, err := db.ListTokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 2 || !reflect.DeepEqual(list[0], zap) || !reflect.DeepEqual(list[1], again) {
				t.Errorf("tokens = %+v", list)
			}
		})
		t.Run("an API token keeps its scopes and the user it acts as", func(t *testing.T) {
			var u core.User
			update(t, db, func(tx core.Tx) error {
				u = core.User{Email: "api@example.com", Name: "API", Role: core.RoleRep}
				return tx.CreateUser(ctx, &u)
			})
			api := core.Token{Name: "bi", Hash: core.HashToken("lw_e"), CreatedAt: day0, Scopes: []core.Scope{core.ScopeRead, core.ScopeWrite}, UserID: u.ID}
			update(t, db, func(tx core.Tx) error { return tx.CreateToken(ctx, &api) })
			got, err := db.TokenByHash(ctx, core.HashToken("lw_e"))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, api) {
				t.Errorf("got %+v, want %+v", got, api)
			}
		})
		t.Run("updating a missing token is not found", func(t *testing.T) {
			err := db.Update(ctx, func(tx core.Tx) error { return tx.UpdateToken(ctx, &core.Token{ID: 999}) })
			wantErr(t, err, core.KindNotFound, "token 999")
		})
	})
}

const time1h = time.Hour

func TestDeliveries(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		ds := []core.Delivery{
			{At: day0, Source: "typeform", Token: "tf", Status: 201, Outcome: core.DeliveryLead, Ref: "L1", ExternalID: "e1", Size: 120, Body: []byte(`{"a":1}`)},
			{At: at(day), Source: "tally", Token: "", Status: 401, Outcome: core.DeliveryRefused, Error: "unknown token", Size: 3},
			{At: at(2 * day), Source: "typeform", Token: "tf", Status: 200, Outcome: core.DeliveryDuplicate, Ref: "L1", ExternalID: "e1", Size: 120, Body: []byte{0, 0xff, 'x'}},
		}
		for i := range ds {
			update(t, db, func(tx core.Tx) error { return tx.AddDelivery(ctx, &ds[i]) })
		}
		t.Run("the log lists newest first with every field", func(t *testing.T) {
			got, err := db.ListDeliveries(ctx, core.DeliveryFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 {
				t.Fatalf("got %d deliveries", len(got))
			}
			for i, g := range got {
				w := ds[2-i]
				if !bytes.Equal(g.Body, w.Body) {
					t.Errorf("body %q, want %q", g.Body, w.Body)
				}
				g.Body, w.Body = nil, nil
				if !reflect.DeepEqual(g, w) {
					t.Errorf("delivery %d = %+v, want %+v", i, g, w)
				}
			}
		})
		t.Run("the log filters by source, outcome and limit", func(t *testing.T) {
			got, _ := db.ListDeliveries(ctx, core.DeliveryFilter{Source: "typeform", Limit: 1})
			if len(got) != 1 || got[0].ID != ds[2].ID {
				t.Errorf("typeform, 1: %+v", got)
			}
			got, _ = db.ListDeliveries(ctx, core.DeliveryFilter{Outcome: core.DeliveryRefused})
			if len(got) != 1 || got[0].ID != ds[1].ID {
				t.Errorf("refused: %+v", got)
			}
		})
		t.Run("pruning drops deliveries older than the time", func(t *testing.T) {
			update(t, db, func(tx core.Tx) error { return tx.PruneDeliveries(ctx, at(day)) })
			got, _ := db.ListDeliveries(ctx, core.DeliveryFilter{})
			if len(got) != 2 || got[1].ID != ds[1].ID {
				t.Errorf("after pruning: %+v", got)
			}
		})
	})
}
