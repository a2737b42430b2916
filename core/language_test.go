package core_test

import (
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestWhatIsStoredOfLanguages: stage labels, a prospect's language and a
// user's digits are stored, so every replica and the API read them alike.
func TestWhatIsStoredOfLanguages(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		t.Run("a stage's labels come back from the database", func(t *testing.T) {
			labels := core.Labels{"th": "เสนอราคา", "fa": "پیش‌فاکتور", "zh-Hans": "报价"}
			err := f.svc.Directory.Sync(f.ctx, core.OrgDef{Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
				{Name: "Prospecting", Probability: 10}, {Name: "Proposal", Probability: 60, Labels: labels}}}}})
			if err != nil {
				t.Fatal(err)
			}
			p, err := db.PipelineByName(f.ctx, "Sales")
			if err != nil {
				t.Fatal(err)
			}
			st, err := core.MatchStage(p, "报")
			if err != nil || st.Name != "Proposal" || st.Label("fa") != "پیش‌فاکتور" || st.Label("vi") != "Proposal" {
				t.Fatalf("stage %+v, %v", st, err)
			}
			if pr, _ := core.MatchStage(p, "Prospecting"); len(pr.Labels) != 0 {
				t.Errorf("a stage without labels reads %v", pr.Labels)
			}
		})
		t.Run("a prospect's language is kept on the contact and follows them", func(t *testing.T) {
			res := f.capture(t, core.Inbound{Channel: core.ChannelTelegram, Source: "intake", ExternalID: "1:1",
				Handle: "telegram:4242", Name: "Nguyễn Minh", Text: "Xin chào", Locale: "vi"})
			c, err := db.ContactByID(f.ctx, res.ContactID)
			if err != nil || c.Locale != "vi" {
				t.Fatalf("contact %+v, %v", c, err)
			}
			f.capture(t, core.Inbound{Channel: core.ChannelTelegram, Source: "intake", ExternalID: "1:2",
				Handle: "telegram:4242", Text: "hello again", Locale: "en-GB,en;q=0.9"})
			if c, _ = db.ContactByID(f.ctx, res.ContactID); c.Locale != "en-GB" {
				t.Errorf("after writing in English: %q", c.Locale)
			}
			f.capture(t, core.Inbound{Channel: core.ChannelTelegram, Source: "intake", ExternalID: "1:3",
				Handle: "telegram:4242", Text: "no language said", Locale: "%%"})
			if c, _ = db.ContactByID(f.ctx, res.ContactID); c.Locale != "en-GB" {
				t.Errorf("a message without a language changed it to %q", c.Locale)
			}
		})
		t.Run("a user's digits are stored and refused when unknown", func(t *testing.T) {
			u, err := f.svc.Directory.SaveUser(f.ctx, f.admin, core.UserDef{Email: "dariush@example.com", Locale: "fa", Digits: "native"})
			if err != nil || u.Digits != core.DigitsNative {
				t.Fatalf("user %+v, %v", u, err)
			}
			if u, _ = db.UserByID(f.ctx, u.ID); u.Digits != core.DigitsNative {
				t.Errorf("stored digits %q", u.Digits)
			}
			if _, err := f.svc.Directory.SaveUser(f.ctx, f.admin, core.UserDef{Email: "dariush@example.com", Digits: "roman"}); core.KindOf(err) != core.KindInvalid {
				t.Errorf("digits roman: %v", err)
			}
		})
	})
}
