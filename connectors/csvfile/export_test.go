package csvfile

import (
	"slices"
	"testing"
)

func TestOldestFirst(t *testing.T) {
	ids := func(from, to int64) []int64 {
		var out []int64
		for i := from; i <= to; i++ {
			out = append(out, i)
		}
		return out
	}
	cases := []struct {
		name  string
		have  []int64
		later []int64 // ids that commit after the first pass
		want  []int64
	}{
		{"no records visit nothing", nil, nil, nil},
		{"records on several pages are visited once each, oldest first", ids(1, 11), nil, ids(1, 11)},
		{"records added during the export are left out", ids(1, 7), []int64{8, 9}, ids(1, 7)},
		{"a record that commits late into an early page is visited once", []int64{1, 2, 3, 5, 6, 7, 8, 9}, []int64{4}, ids(1, 9)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			have := slices.Clone(c.have)
			calls, firstPass := 0, (len(c.have)+2)/3+1 // pages of 3, then the empty one
			list := func(after int64) ([]int64, error) {
				calls++
				if calls == firstPass+1 {
					have = append(have, c.later...)
					slices.Sort(have)
				}
				var page []int64
				for i := len(have) - 1; i >= 0 && len(page) < 3; i-- {
					if after == 0 || have[i] < after {
						page = append(page, have[i])
					}
				}
				return page, nil
			}
			var got []int64
			err := oldestFirst(list, func(id *int64) int64 { return *id }, nil, func(id *int64) error {
				got = append(got, *id)
				return nil
			})
			if err != nil || !slices.Equal(got, c.want) {
				t.Errorf("visited %v (%v), want %v", got, err, c.want)
			}
		})
	}
}
