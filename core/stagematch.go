package core

import (
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// fold makes names comparable in any script: NFKC, then Unicode case folding.
func fold(s string) string {
	return cases.Fold().String(norm.NFKC.String(strings.TrimSpace(s)))
}

// MatchStage finds a stage of p by case-insensitive name or unique prefix,
// in any script, of its name or of its label in any language. A typo or
// an ambiguous prefix is an error that lists the valid stages and, when
// one is close, suggests it.
func MatchStage(p *Pipeline, query string) (*Stage, error) {
	q := fold(query)
	if q == "" {
		return nil, Fail(KindInvalid, "error.stage_which", "which stage? {Pipeline} has {Stages}", "Pipeline", p.Name, "Stages", stageList(p.Stages))
	}
	var matches []*Stage
	for i := range p.Stages {
		st := &p.Stages[i]
		prefix := false
		for _, name := range st.names() {
			if name == q {
				return st, nil
			}
			prefix = prefix || strings.HasPrefix(name, q)
		}
		if prefix {
			matches = append(matches, st)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		var best *Stage
		dist := 1 << 30
		for i := range p.Stages {
			for _, name := range p.Stages[i].names() {
				if d := levenshtein(q, name); d < dist {
					best, dist = &p.Stages[i], d
				}
			}
		}
		if best != nil && dist <= max(2, len([]rune(q))/3) {
			return nil, Fail(KindInvalid, "error.stage_unknown_did_you_mean", `unknown stage "{Query}"; did you mean {Best}? {Pipeline} has {Stages}`,
				"Query", query, "Best", *best, "Pipeline", p.Name, "Stages", stageList(p.Stages))
		}
		return nil, Fail(KindInvalid, "error.stage_unknown", `unknown stage "{Query}"; {Pipeline} has {Stages}`,
			"Query", query, "Pipeline", p.Name, "Stages", stageList(p.Stages))
	default:
		var names []Stage
		for _, m := range matches {
			names = append(names, *m)
		}
		return nil, Fail(KindInvalid, "error.stage_ambiguous", `"{Query}" could be {Stages}; type more of the name`, "Query", query, "Stages", stageList(names))
	}
}

// names are the stage's name and labels, folded for matching.
func (s *Stage) names() []string {
	out := []string{fold(s.Name)}
	for _, l := range s.Labels {
		if l != "" {
			out = append(out, fold(l))
		}
	}
	return out
}

// levenshtein is the edit distance between two strings, by runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
