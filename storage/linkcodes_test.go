package storage_test

import (
	"context"
	"errors"
	"testing"

	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestLinkCodes(t *testing.T) { storagetest.Each(t, testLinkCodes) }

func testLinkCodes(t *testing.T, db *storage.DB) {
	ctx := context.Background()
	clock := clocktest.New(day0)
	svc := core.NewService(db, clock, core.Settings{}, nil)
	u, err := svc.Directory.SaveUser(ctx, nil, core.UserDef{Email: "ana@example.com", Name: "Ana", Role: "rep"})
	if err != nil {
		t.Fatal(err)
	}
	refused := func(t *testing.T, err error, why error) {
		t.Helper()
		if !errors.Is(err, why) || core.KindOf(err) != core.KindInvalid {
			t.Fatalf("got %v, want a refusal wrapping %v", err, why)
		}
	}

	t.Run("a fresh code links the account once", func(t *testing.T) {
		code, err := svc.Directory.NewLinkCode(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != 8 {
			t.Fatalf("code %q", code)
		}
		got, err := svc.Directory.RedeemLinkCode(ctx, " "+string([]byte{code[0] + 0})+lower(code[1:])+" ", 4242)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || got.TelegramID != 4242 {
			t.Fatalf("linked %+v", got)
		}
		_, err = svc.Directory.RedeemLinkCode(ctx, code, 5555)
		refused(t, err, core.ErrLinkCodeUsed)
	})
	t.Run("a wrong code is refused", func(t *testing.T) {
		_, err := svc.Directory.RedeemLinkCode(ctx, "ABCDEFGH", 1)
		refused(t, err, core.ErrLinkCodeWrong)
		_, err = svc.Directory.RedeemLinkCode(ctx, "nonsense!", 1)
		refused(t, err, core.ErrLinkCodeWrong)
	})
	t.Run("an expired code is refused", func(t *testing.T) {
		code, err := svc.Directory.NewLinkCode(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(core.LinkCodeTTL)
		_, err = svc.Directory.RedeemLinkCode(ctx, code, 7)
		refused(t, err, core.ErrLinkCodeExpired)
	})
	t.Run("refusals are counted", func(t *testing.T) {
		st, err := db.ConnectorStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st {
			if s.Connector == core.LinkConnector {
				if s.Counts["refused:wrong"] != 2 || s.Counts["refused:used"] != 1 || s.Counts["refused:expired"] != 1 {
					t.Fatalf("counts %v", s.Counts)
				}
				return
			}
		}
		t.Fatalf("no %s counters in %+v", core.LinkConnector, st)
	})
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c - 'A' + 'a'
		}
	}
	return string(b)
}
