package core_test

import (
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestNamesAreCachedUntilTheDirectoryChanges(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		// Another replica on the same database.
		other := core.NewService(db, f.clock, f.svc.Settings(), nil)
		names := func(t *testing.T, s *core.Service) *core.Names {
			t.Helper()
			n, err := s.Directory.Names(f.ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		first := names(t, f.svc)
		if first.Users[f.repA.ID] != "niran@example.com" || first.Teams[f.repA.TeamID] != "Bangkok" || len(first.Pipelines) != 1 {
			t.Fatalf("names %+v", first)
		}
		names(t, other)
		if again := names(t, f.svc); again != first {
			t.Error("names were loaded again though nothing changed")
		}
		if _, err := other.Directory.SaveUser(f.ctx, f.admin, core.UserDef{Email: "niran@example.com", Name: "Niran", Team: "Warsaw"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Directory.SaveUser(f.ctx, f.admin, core.UserDef{Email: "new@example.com", Name: "New", Team: "Bangkok"}); err != nil {
			t.Fatal(err)
		}
		n := names(t, other)
		if n == first || n.Users[f.repA.ID] != "niran@example.com" || !hasValue(n.Users, "new@example.com") {
			t.Errorf("after a change elsewhere: %+v", n.Users)
		}
		if names(t, f.svc) == first {
			t.Error("the first replica kept its stale names")
		}
	})
}

func hasValue(m map[int64]string, v string) bool {
	for _, x := range m {
		if x == v {
			return true
		}
	}
	return false
}
