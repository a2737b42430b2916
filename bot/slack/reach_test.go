package slack

import (
	"regexp"
	"strings"
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// A signed slash command from someone in no team finds no team's
// contacts: neither a rep added without a team nor a manager of none.
func TestSlashCommandsFromSomeoneInNoTeam(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, false)
		for _, def := range []core.UserDef{
			{Email: "lone@example.com", Name: "Lone Ranger", SlackID: "U0LONE"},
			{Email: "mira@example.com", Name: "Mira", Role: core.RoleManager, SlackID: "U0MIRA"},
		} {
			if _, err := w.svc.Directory.SaveUser(w.ctx, nil, def); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.svc.Capture(w.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "anna",
			Name: "Anna Kowalska", Email: "anna@kowalska.pl", Phone: "+48 600 123 456", Team: "Warsaw", ReceivedAt: start}); err != nil {
			t.Fatal(err)
		}
		deal := w.deal("Bangkok", "niran", "anna@siam.example")
		secrets := []string{"anna@kowalska.pl", "+48600123456", "anna@siam.example", core.DealRef(deal), "L1", "Kowalska"}
		for _, who := range []string{"U0LONE", "U0MIRA"} {
			for _, text := range []string{"find anna", "find anna@kowalska.pl", "find +48600123456", "find somsak", "deals team", "leads top", "stats team"} {
				t.Run(who+" says "+text, func(t *testing.T) {
					_, body := reply(t, w.command(who, text))
					for _, s := range secrets {
						// The query is repeated in the answer.
						if mentions(strings.ReplaceAll(body, strings.TrimPrefix(text, "find "), ""), s) {
							t.Errorf("%s sees %q: %s", who, s, body)
						}
					}
				})
			}
		}
		t.Run("a rep of the deal's team finds it", func(t *testing.T) {
			if _, body := reply(t, w.command("U0PIM", "find anna")); !strings.Contains(body, "anna@siam.example") || strings.Contains(body, "kowalska") {
				t.Errorf("a Bangkok rep's search: %s", body)
			}
		})
	})
}

// mentions reports whether body holds s as a whole: not as part of a longer
// word or number, so "L1" is not found in the example "qualify L123".
func mentions(body, s string) bool {
	return regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(s) + `($|[^\pL\pN])`).MatchString(body)
}
