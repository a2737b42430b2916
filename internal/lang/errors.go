package lang

import (
	"errors"

	"golang.org/x/text/language"

	"leadwire/core"
)

// Error writes err's message in the printer's language: a core error
// with a catalog key in its words, with stages and reasons by their
// labels and statuses and roles as the catalog names them. ok is false
// when err has no key (its English Message is all there is) or is no
// core error at all (an internal one, not for people to read).
func (p *Printer) Error(err error) (text string, ok bool) {
	var e *core.Error
	if !errors.As(err, &e) || e.Key == "" {
		return "", false
	}
	pairs := make([]any, len(e.Pairs))
	copy(pairs, e.Pairs)
	for i := 1; i < len(pairs); i += 2 {
		switch v := pairs[i].(type) {
		case core.Labeler:
			pairs[i] = v.LabelIn(p.lang)
		case core.Term:
			pairs[i] = p.T("term." + v.TermKey())
		}
	}
	return p.T(e.Key, pairs...), true
}

// ErrorText is err's message for a person: in the printer's language when
// the catalog has it, else core's English message.
func (p *Printer) ErrorText(err error) string {
	if s, ok := p.Error(err); ok {
		return s
	}
	return core.Message(err)
}

// AcceptLanguage is the first language of an HTTP Accept-Language (or
// Content-Language) header that leadwire speaks, "" when none is.
func AcceptLanguage(header string) string {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return Match(header)
	}
	for _, t := range tags {
		if m := Match(t.String()); m != "" {
			return m
		}
	}
	return ""
}
