package bot_test

import (
	"strings"
	"testing"
	"unicode"

	"leadwire/core"
	"leadwire/storage/storagetest"
)

// thai reports whether s holds Thai letters.
func thai(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Thai, r) })
}

// TestNoEnglishCoreErrorsForAThaiUser runs commands that core refuses, as
// an English reader and as a Thai one: the Thai answer holds none of the
// English one's words of refusal.
func TestNoEnglishCoreErrorsForAThaiUser(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
	c.lead("Bangkok", "Krit Boonmee", "krit@boonmee.co.th", "Boonmee")
	c.say(t, "pim", "claim L2")
	c.say(t, "niran", "claim L1")
	c.say(t, "niran", "qualify L1 12000 THB")
	en, th := c.as("niran", "en"), c.as("niran", "th")
	thManager := c.as("somchai", "th")
	enManager := c.as("somchai", "en")
	lines := []struct{ who, line string }{
		{"rep", "move D1 Prospecting"},      // already in the stage
		{"rep", "move D1 Propsal"},          // did you mean
		{"rep", "move D1 xyz"},              // unknown stage
		{"rep", "move D99 Proposal"},        // no such deal
		{"rep", "claim L1"},                 // already yours
		{"rep", "claim L2"},                 // someone else's
		{"rep", "claim L77"},                // no such lead
		{"rep", "assign L2 Pim"},            // reps do not assign
		{"rep", "value D1 -5 THB"},          // negative
		{"rep", "value D1 12 XYZ"},          // unknown currency
		{"rep", "value D1 1.5 JPY"},         // no minor unit
		{"rep", "reopen D1"},                // open already
		{"rep", "done T9"},                  // no such task
		{"rep", "merge C1 C2"},              // reps do not merge
		{"rep", "audit D1"},                 // admins only
		{"rep", "company Nowhere Ltd"},      // no company
		{"rep", "reply L2 hello"},           // not the rep's lead
		{"rep", "pipeline team"},            // for the manager
		{"rep", "stats me 2026-13"},         // invalid month
		{"manager", "merge C1 C1"},          // one contact
		{"manager", "assign L1 Zofia"},      // not in the team
		{"manager", "disqualify L1 spam"},   // qualified already
		{"manager", "enroll D1 welcome"},    // no sequence
		{"manager", "deals Negotiatoin xx"}, // did you mean, in a list
	}
	for _, l := range lines {
		t.Run(l.who+" types "+l.line, func(t *testing.T) {
			enWho, thWho := en, th
			if l.who == "manager" {
				enWho, thWho = enManager, thManager
			}
			english := c.conv.Handle(c.ctx, c.users[enWho], l.line)
			thaiReply := c.conv.Handle(c.ctx, c.users[thWho], l.line)
			if english.Tone == "" || english.Tone == "good" {
				t.Fatalf("%q is not refused in English: %+v", l.line, english)
			}
			if !thai(thaiReply.Text) {
				t.Errorf("%q answers a Thai reader in no Thai: %q (English: %q)", l.line, thaiReply.Text, english.Text)
			}
			// The English refusal's longest run of words, without ids
			// and quotes, is nowhere in the Thai answer.
			for _, part := range strings.FieldsFunc(english.Text, func(r rune) bool { return strings.ContainsRune(";:?.\"", r) }) {
				part = strings.TrimSpace(part)
				if len(strings.Fields(part)) >= 3 && strings.Contains(thaiReply.Text, part) {
					t.Errorf("%q: the Thai answer %q holds the English %q", l.line, thaiReply.Text, part)
				}
			}
		})
	}
}

// TestStageAndReasonLabels: each reader sees stages and reasons in their
// language and may type any language's label.
func TestStageAndReasonLabels(t *testing.T) {
	c := newChatWith(t, storagetest.SQLite(t), func(s *core.Settings, org *core.OrgDef) {
		s.LostReasons = []core.Reason{{Code: "price", Label: "Price too high", Labels: core.Labels{"th": "ราคาสูงเกินไป", "pl": "Za wysoka cena"}}}
		st := org.Pipelines[0].Stages
		st[3].Labels = core.Labels{"th": "เสนอราคา", "fa": "پیش‌فاکتور", "zh-Hans": "报价"}
		st[4].Labels = core.Labels{"th": "เจรจาต่อรอง"}
	})
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
	c.lead("Bangkok", "Krit Boonmee", "krit@boonmee.co.th", "Boonmee")
	c.say(t, "niran", "claim L1")
	c.say(t, "niran", "qualify L1 12000 THB")
	c.say(t, "niran", "claim L2")
	c.say(t, "niran", "qualify L2 5000 THB")
	th, fa, zh := c.as("niran", "th"), c.as("niran", "fa"), c.as("niran", "zh-Hans")
	c.run(t, []step{
		{name: "a Thai rep moves a deal by the Thai label's start", who: th, line: "move D1 เสนอ", want: []string{"เสนอราคา"}, not: []string{"Proposal"}},
		{name: "an English reader sees the stage's name", who: "niran", line: "deal D1", want: []string{"Proposal"}, not: []string{"เสนอราคา"}},
		{name: "a Persian reader sees the Persian label", who: fa, line: "deal D1", want: []string{"پیش‌فاکتور"}},
		{name: "a Chinese rep may type the Thai label too", who: zh, line: "move D2 เจรจา", want: []string{"Negotiation"}},
		{name: "the Thai buttons name the next stage in Thai", who: th, line: "deal D2", want: []string{"เจรจาต่อรอง"}},
		{name: "a Thai rep loses a deal with the Thai reason", who: th, line: "lost D1 ราคาสูง", want: []string{"ราคาสูงเกินไป"}},
		{name: "the English card shows the English reason", who: "niran", line: "deal D1", want: []string{"Price too high"}},
		{name: "a Thai reader's unknown stage lists the Thai labels", who: th, line: "move D2 xyz", want: []string{"เสนอราคา", "เจรจาต่อรอง"}},
	})
	// The reason is stored as the configured label, whatever language
	// it was typed in: the API and every replica read the same.
	d, err := c.db.DealByID(c.ctx, 1)
	if err != nil || d.LostReason != "Price too high" {
		t.Fatalf("stored reason %q, %v", d.LostReason, err)
	}
}

// TestNativeDigits: a reader who chose their language's digits reads
// numbers, money and dates in them; ids and commands stay as typed.
func TestNativeDigits(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
	c.say(t, "niran", "claim L1")
	c.say(t, "niran", "qualify L1 1,250,000 THB")
	c.say(t, "niran", "close D1 2026-12-15")
	for _, tc := range []struct{ locale, digit, amount string }{
		{"th", "๑", "๑,๒๕๐,๐๐๐.๐๐"},
		{"fa", "۱", "۱٬۲۵۰٬۰۰۰٫۰۰"},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			who := c.as("niran", tc.locale)
			c.users[who].Digits = core.DigitsNative
			out := c.say(t, who, "deal D1")
			if !strings.Contains(out, "D1") || strings.Contains(out, "D"+tc.digit) {
				t.Errorf("the id is not kept as typed:\n%s", out)
			}
			if !strings.Contains(out, tc.amount) {
				t.Errorf("the amount is not in native digits:\n%s", out)
			}
			latin := c.as("niran", tc.locale+"-latin")
			c.users[latin].Locale = tc.locale
			if out := c.say(t, latin, "deal D1"); !strings.Contains(out, "1,250,000") {
				t.Errorf("without the choice, Latin digits:\n%s", out)
			}
		})
	}
	t.Run("a language without digits of its own keeps Latin ones", func(t *testing.T) {
		who := c.as("niran", "pl")
		c.users[who].Digits = core.DigitsNative
		if out := c.say(t, who, "deal D1"); !strings.Contains(out, "250\u00a0000,00") && !strings.Contains(out, "250 000,00") {
			t.Errorf("Polish amount:\n%s", out)
		}
	})
}
