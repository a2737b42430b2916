package core_test

import (
	"strings"
	"testing"

	"leadwire/core"
)

func testPipeline() *core.Pipeline {
	names := []string{"Prospecting", "Qualified", "Meeting", "Proposal", "Negotiation", "Won", "Lost"}
	p := &core.Pipeline{ID: 1, Name: "Sales"}
	for i, n := range names {
		kind := core.StageOpen
		switch n {
		case "Won":
			kind = core.StageWon
		case "Lost":
			kind = core.StageLost
		}
		p.Stages = append(p.Stages, core.Stage{ID: int64(i + 1), Name: n, Position: i + 1, Kind: kind})
	}
	return p
}

func TestMatchStage(t *testing.T) {
	p := testPipeline()
	p2 := &core.Pipeline{Name: "Thai", Stages: []core.Stage{{ID: 10, Name: "ติดต่อแล้ว"}, {ID: 11, Name: "เสนอราคา"}, {ID: 12, Name: "Łódź"}, {ID: 13, Name: "Straße"}}}
	tests := []struct {
		name  string
		p     *core.Pipeline
		query string
		want  int64
	}{
		{"an exact name matches", p, "Proposal", 4},
		{"case does not matter", p, "PROPOSAL", 4},
		{"a unique prefix matches", p, "neg", 5},
		{"a one-letter unique prefix matches", p, "m", 3},
		{"Thai script by prefix", p2, "เสนอ", 11},
		{"Polish letters fold case", p2, "łÓ", 12},
		{"German sharp s folds", p2, "STRASSE", 13},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := core.MatchStage(tt.p, tt.query)
			if err != nil || st.ID != tt.want {
				t.Fatalf("MatchStage(%q) = %v, %v; want stage %d", tt.query, st, err, tt.want)
			}
		})
	}
}

func TestMatchStageErrors(t *testing.T) {
	p := testPipeline()
	tests := []struct{ name, query, want string }{
		{"an ambiguous prefix lists the candidates", "p", `"p" could be Prospecting, Proposal; type more of the name`},
		{"a typo suggests the closest stage", "propsal", `unknown stage "propsal"; did you mean Proposal? Sales has Prospecting, Qualified, Meeting, Proposal, Negotiation, Won, Lost`},
		{"nonsense lists the stages", "zzzzzzzzzz", `unknown stage "zzzzzzzzzz"; Sales has Prospecting, Qualified, Meeting, Proposal, Negotiation, Won, Lost`},
		{"an empty name asks which", " ", "which stage?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := core.MatchStage(p, tt.query)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || core.KindOf(err) != core.KindInvalid {
				t.Fatalf("MatchStage(%q) error = %v, want %q", tt.query, err, tt.want)
			}
		})
	}
}

func TestParseRef(t *testing.T) {
	for in, want := range map[string]core.Ref{"L123": {Kind: 'L', ID: 123}, "d45": {Kind: 'D', ID: 45}, " T7 ": {Kind: 'T', ID: 7}} {
		got, err := core.ParseRef(in)
		if err != nil || got != want {
			t.Errorf("ParseRef(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "L", "X12", "L-1", "L0", "D4x", "123"} {
		if _, err := core.ParseRef(bad); err == nil {
			t.Errorf("ParseRef(%q) succeeded, want an error", bad)
		}
	}
	if _, err := core.ParseRefOf("L12", 'D'); err == nil || !strings.Contains(err.Error(), "deal id like D45") {
		t.Errorf("ParseRefOf(L12, D) error = %v", err)
	}
}

func TestNormalize(t *testing.T) {
	phones := []struct{ in, region, want string }{
		{"081 234 5678", "TH", "+66812345678"},
		{"+48 601 234 567", "", "+48601234567"},
		{"601-234-567", "PL", "+48601234567"},
		{"0912 345 6789", "IR", "+989123456789"},
		{"090 123 45 67", "VN", "+84901234567"},
		{"138 0013 8000", "CN", "+8613800138000"},
	}
	for _, p := range phones {
		got, err := core.NormalizePhone(p.in, p.region)
		if err != nil || got != p.want {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q", p.in, p.region, got, err, p.want)
		}
	}
	if _, err := core.NormalizePhone("12", "PL"); err == nil {
		t.Error("NormalizePhone(12) succeeded, want an error")
	}
	if got, err := core.NormalizeEmail("Anna Nowak <Anna.Nowak@Example.PL>"); err != nil || got != "anna.nowak@example.pl" {
		t.Errorf("NormalizeEmail = %q, %v", got, err)
	}
	if _, err := core.NormalizeEmail("not an address"); err == nil {
		t.Error("NormalizeEmail(not an address) succeeded")
	}
	if got, err := core.NormalizeHandle("Telegram: 12345"); err != nil || got != "telegram:12345" {
		t.Errorf("NormalizeHandle = %q, %v", got, err)
	}
}
