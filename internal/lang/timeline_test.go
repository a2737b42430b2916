package lang_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/lang"
)

// names is a reader's directory: what a chat or the API looks ids up in.
type names map[int64]string

func (n names) User(_ context.Context, id int64) string     { return n[id] }
func (n names) Stage(_ context.Context, id int64) string    { return n[id] }
func (n names) Pipeline(_ context.Context, id int64) string { return n[id] }
func (names) Day(d time.Time) string                        { return d.Format("2 Jan 2006") }
func (names) Time(t time.Time) string                       { return t.Format("2 Jan 15:04") }
func (names) Money(m core.Money) string                     { return m.String() }
func (names) LostReason(s string) string                    { return "«" + s + "»" }
func (names) DisqualifyReason(s string) string              { return "«" + s + "»" }

func TestTimelineMessagesAreWrittenForTheReader(t *testing.T) {
	n := names{7: "Niran Srisuk", 8: "Pim Jaidee", 31: "Proposal", 32: "Negotiation", 4: "Sales"}
	cat := lang.Default()
	tests := []struct {
		name, lang string
		a          core.Activity
		want       string
	}{
		{"the activity's user is who did it", "en", core.Activity{UserID: 7, Key: "timeline.moved",
			Args: core.Args{"From": core.StageArg(31), "To": core.StageArg(32)}}, "Niran Srisuk moved it from Proposal to Negotiation"},
		{"nobody is leadwire", "en", core.Activity{Key: "timeline.sequence_stopped.replied", Args: core.Args{"Sequence": core.TextArg("welcome")}},
			"sequence welcome stopped: the contact replied"},
		{"a rule acting is named in the reader's words", "th", core.Activity{Key: "timeline.enrolled",
			Args: core.Args{"By": {Rule: "vip"}, "Sequence": core.TextArg("welcome")}}, "กฎ vip ใส่ลูกค้าในซีเควนซ์ welcome"},
		{"a status is the catalog's word", "pl", core.Activity{Key: "timeline.sequence_stopped.deal_closed",
			Args: core.Args{"Sequence": core.TextArg("welcome"), "Status": {Term: "status.won"}}}, "sekwencja welcome zatrzymana: szansa zamknięta jako wygrana"},
		{"amounts, days and reasons go through the reader's names", "en", core.Activity{UserID: 8, Key: "timeline.lost",
			Args: core.Args{"From": core.StageArg(32), "Reason": {LostReason: "price"}}}, "Pim Jaidee marked it lost at Negotiation: «price»"},
		{"a number", "zh-Hans", core.Activity{UserID: 7, Key: "timeline.probability_set", Args: core.Args{"Percent": core.NumberArg(40)}},
			"Niran Srisuk 将赢单概率设为 40%"},
		{"an argument erased with the person leaves a gap", "en", core.Activity{Key: "timeline.reply_undelivered"},
			"the prospect did not get this reply: …"},
		{"a Persian sentence keeps its direction and its Latin names theirs", "fa", core.Activity{UserID: 7, Key: "timeline.handed_over",
			Args: core.Args{"To": core.UserArg(8)}}, "\u2067\u2066Niran Srisuk\u2069 آن را به \u2066Pim Jaidee\u2069 واگذار کرد\u2069"},
		{"an entry without a key has no words of leadwire's", "en", core.Activity{Body: "called, they want 50 seats"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cat.For(tt.lang).Activity(context.Background(), tt.a, n); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestEveryTimelineKeyIsInTheCatalogs: each message core writes on a
// timeline has words in every language.
func TestEveryTimelineKeyIsInTheCatalogs(t *testing.T) {
	keys := timelineKeys(t)
	if len(keys) < 20 {
		t.Fatalf("found only %d timeline keys in core: %v", len(keys), keys)
	}
	for _, key := range keys {
		for _, l := range lang.Languages {
			if got := lang.Default().For(l).T(key); got == key {
				t.Errorf("%s has no words in %s", key, l)
			}
		}
	}
}

// timelineKeys are the "timeline.…" literals of core's sources, and for
// the ones made of a prefix and a part ("timeline.sequence_stopped." +
// why.key), the parts of the stopWhy values.
func timelineKeys(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../core/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("core sources: %v", err)
	}
	literal := regexp.MustCompile(`"(timeline\.[a-z_.]+)"`)
	stop := regexp.MustCompile(`,\s*"([a-z_]+)",\s*(?:nil|Args)`)
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			if !strings.HasSuffix(m[1], ".") {
				out = append(out, m[1])
			}
		}
		for _, m := range stop.FindAllStringSubmatch(string(src), -1) {
			out = append(out, "timeline.sequence_stopped."+m[1])
		}
	}
	return out
}
