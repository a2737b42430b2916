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
// in any script. A typo or an ambiguous prefix is an error that lists the
// valid stages and, when one is close, suggests it.
func MatchStage(p *Pipeline, query string) (*Stage, error) {
	q := fold(query)
	if q == "" {
		return nil, Errorf(KindInvalid, "which stage? %s has %s", p.Name, stageNames(p.Stages))
	}
	var matches []*Stage
	for i := range p.Stages {
		name := fold(p.Stages[i].Name)
		if name == q {
			return &p.Stages[i], nil
		}
		if strings.HasPrefix(name, q) {
			matches = append(matches, &p.Stages[i])
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		best, dist := "", 1<<30
		for _, st := range p.Stages {
			if d := levenshtein(q, fold(st.Name)); d < dist {
				best, dist = st.Name, d
			}
		}
		if dist <= max(2, len([]rune(q))/3) {
			return nil, Errorf(KindInvalid, "unknown stage %q; did you mean %s? %s has %s", query, best, p.Name, stageNames(p.Stages))
		}
		return nil, Errorf(KindInvalid, "unknown stage %q; %s has %s", query, p.Name, stageNames(p.Stages))
	default:
		var names []Stage
		for _, m := range matches {
			names = append(names, *m)
		}
		return nil, Errorf(KindInvalid, "%q could be %s; type more of the name", query, stageNames(names))
	}
}

func stageNames(stages []Stage) string {
	names := make([]string, len(stages))
	for i, s := range stages {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
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
