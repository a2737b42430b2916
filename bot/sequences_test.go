package bot_test

import (
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestEnrollFromChat(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		subject, err := core.ParseSequenceTemplate("s", "Hi {{.Contact.FirstName}}")
		if err != nil {
			t.Fatal(err)
		}
		settings := c.svc.Settings()
		settings.PublicURL = "https://leads.example.com"
		settings.Sequences = []core.Sequence{{Name: "welcome", Hours: core.DefaultWorkingHours(),
			Steps: []core.SequenceStep{{Delay: 24 * time.Hour, Subject: subject, Body: subject}}}}
		c.svc = core.NewService(db, c.clock, settings, nil)
		c.conv = bot.NewConversation(c.svc, c.clock, bot.Options{})
		c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
		c.run(t, []step{
			{"a deal to enroll", "niran", "qualify L1 450000 THB", []string{"L1 qualified into D1"}, nil},
			{"enrolling says when the first mail goes, in my zone", "niran", "enroll D1 Welcome",
				[]string{"D1 enrolled in welcome; the first mail goes out Tue 3 Nov 16:00 (Asia/Bangkok)."}, nil},
			{"twice is refused", "niran", "enroll D1 welcome", []string{"Anong Wongsa is in welcome already"}, nil},
			{"an unknown sequence names the configured ones", "niran", "enroll D1 welcom", []string{`unknown sequence "welcom"; configured: welcome`}, nil},
			{"without a name, the usage", "niran", "enroll D1", []string{"usage: enroll D45|L123 SEQUENCE"}, nil},
			{"another rep's deal is not theirs", "pim", "enroll D1 welcome", []string{"D1 is not yours"}, nil},
			{"unenroll stops it", "niran", "unenroll D1", []string{"Stopped the sequence of D1."}, nil},
			{"nothing left to stop", "niran", "unenroll D1", []string{"D1 has no active sequence"}, nil},
			{"help lists it", "niran", "help", []string{"enroll D45|L123 SEQUENCE"}, nil},
		})
	})
}
