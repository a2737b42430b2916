package bot

import "testing"

func TestPersianDates(t *testing.T) {
	tests := []struct {
		name       string
		gy, gm, gd int
		jy, jm, jd int
	}{
		{"Nowruz 1403 is 20 March 2024", 2024, 3, 20, 1403, 1, 1},
		{"Nowruz 1404 is 21 March 2025", 2025, 3, 21, 1404, 1, 1},
		{"Nowruz 1405 is 21 March 2026", 2026, 3, 21, 1405, 1, 1},
		{"the day before Nowruz is the last of Esfand", 2026, 3, 20, 1404, 12, 29},
		{"the first of Mehr", 2026, 9, 23, 1405, 7, 1},
		{"a November day", 2026, 11, 2, 1405, 8, 11},
		{"the leap day of 1403", 2025, 3, 20, 1403, 12, 30},
		{"New Year's Day 2027", 2027, 1, 1, 1405, 10, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, m, d := persianDate(tt.gy, tt.gm, tt.gd)
			if y != tt.jy || m != tt.jm || d != tt.jd {
				t.Errorf("persianDate(%d-%d-%d) = %d/%d/%d, want %d/%d/%d", tt.gy, tt.gm, tt.gd, y, m, d, tt.jy, tt.jm, tt.jd)
			}
		})
	}
}
