// Package lang is leadwire's message catalog: every text a person reads,
// one YAML file per language (catalog/en.yaml, th.yaml, fa.yaml, vi.yaml,
// pl.yaml, zh-Hans.yaml), embedded in the binary, with CLDR plural forms.
// A translator edits the files; no Go changes. The catalog is read with
// nicksnyder/go-i18n v2: its messages are text/template strings
// ("{{.Ref}} is yours now.") and its plural rules are CLDR's.
package lang

import (
	"embed"
	"fmt"
	"io/fs"

	"strings"
	"sync"
	"unicode"

	"github.com/goccy/go-yaml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed catalog/*.yaml
var files embed.FS

// Languages are the languages leadwire speaks, English first: it is what
// anyone whose language is not among them reads.
var Languages = []string{"en", "th", "fa", "vi", "pl", "zh-Hans"}

// Catalog holds every message in every language.
type Catalog struct {
	bundle   *i18n.Bundle
	printers map[string]*Printer
}

// Load reads a catalog from the YAML files in fsys named LANG.yaml, one
// for each of Languages.
func Load(fsys fs.FS) (*Catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	c := &Catalog{bundle: b, printers: map[string]*Printer{}}
	for _, l := range Languages {
		name := l + ".yaml"
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("catalog %s: %w", name, err)
		}
		if _, err := b.ParseMessageFileBytes(buf, name); err != nil {
			return nil, fmt.Errorf("catalog %s: %w", name, err)
		}
		tag := language.MustParse(l)
		c.printers[l] = &Printer{lang: l, tag: tag, loc: i18n.NewLocalizer(b, l), rtl: l == "fa"}
	}
	return c, nil
}

// Default is the catalog embedded in the binary; its files are checked by
// the package's tests, so a bad one never ships.
var Default = sync.OnceValue(func() *Catalog {
	sub, err := fs.Sub(files, "catalog")
	if err != nil {
		panic(err)
	}
	c, err := Load(sub)
	if err != nil {
		panic(err)
	}
	return c
})

// Match returns the language of Languages that speaks locale ("th-TH" →
// "th", "zh-CN" and "zh-Hant" → "zh-Hans"), "" when none does.
func Match(locale string) string {
	locale = strings.TrimSpace(strings.ReplaceAll(locale, "_", "-"))
	if locale == "" {
		return ""
	}
	tag, err := language.Parse(locale)
	if err != nil {
		return ""
	}
	base, _ := tag.Base()
	for i, b := range bases {
		if b == base {
			return Languages[i]
		}
	}
	return ""
}

// bases are the base languages of Languages, in their order: Match runs
// for every form post and chat message, and parsing them each time cost
// more than the rest of it.
var bases = func() []language.Base {
	out := make([]language.Base, len(Languages))
	for i, l := range Languages {
		out[i], _ = language.MustParse(l).Base()
	}
	return out
}()

// Pick returns the first of locales that leadwire speaks, else English:
// pass them most wanted first (the user's own, their chat account's, the
// organisation's).
func Pick(locales ...string) string {
	for _, l := range locales {
		if m := Match(l); m != "" {
			return m
		}
	}
	return Languages[0]
}

// For returns the printer of the first of locales that leadwire speaks.
func (c *Catalog) For(locales ...string) *Printer { return c.printers[Pick(locales...)] }

// Printer writes the catalog's messages in one language. It is safe for
// concurrent use.
type Printer struct {
	lang string
	tag  language.Tag
	loc  *i18n.Localizer
	rtl  bool
}

// Lang is the printer's language, one of Languages.
func (p *Printer) Lang() string { return p.lang }

// Tag is the printer's language as a tag, for formatting numbers.
func (p *Printer) Tag() language.Tag { return p.tag }

// RTL reports whether the language is written right to left.
func (p *Printer) RTL() bool { return p.rtl }

// T returns the message id with its placeholders filled from pairs of
// name and value: T("lead.claimed", "Ref", "L12").
func (p *Printer) T(id string, pairs ...any) string {
	return p.localize(id, nil, pairs)
}

// N is T for a message with plural forms, chosen by n, which also fills
// the placeholder Count: N("count.days", 3) → "3 days".
func (p *Printer) N(id string, n int, pairs ...any) string {
	return p.localize(id, n, append([]any{"Count", n}, pairs...))
}

func (p *Printer) localize(id string, count any, pairs []any) string {
	data := make(map[string]any, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		v := pairs[i+1]
		if p.rtl {
			v = Isolate(fmt.Sprint(v))
		}
		data[fmt.Sprint(pairs[i])] = v
	}
	s, err := p.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil && s == "" {
		return id // the tests keep every id in every file; this shows which one is not
	}
	return s
}

// Isolate wraps s in Unicode isolates (LRI … PDI) when it holds a
// left-to-right letter, so that inside right-to-left text an id, an
// amount with its currency or a Latin name keeps its own order ("D45",
// "12,000.00 EUR") and does not reorder the sentence around it. Numbers
// alone and right-to-left text are returned as they are: digits keep
// their order in Persian text by themselves.
func Isolate(s string) string {
	if s == "" || isolated(s) || !strings.ContainsFunc(s, ltr) {
		return s
	}
	return "\u2066" + s + "\u2069"
}

// isolated reports whether s begins with an isolate of its own (LRI, RLI
// or FSI): a value isolated already, such as a right-to-left sentence
// with Latin names in it, keeps its own direction.
func isolated(s string) bool {
	return strings.HasPrefix(s, "\u2066") || strings.HasPrefix(s, "\u2067") || strings.HasPrefix(s, "\u2068")
}

// ltr reports whether r is a strong left-to-right letter.
func ltr(r rune) bool {
	return unicode.IsLetter(r) && !unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko)
}
