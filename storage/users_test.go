package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestUsers(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		team := core.Team{Name: "Warszawa"}
		full := core.User{Email: "Łucja.Nowak@Acme.test", Name: "Łucja Nowak", Role: core.RoleManager,
			TimeZone: "Europe/Warsaw", Locale: "pl", SlackID: "U0123", TelegramID: 987654321,
			Active: true, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 678901000, time.FixedZone("ICT", 7*3600))}
		bare := core.User{Email: "bare@acme.test", Role: core.RoleRep}
		update(t, db, func(tx core.Tx) error {
			if err := tx.CreateTeam(ctx, &team); err != nil {
				return err
			}
			full.TeamID = team.ID
			if err := tx.CreateUser(ctx, &full); err != nil {
				return err
			}
			return tx.CreateUser(ctx, &bare)
		})
		if full.ID == 0 || bare.ID == 0 || full.ID == bare.ID {
			t.Fatalf("ids not set: %d, %d", full.ID, bare.ID)
		}
		wantFull := full
		wantFull.CreatedAt = full.CreatedAt.UTC()

		lookups := []struct {
			name   string
			lookup func() (*core.User, error)
			want   core.User
		}{
			{"by id", func() (*core.User, error) { return db.UserByID(ctx, full.ID) }, wantFull},
			{"by email, ignoring case", func() (*core.User, error) { return db.UserByEmail(ctx, "łucja.nowak@acme.test") }, wantFull},
			{"by Slack id", func() (*core.User, error) { return db.UserBySlackID(ctx, "U0123") }, wantFull},
			{"by Telegram id", func() (*core.User, error) { return db.UserByTelegramID(ctx, 987654321) }, wantFull},
			{"with every optional field unset", func() (*core.User, error) { return db.UserByID(ctx, bare.ID) }, bare},
		}
		for _, tc := range lookups {
			t.Run("finds a user "+tc.name, func(t *testing.T) {
				got, err := tc.lookup()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, *got); diff != "" {
					t.Errorf("user (-want +got):\n%s", diff)
				}
				if got.CreatedAt.Location() != time.UTC {
					t.Errorf("created at %v is not UTC", got.CreatedAt)
				}
			})
		}

		t.Run("lists users by team and role", func(t *testing.T) {
			all, err := db.ListUsers(ctx, core.UserFilter{})
			if err != nil || len(all) != 2 {
				t.Fatalf("all users: %d, %v", len(all), err)
			}
			inTeam, _ := db.ListUsers(ctx, core.UserFilter{TeamID: team.ID})
			reps, _ := db.ListUsers(ctx, core.UserFilter{Role: core.RoleRep})
			if len(inTeam) != 1 || inTeam[0].ID != full.ID || len(reps) != 1 || reps[0].ID != bare.ID {
				t.Errorf("team filter %v, role filter %v", inTeam, reps)
			}
		})

		t.Run("updates every field", func(t *testing.T) {
			changed := full
			changed.Email, changed.Name, changed.Role = "lucja@acme.test", "Łucja N.", core.RoleAdmin
			changed.TeamID, changed.SlackID, changed.TelegramID, changed.Active = 0, "", 0, false
			update(t, db, func(tx core.Tx) error { return tx.UpdateUser(ctx, &changed) })
			got, err := db.UserByID(ctx, full.ID)
			if err != nil {
				t.Fatal(err)
			}
			changed.CreatedAt = changed.CreatedAt.UTC()
			if diff := cmp.Diff(changed, *got); diff != "" {
				t.Errorf("user (-want +got):\n%s", diff)
			}
		})

		notFound := []struct {
			name   string
			lookup func() (*core.User, error)
			msg    string
		}{
			{"id", func() (*core.User, error) { return db.UserByID(ctx, 999) }, "user 999 not found"},
			{"email", func() (*core.User, error) { return db.UserByEmail(ctx, "x@y.test") }, "user x@y.test not found"},
			{"Slack id", func() (*core.User, error) { return db.UserBySlackID(ctx, "U9") }, "no user is linked to Slack user U9"},
			{"Telegram id", func() (*core.User, error) { return db.UserByTelegramID(ctx, 5) }, "no user is linked to Telegram user 5"},
		}
		for _, tc := range notFound {
			t.Run("says which "+tc.name+" is unknown", func(t *testing.T) {
				_, err := tc.lookup()
				wantErr(t, err, core.KindNotFound, tc.msg)
			})
		}
		err := db.Update(ctx, func(tx core.Tx) error { return tx.UpdateUser(ctx, &core.User{ID: 999, Email: "a@b.c"}) })
		wantErr(t, err, core.KindNotFound, "user 999 not found")

		conflicts := []struct {
			name string
			user core.User
			msg  string
		}{
			{"email, in any case", core.User{Email: "BARE@acme.test", Role: core.RoleRep}, "user BARE@acme.test already exists"},
			{"Slack id", core.User{Email: "s@acme.test", SlackID: "U0123", Role: core.RoleRep}, "Slack user U0123 is already linked to another user"},
			{"Telegram id", core.User{Email: "t@acme.test", TelegramID: 987654321, Role: core.RoleRep}, "Telegram user 987654321 is already linked to another user"},
		}
		// Give the first user back its Slack and Telegram ids.
		update(t, db, func(tx core.Tx) error { return tx.UpdateUser(ctx, &full) })
		for _, tc := range conflicts {
			t.Run("refuses a second user with the same "+tc.name, func(t *testing.T) {
				u := tc.user
				err := db.Update(ctx, func(tx core.Tx) error { return tx.CreateUser(ctx, &u) })
				wantErr(t, err, core.KindConflict, tc.msg)
			})
		}
		t.Run("refuses to take another user's email on update", func(t *testing.T) {
			b := bare
			b.Email = full.Email
			err := db.Update(ctx, func(tx core.Tx) error { return tx.UpdateUser(ctx, &b) })
			wantErr(t, err, core.KindConflict, "already exists")
		})
	})
}

func TestTeams(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		var mgr core.User
		team := core.Team{Name: "กรุงเทพ Sales", SlackChannel: "C0SALES", TelegramChat: "-100123", Email: "bkk-sales@acme.test",
			ResponseLimit: 90 * time.Second, Region: "TH", Visibility: core.VisibilityTeam}
		update(t, db, func(tx core.Tx) error {
			if err := tx.CreateTeam(ctx, &team); err != nil {
				return err
			}
			mgr = core.User{Email: "m@acme.test", Role: core.RoleManager, TeamID: team.ID}
			if err := tx.CreateUser(ctx, &mgr); err != nil {
				return err
			}
			team.ManagerID, team.LastAssigned = mgr.ID, mgr.ID
			return tx.UpdateTeam(ctx, &team)
		})
		for name, lookup := range map[string]func() (*core.Team, error){
			"by id":                  func() (*core.Team, error) { return db.TeamByID(ctx, team.ID) },
			"by name, ignoring case": func() (*core.Team, error) { return db.TeamByName(ctx, " กรุงเทพ SALES ") },
		} {
			t.Run("finds a team "+name, func(t *testing.T) {
				got, err := lookup()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(team, *got); diff != "" {
					t.Errorf("team (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("maps unset ids back to zero", func(t *testing.T) {
			team.ManagerID, team.LastAssigned, team.ResponseLimit = 0, 0, 0
			update(t, db, func(tx core.Tx) error { return tx.UpdateTeam(ctx, &team) })
			teams, err := db.ListTeams(ctx)
			if err != nil || len(teams) != 1 {
				t.Fatalf("teams %v, %v", teams, err)
			}
			if diff := cmp.Diff(team, teams[0]); diff != "" {
				t.Errorf("team (-want +got):\n%s", diff)
			}
		})
		t.Run("says which team is unknown", func(t *testing.T) {
			_, err := db.TeamByName(ctx, "Nowhere")
			wantErr(t, err, core.KindNotFound, `team "Nowhere" not found`)
			_, err = db.TeamByID(ctx, 42)
			wantErr(t, err, core.KindNotFound, "team 42 not found")
			err = db.Update(ctx, func(tx core.Tx) error { return tx.UpdateTeam(ctx, &core.Team{ID: 42, Name: "x"}) })
			wantErr(t, err, core.KindNotFound, "team 42 not found")
		})
		t.Run("refuses a second team of the same name", func(t *testing.T) {
			err := db.Update(ctx, func(tx core.Tx) error { return tx.CreateTeam(ctx, &core.Team{Name: "กรุงเทพ sales"}) })
			wantErr(t, err, core.KindConflict, `team "กรุงเทพ sales" already exists`)
		})
	})
}
