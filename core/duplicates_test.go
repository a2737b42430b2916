package core_test

import (
	"fmt"
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestNameKeyFoldsWhatDiffersOnlyInWriting(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"Łukasz Żółkiewski", "Lukasz Zolkiewski"},
		{"Łukasz Żółkiewski", "ŻÓŁKIEWSKI Łukasz"},
		{"Nguyễn Văn An", "Nguyen Van An"},
		{"Аnna Kоwalska", "Anna Kowalska"}, // Cyrillic А and о
		{"Ｗａｎｇ Ｘｉａｏｍｉｎｇ", "Xiaoming Wang"},
		{"Zoë Müller", "zoe muller"},
	} {
		t.Run(tc.a+" and "+tc.b+" share a key", func(t *testing.T) {
			if ka, kb := core.NameKey(tc.a), core.NameKey(tc.b); ka != kb {
				t.Fatalf("%q ≠ %q", ka, kb)
			}
		})
	}
	t.Run("different names keep different keys", func(t *testing.T) {
		if core.NameKey("Anna Nowak") == core.NameKey("Anna Nowicka") || core.NameKey("王小明") == core.NameKey("王小红") {
			t.Fatal("different names folded together")
		}
	})
}

func TestDuplicates(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		n := 0
		add := func(team, name, email, phone, company string) int64 {
			n++
			return f.capture(t, core.Inbound{Channel: core.ChannelImport, Source: "book", ExternalID: fmt.Sprint(n), Team: team,
				Name: name, Email: email, Phone: phone, Company: company}).ContactID
		}
		l1 := add("Warsaw", "Łukasz Żółkiewski", "lukasz@wp.pl", "", "")
		l2 := add("Warsaw", "Lukasz Zolkiewski", "l.zolkiewski@gmail.com", "", "")
		a1 := add("Warsaw", "Anna Nowak", "anna@firma.pl", "", "Firma")
		a2 := add("Warsaw", "Anna Nowak", "anna.nowak@gmail.com", "", "FIRMA")
		add("Warsaw", "Anna Nowak", "anna@inna.pl", "", "Inna")
		p1 := add("Bangkok", "Somchai Jaidee", "somchai@siam.co.th", "+66812345678", "")
		p2 := add("Bangkok", "Malee Srisuk", "malee@gmail.com", "+66812345678", "")
		k1 := add("Bangkok", "Anna Kowalska", "ak@gmail.com", "", "")
		k2 := add("Bangkok", "Аnna Kоwalska", "ak2@gmail.com", "", "")
		add("Bangkok", "Anna Nowicka", "an@gmail.com", "", "")

		want := map[[2]int64]string{
			{l1, l2}: core.ReasonNearName,
			{a1, a2}: core.ReasonNameCompany,
			{p1, p2}: core.ReasonSamePhone,
			{k1, k2}: core.ReasonNearName,
		}
		check := func(t *testing.T, who *core.User, pairs ...[2]int64) {
			t.Helper()
			got, err := f.svc.Duplicates(f.ctx, who, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(pairs) {
				t.Fatalf("got %+v, want %d pairs", got, len(pairs))
			}
			for _, p := range pairs {
				found := false
				for _, d := range got {
					if d.ContactID == p[0] && d.OtherID == p[1] {
						found = true
						if d.Reason != want[p] {
							t.Errorf("%v: reason %q, want %q", p, d.Reason, want[p])
						}
					}
				}
				if !found {
					t.Errorf("pair %v missing from %+v", p, got)
				}
			}
		}
		t.Run("an admin sees every likely pair with its reason, and nothing else", func(t *testing.T) {
			check(t, f.admin, [2]int64{l1, l2}, [2]int64{a1, a2}, [2]int64{p1, p2}, [2]int64{k1, k2})
		})
		t.Run("a manager sees their team's", func(t *testing.T) {
			check(t, f.mgr, [2]int64{p1, p2}, [2]int64{k1, k2})
		})
		t.Run("a rep is refused, saying who may", func(t *testing.T) {
			_, err := f.svc.Duplicates(f.ctx, f.repA, 0)
			wantKind(t, err, core.KindForbidden, "only managers")
		})
		t.Run("a merged pair is no longer listed", func(t *testing.T) {
			if _, err := f.svc.Merge(f.ctx, f.mgr, k1, k2); err != nil {
				t.Fatal(err)
			}
			check(t, f.mgr, [2]int64{p1, p2})
		})
	})
}
