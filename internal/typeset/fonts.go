// Package typeset draws a line of text in any script leadwire's readers
// write: it picks a font for each run (Latin with Vietnamese and Polish,
// Thai, Arabic with Persian, and a CJK font found on the machine), shapes
// the runs with go-text's HarfBuzz port (Thai marks stacked, Persian
// letters joined), orders them for the eye by the Unicode bidi algorithm
// and rasterizes the glyph outlines with golang.org/x/image/vector.
package typeset

import (
	"bytes"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"

	"github.com/flopp/go-findfont"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
)

// The fonts built into the binary (SIL Open Font License, fonts/OFL.txt):
// Noto Sans for Latin (Vietnamese and Polish included), Greek and
// Cyrillic; Noto Sans Thai; Noto Sans Arabic, which writes Persian.
//
//go:embed fonts/*.ttf
var files embed.FS

var embedded = []struct {
	file    string
	scripts []language.Script
}{
	{"fonts/NotoSans-Regular.ttf", []language.Script{language.Latin, language.Greek, language.Cyrillic}},
	{"fonts/NotoSansThai-Regular.ttf", []language.Script{language.Thai}},
	{"fonts/NotoSansArabic-Regular.ttf", []language.Script{language.Arabic}},
}

// cjkScripts are the scripts the CJK font is preferred for.
var cjkScripts = []language.Script{language.Han, language.Hiragana, language.Katakana, language.Hangul, language.Bopomofo}

// Fonts is a list of fonts to draw with: each run of text in the first
// that has its letters, its own script's font first. Safe for
// concurrent use; a Typesetter draws with it.
type Fonts struct {
	fonts   []*font.Font
	scripts [][]language.Script // the scripts fonts[i] is preferred for
	cjk     string              // the CJK font's file; "" when there is none
}

// Embedded is the fonts built into the binary, without a CJK font.
var Embedded = sync.OnceValue(func() *Fonts {
	fs := &Fonts{}
	for _, e := range embedded {
		b, err := files.ReadFile(e.file)
		if err != nil {
			panic(err)
		}
		f, err := parse(b, "")
		if err != nil {
			panic(fmt.Sprintf("embedded font %s: %v", e.file, err))
		}
		fs.fonts = append(fs.fonts, f)
		fs.scripts = append(fs.scripts, e.scripts)
	}
	return fs
})

// System is the embedded fonts and the CJK font FindCJK finds on this
// machine, if any; looked for once per process.
var System = sync.OnceValue(func() *Fonts {
	if path := FindCJK(); path != "" {
		if fs, err := WithCJK(path); err == nil {
			return fs
		}
	}
	return Embedded()
})

// WithCJK is the embedded fonts followed by the CJK font in the file at
// path (.ttf, .otf or .ttc; from a collection, its Simplified Chinese
// face). An error says why the file cannot be used.
func WithCJK(path string) (*Fonts, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("CJK font: %w", err)
	}
	f, err := parse(b, "SC")
	if err != nil {
		return nil, fmt.Errorf("CJK font %s: %w", path, err)
	}
	if _, ok := f.Cmap.Lookup('中'); !ok {
		return nil, fmt.Errorf("CJK font %s has no Chinese characters", path)
	}
	base := Embedded()
	fs := &Fonts{fonts: append(base.fonts[:len(base.fonts):len(base.fonts)], f), cjk: path}
	fs.scripts = append(base.scripts[:len(base.scripts):len(base.scripts)], cjkScripts)
	return fs, nil
}

// parse reads a font file; from a collection, the face whose family
// name has the word prefer ("Noto Sans CJK SC"), else the first.
func parse(b []byte, prefer string) (*font.Font, error) {
	lds, err := ot.NewLoaders(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	pick := lds[0]
	if len(lds) > 1 && prefer != "" {
		for _, ld := range lds {
			d, _ := font.Describe(ld, nil)
			if strings.Contains(" "+d.Family+" ", " "+prefer+" ") {
				pick = ld
				break
			}
		}
	}
	return font.NewFont(pick)
}

// cjkFiles are the CJK fonts FindCJK knows, best first: the Noto CJK
// families (Debian's fonts-noto-cjk), WenQuanYi (fonts-wqy-microhei,
// fonts-wqy-zenhei), Droid Sans Fallback (fonts-droid-fallback), and
// those of macOS and Windows.
var cjkFiles = []string{
	"notosanscjk-regular.ttc", "notosanscjksc-regular.otf", "notosanssc-regular.otf", "notosanssc-regular.ttf",
	"wqy-microhei.ttc", "wqy-zenhei.ttc", "droidsansfallbackfull.ttf", "droidsansfallback.ttf",
	"pingfang.ttc", "hiragino sans gb.ttc", "msyh.ttc", "simsun.ttc",
}

// FindCJK returns the path of a CJK font installed in the machine's font
// folders, "" when there is none.
func FindCJK() string {
	found := map[string]string{}
	for _, p := range findfont.List() {
		name := strings.ToLower(filepath.Base(p))
		if _, dup := found[name]; !dup {
			found[name] = p
		}
	}
	for _, name := range cjkFiles {
		if p, ok := found[name]; ok {
			return p
		}
	}
	return ""
}

// HasCJK reports whether the fonts draw Chinese.
func (fs *Fonts) HasCJK() bool { return fs.cjk != "" }

// CJKFile is the file of the CJK font, "" when there is none.
func (fs *Fonts) CJKFile() string { return fs.cjk }

// Covers reports whether the fonts have a glyph for every letter of s
// (white space and invisible formatting characters aside).
func (fs *Fonts) Covers(s string) bool {
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
			continue
		}
		if fs.index(r, nil) < 0 {
			return false
		}
	}
	return true
}

// index is the font for r: the first preferred for script's fonts that
// has it, else the first that has it; -1 when none does.
func (fs *Fonts) index(r rune, preferred []language.Script) int {
	first := -1
	for i, f := range fs.fonts {
		if _, ok := f.Cmap.Lookup(r); !ok {
			continue
		}
		if first < 0 {
			first = i
		}
		for _, s := range preferred {
			for _, own := range fs.scripts[i] {
				if s == own {
					return i
				}
			}
		}
	}
	return first
}
