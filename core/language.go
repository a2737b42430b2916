package core

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Calendar is how a person counts days, months and years.
type Calendar string

// The calendars leadwire writes dates in.
const (
	CalendarGregorian Calendar = "gregorian"
	CalendarPersian   Calendar = "persian"  // Solar Hijri, as Iran writes dates
	CalendarBuddhist  Calendar = "buddhist" // Thai solar: Gregorian months, years + 543
)

// ParseCalendar validates a calendar name; "" stays "" (not set).
func ParseCalendar(s string) (Calendar, error) {
	switch c := Calendar(strings.ToLower(strings.TrimSpace(s))); c {
	case "", CalendarGregorian, CalendarPersian, CalendarBuddhist:
		return c, nil
	}
	return "", Fail(KindInvalid, "error.unknown_calendar", `unknown calendar "{Value}"; use gregorian, persian or buddhist`, "Value", s)
}

// Digits are the digits a person reads numbers, money and dates in.
type Digits string

// The digits: Latin (0-9, the default) or the language's own (Thai ๐-๙,
// Persian ۰-۹), which a user opts in to.
const (
	DigitsLatin  Digits = "latin"
	DigitsNative Digits = "native"
)

// ParseDigits validates a digits setting; "" stays "" (not set, Latin).
func ParseDigits(s string) (Digits, error) {
	switch d := Digits(strings.ToLower(strings.TrimSpace(s))); d {
	case "", DigitsLatin, DigitsNative:
		return d, nil
	}
	return "", Fail(KindInvalid, "error.unknown_digits", "unknown digits {Value}; use native or latin", "Value", s)
}

// ParseLocale validates a BCP 47 language tag and returns its canonical
// spelling ("zh-hans" → "zh-Hans"); "" stays "".
func ParseLocale(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	tag, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return "", Fail(KindInvalid, "error.unknown_language", `unknown language "{Value}"; use a BCP 47 tag such as en, th, fa, vi, pl or zh-Hans`, "Value", s)
	}
	return tag.String(), nil
}

// Locales are the languages to speak to u in, the first that leadwire
// speaks wins: their own (config, CLI, chat), their chat account's, the
// organisation's. For a team channel's viewer, the team's comes first.
func (u *User) Locales(org string) []string {
	return []string{u.Locale, u.ChatLocale, org}
}

// CalendarOf is the calendar u reads dates in: their own, else the
// organisation's, else Gregorian.
func (u *User) CalendarOf(org Calendar) Calendar {
	switch {
	case u.Calendar != "":
		return u.Calendar
	case org != "":
		return org
	}
	return CalendarGregorian
}

// SetLanguage sets the actor's own language (chat: "language th"); "" goes
// back to the chat account's or the organisation's. A language set in the
// config is set again when the config is applied.
func (d *Directory) SetLanguage(ctx context.Context, actor *User, locale string) (*User, error) {
	if actor == nil || actor.ID == 0 {
		return nil, Fail(KindForbidden, "error.language_unknown_user", "only a known user has a language")
	}
	tag, err := ParseLocale(locale)
	if err != nil {
		return nil, err
	}
	var u *User
	err = d.store.Update(ctx, func(tx Tx) error {
		if u, err = tx.UserByID(ctx, actor.ID); err != nil {
			return err
		}
		was := *u
		u.Locale = tag
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		return d.auditUser(ctx, tx, actor, "user.update", &was, u)
	})
	if err != nil {
		return nil, fmt.Errorf("set language of %s: %w", actor.Email, err)
	}
	return u, nil
}

// NoteChatLocale keeps the locale u's chat account reports (Slack's user
// locale, Telegram's language_code), writing only when it changed; it is
// what u hears when they set no language of their own.
func (d *Directory) NoteChatLocale(ctx context.Context, u *User, locale string) error {
	tag, err := ParseLocale(locale)
	if err != nil || u == nil || u.ID == 0 || tag == u.ChatLocale {
		return nil // a chat's odd tag is not worth refusing a message over
	}
	err = d.store.Update(ctx, func(tx Tx) error {
		stored, err := tx.UserByID(ctx, u.ID)
		if err != nil {
			return err
		}
		stored.ChatLocale = tag
		return tx.UpdateUser(ctx, stored)
	})
	if err != nil {
		return fmt.Errorf("note chat locale of %s: %w", u.Email, err)
	}
	u.ChatLocale = tag
	return nil
}
