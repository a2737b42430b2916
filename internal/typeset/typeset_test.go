package typeset

import (
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// runesOf is the text of each run of l, left to right on the line.
func runesOf(s string, l Line) []string {
	text := []rune(s)
	var out []string
	for _, r := range l.runs {
		out = append(out, string(text[r.Runes.Offset:r.Runes.Offset+r.Runes.Count]))
	}
	return out
}

func TestShapingStacksThaiMarks(t *testing.T) {
	ts := Embedded().Typesetter("th")
	// The tone mark mai ek sits higher over sara ii (ที่) than over the
	// bare consonant (ท่): the font's mark positioning, which only a
	// shaper applies.
	top := func(s string) float64 {
		l := ts.Shape(s, 64)
		if len(l.runs) != 1 || len(l.runs[0].Glyphs) != 3 && len(l.runs[0].Glyphs) != 2 {
			t.Fatalf("%q shaped as %d runs", s, len(l.runs))
		}
		g := l.runs[0].Glyphs[len(l.runs[0].Glyphs)-1] // the tone mark, last
		if g.GlyphID == 0 {
			t.Fatalf("%q has no glyph for its tone mark", s)
		}
		return fromFixed(g.YOffset + g.YBearing)
	}
	if low, high := top("ท่"), top("ที่"); high < low+5 {
		t.Errorf("mai ek over sara ii tops at %.1f px, over the bare consonant at %.1f: not stacked", high, low)
	}
}

func TestShapingJoinsPersianRightToLeft(t *testing.T) {
	fonts := Embedded()
	ts := fonts.Typesetter("fa")
	const word = "پیشنهاد"
	l := ts.Shape(word, 24)
	if !l.RTL || len(l.runs) != 1 {
		t.Fatalf("%q: rtl %v, %d runs", word, l.RTL, len(l.runs))
	}
	glyphs := l.runs[0].Glyphs
	face := l.runs[0].Face
	// Drawn left to right: the glyph at the left end is the word's last
	// letter, and the first letter (pe, joined to the next) is not in its
	// isolated form, which is what the cmap maps the letter to.
	if last, first := glyphs[0], glyphs[len(glyphs)-1]; last.ClusterIndex != len([]rune(word))-1 || first.ClusterIndex != 0 {
		t.Errorf("clusters left to right %d … %d, want the last letter on the left", last.ClusterIndex, first.ClusterIndex)
	}
	isolated, _ := face.NominalGlyph('پ')
	if g := glyphs[len(glyphs)-1].GlyphID; g == isolated || g == 0 {
		t.Errorf("pe drawn with glyph %d, its isolated form is %d: the letters are not joined", g, isolated)
	}
}

func TestBidiKeepsLatinAndDigitsInPersian(t *testing.T) {
	ts := Embedded().Typesetter("fa")
	for _, tc := range []struct {
		text string
		want []string // the runs left to right, trimmed, isolates aside
	}{
		{"پیش‌فاکتور D45 ارسال شد", []string{"ارسال شد", "D45", "پیش‌فاکتور"}},
		{"قیمت \u20662026-11\u2069", []string{"2026-11", "قیمت"}},
		{"قیمت 2026-11", []string{"11", "-", "2026", "قیمت"}}, // as the bidi algorithm has it: why charts isolate numbers
		{"Proposal پیشنهاد 12", []string{"Proposal", "12", "پیشنهاد"}},
		{"Proposal پیشنهاد D45 sent", []string{"Proposal", "پیشنهاد", "D45 sent"}},
		{"سرنخ جدید  \u206610\u2069 · \u2066100%\u2069", []string{"100%", "·", "10", "سرنخ جدید"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var got []string
			for _, r := range runesOf(tc.text, ts.Shape(tc.text, 16)) {
				if r = strings.Trim(r, " \u2066\u2069"); r != "" {
					got = append(got, r)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("runs left to right %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFallbackDrawsEveryLetter(t *testing.T) {
	fonts := Embedded()
	for _, tc := range []struct{ lang, text string }{
		{"th", "นัดคุย 2 ครั้ง (Zoom)"},
		{"fa", "سرنخ ۱۲ از Tehran، 45%"},
		{"vi", "Nguyễn Văn An — Đàm phán"},
		{"pl", "Zażółć gęślą jaźń"},
		{"en", "Proposal — €12,000"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			if !fonts.Covers(tc.text) {
				t.Fatalf("Covers(%q) is false", tc.text)
			}
			l := fonts.Typesetter(tc.lang).Shape(tc.text, 16)
			for _, r := range l.runs {
				for _, g := range r.Glyphs {
					if g.GlyphID == 0 {
						t.Errorf("%q: a missing glyph at rune %d in %s", tc.text, g.ClusterIndex, r.Face.Describe().Family)
					}
				}
			}
		})
	}
	if fonts.Covers("报价") || fonts.HasCJK() {
		t.Error("the embedded fonts claim to draw Chinese")
	}
}

func TestDrawPaintsInsideTheLine(t *testing.T) {
	ts := Embedded().Typesetter("th")
	img := image.NewRGBA(image.Rect(0, 0, 200, 60))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	l := ts.Shape("ที่ปรึกษา", 24)
	ts.Draw(img, l, 10, 40, color.Black)
	inked, outside := 0, 0
	for y := 0; y < 60; y++ {
		for x := 0; x < 200; x++ {
			if img.RGBAAt(x, y).R < 128 {
				inked++
				if float64(x) < 9 || float64(x) > 11+l.Width || float64(y) < 39-l.Ascent || float64(y) > 41+l.Descent {
					outside++
				}
			}
		}
	}
	if inked < 100 || outside > 0 {
		t.Errorf("%d dark pixels, %d outside the line's box", inked, outside)
	}
}

// TestTypesettersShareFonts: one Fonts serves typesetters on many
// goroutines at once (the race detector watches), each drawing what one
// alone draws.
func TestTypesettersShareFonts(t *testing.T) {
	fonts := Embedded()
	draw1 := func() *image.RGBA {
		ts := fonts.Typesetter("fa")
		img := image.NewRGBA(image.Rect(0, 0, 240, 40))
		ts.Draw(img, ts.Shape("پیش‌فاکتور ที่ปรึกษา Đàm phán", 16), 4, 28, color.Black)
		return img
	}
	want := draw1()
	var wg sync.WaitGroup
	got := make([]*image.RGBA, 8)
	for i := range got {
		wg.Go(func() { got[i] = draw1() })
	}
	wg.Wait()
	for i, img := range got {
		if !slices.Equal(img.Pix, want.Pix) {
			t.Errorf("goroutine %d drew another picture", i)
		}
	}
}

func TestWithCJK(t *testing.T) {
	t.Run("refuses a file that is no font", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.ttf")
		os.WriteFile(path, []byte("not a font"), 0o644)
		if _, err := WithCJK(path); err == nil {
			t.Error("no error")
		}
	})
	t.Run("refuses a font without Chinese", func(t *testing.T) {
		b, _ := files.ReadFile("fonts/NotoSans-Regular.ttf")
		path := filepath.Join(t.TempDir(), "NotoSans-Regular.ttf")
		os.WriteFile(path, b, 0o644)
		if _, err := WithCJK(path); err == nil || !strings.Contains(err.Error(), "no Chinese characters") {
			t.Errorf("err %v", err)
		}
	})
	t.Run("refuses a missing file", func(t *testing.T) {
		if _, err := WithCJK("/nonexistent/font.ttc"); err == nil {
			t.Error("no error")
		}
	})
	t.Run("draws Chinese with the machine's CJK font", func(t *testing.T) {
		path := FindCJK()
		if path == "" {
			if os.Getenv("CI") != "" {
				t.Fatal("no CJK font found: scripts/test.sh installs fonts-wqy-microhei")
			}
			t.Skip("no CJK font on this machine")
		}
		fonts, err := WithCJK(path)
		if err != nil {
			t.Fatal(err)
		}
		if !fonts.HasCJK() || !fonts.Covers("已报价 2 次") || !fonts.Covers("ติดต่อ") {
			t.Errorf("%s: HasCJK %v", path, fonts.HasCJK())
		}
		l := fonts.Typesetter("zh-Hans").Shape("已报价 2 次", 16)
		for _, r := range l.runs {
			for _, g := range r.Glyphs {
				if g.GlyphID == 0 {
					t.Errorf("a missing glyph at rune %d", g.ClusterIndex)
				}
			}
		}
	})
}

// FuzzShape: any text, stage names being whatever a config holds, is
// shaped and drawn without a panic, inside its measured box.
func FuzzShape(f *testing.F) {
	for _, s := range []string{"", " ", "ที่ปรึกษา", "پیش‌فاکتور D45", "\u2066\u2069", "已报价 2 次", "a\u0301\u0302", "\u202e abc", "\x00\uffff"} {
		f.Add(s)
	}
	ts := Embedded().Typesetter("en")
	img := image.NewRGBA(image.Rect(0, 0, 64, 32))
	f.Fuzz(func(t *testing.T, s string) {
		l := ts.Shape(s, 12)
		if l.Width < 0 || l.Ascent < 0 || l.Descent < 0 {
			t.Errorf("%q measures %+v", s, l)
		}
		ts.Draw(img, l, 2, 20, color.Black)
	})
}
