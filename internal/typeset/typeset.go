package typeset

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"unicode"

	"github.com/go-text/typesetting/bidi"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Typesetter shapes and draws lines of text with a list of fonts. It
// keeps buffers between calls, so it is not safe for concurrent use:
// make one per goroutine (it is cheap).
type Typesetter struct {
	fonts  *Fonts
	faces  []*font.Face
	lang   language.Language
	script language.Script // of the runes ResolveFace is asked about next
	shaper shaping.HarfbuzzShaper
	seg    shaping.Segmenter
	para   bidi.Paragraph
	raster vector.Rasterizer
}

// Typesetter returns a typesetter over fs for text in the language lang
// (a BCP 47 tag such as "th" or "zh-Hans"; it picks the letter forms a
// font has for that language).
func (fs *Fonts) Typesetter(lang string) *Typesetter {
	// Faces are made when first used: a face's glyph cache is as long
	// as its font has glyphs, tens of thousands for a CJK font.
	return &Typesetter{fonts: fs, lang: language.NewLanguage(lang), faces: make([]*font.Face, len(fs.fonts))}
}

func (t *Typesetter) face(i int) *font.Face {
	if t.faces[i] == nil {
		t.faces[i] = font.NewFace(t.fonts.fonts[i])
	}
	return t.faces[i]
}

// SetScript implements shaping.FontmapScript: the segmenter says the
// script of the runes it resolves next.
func (t *Typesetter) SetScript(s language.Script) { t.script = s }

// ResolveFace implements shaping.Fontmap: the face for r, its script's
// own font first, so that digits and punctuation in a Thai or Persian
// label are drawn with the label's font when it has them.
func (t *Typesetter) ResolveFace(r rune) *font.Face {
	i := t.fonts.index(r, t.preferred())
	if i < 0 {
		return t.face(0) // drawn as the font's "missing" box
	}
	return t.face(i)
}

func (t *Typesetter) preferred() []language.Script {
	if t.script == language.Common || t.script == language.Inherited || t.script == language.Unknown {
		return nil
	}
	return []language.Script{t.script}
}

// Line is a shaped line of text, ready to measure and draw.
type Line struct {
	runs []shaping.Output // in visual order, left to right
	// Width is the line's advance in pixels; Ascent and Descent how far
	// its fonts reach above and below the baseline (both positive).
	Width, Ascent, Descent float64
	RTL                    bool // the line reads right to left
}

// Shape lays s out on one line at size pixels per em.
func (t *Typesetter) Shape(s string, size float64) Line {
	text := []rune(s)
	rtl := rightToLeft(text)
	dir := di.DirectionLTR
	if rtl {
		dir = di.DirectionRTL
	}
	in := shaping.Input{Text: text, RunEnd: len(text), Direction: dir, Size: fixed.Int26_6(math.Round(size * 64)), Language: t.lang}
	l := Line{RTL: rtl}
	if len(text) == 0 {
		return l
	}
	for _, run := range t.seg.Split(in, t) {
		out := t.shaper.Shape(run)
		l.runs = append(l.runs, out)
		l.Width += fromFixed(out.Advance)
		l.Ascent = max(l.Ascent, fromFixed(out.LineBounds.Ascent))
		l.Descent = max(l.Descent, -fromFixed(out.LineBounds.Descent))
	}
	t.visualOrder(text, l.runs, rtl)
	return l
}

// Draw paints l on dst in colour c, its left end at x and its baseline
// at y.
func (t *Typesetter) Draw(dst draw.Image, l Line, x, y float64, c color.Color) {
	src := image.NewUniform(c)
	pen := x
	for _, run := range l.runs {
		scale := fromFixed(run.Size) / float64(run.Face.Upem())
		for _, g := range run.Glyphs {
			gx, gy := pen+fromFixed(g.XOffset), y-fromFixed(g.YOffset)
			pen += fromFixed(g.Advance)
			if g.Width == 0 || g.Height == 0 {
				continue // a space, or a mark with nothing to draw
			}
			outline, ok := run.Face.GlyphData(g.GlyphID).(font.GlyphOutline)
			if !ok || len(outline.Segments) == 0 {
				continue
			}
			// The glyph's box in pixels, a pixel wider each side for
			// anti-aliasing.
			x0 := int(math.Floor(gx+fromFixed(g.XBearing))) - 1
			y0 := int(math.Floor(gy-fromFixed(g.YBearing))) - 1
			x1 := int(math.Ceil(gx+fromFixed(g.XBearing+g.Width))) + 1
			y1 := int(math.Ceil(gy-fromFixed(g.YBearing+g.Height))) + 1
			r := image.Rect(x0, y0, x1, y1).Intersect(dst.Bounds())
			if r.Empty() {
				continue
			}
			t.raster.Reset(r.Dx(), r.Dy())
			t.raster.DrawOp = draw.Over
			ox, oy := float32(gx)-float32(r.Min.X), float32(gy)-float32(r.Min.Y)
			pt := func(p font.SegmentPoint) (float32, float32) {
				return ox + p.X*float32(scale), oy - p.Y*float32(scale)
			}
			open := false
			for _, s := range outline.Segments {
				switch s.Op {
				case ot.SegmentOpMoveTo:
					if open {
						t.raster.ClosePath()
					}
					t.raster.MoveTo(pt(s.Args[0]))
					open = true
				case ot.SegmentOpLineTo:
					t.raster.LineTo(pt(s.Args[0]))
				case ot.SegmentOpQuadTo:
					ax, ay := pt(s.Args[0])
					bx, by := pt(s.Args[1])
					t.raster.QuadTo(ax, ay, bx, by)
				case ot.SegmentOpCubeTo:
					ax, ay := pt(s.Args[0])
					bx, by := pt(s.Args[1])
					cx, cy := pt(s.Args[2])
					t.raster.CubeTo(ax, ay, bx, by, cx, cy)
				}
			}
			if open {
				t.raster.ClosePath()
			}
			t.raster.Draw(dst, r, src, image.Point{})
		}
	}
}

// rightToLeft reports whether text reads right to left: its first
// strong letter is Arabic, Hebrew or another right-to-left script's
// (the Unicode bidi algorithm's rules P2 and P3).
func rightToLeft(text []rune) bool {
	for _, r := range text {
		if unicode.IsLetter(r) {
			return unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko)
		}
	}
	return false
}

// visualOrder puts the runs, which the segmenter gives in reading order,
// in the order they appear on the line, left to right: the bidi
// algorithm's rule L2 on the runs' embedding levels (a Latin name in
// Persian keeps its order, and so do digits, which count as
// right-to-left after Persian letters: "پیشنهاد 12" in an English
// sentence reads "12 پیشنهاد"). go-text's bidi runs split where the
// direction changes, so a run's level is that of its first letter: in
// the rare text where digits after Persian letters are followed at once
// by Latin ones (level 2 next to level 0), the two keep reading order.
func (t *Typesetter) visualOrder(text []rune, runs []shaping.Output, rtl bool) {
	def := bidi.LeftToRight
	if rtl {
		def = bidi.RightToLeft
	}
	b := t.para.Segment(text, def)
	levels := make([]bidi.Level, len(runs))
	var top, lowOdd bidi.Level = 0, math.MaxInt8
	for i, r := range runs {
		for k := range b.NumRuns() {
			if br := b.Run(k); r.Runes.Offset >= br.Start && r.Runes.Offset < br.End {
				levels[i] = br.Level
				break
			}
		}
		top = max(top, levels[i])
		if levels[i]%2 == 1 {
			lowOdd = min(lowOdd, levels[i])
		}
	}
	for lvl := top; lvl >= lowOdd && lvl > 0; lvl-- {
		for i := 0; i < len(runs); {
			if levels[i] < lvl {
				i++
				continue
			}
			j := i
			for j < len(runs) && levels[j] >= lvl {
				j++
			}
			reverse(runs[i:j])
			slices.Reverse(levels[i:j])
			i = j
		}
	}
}

func reverse(runs []shaping.Output) {
	for i, j := 0, len(runs)-1; i < j; i, j = i+1, j-1 {
		runs[i], runs[j] = runs[j], runs[i]
	}
}

func fromFixed(v fixed.Int26_6) float64 { return float64(v) / 64 }
