package core_test

import (
	"math"
	"strings"
	"testing"

	"leadwire/core"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		name, amount, cur, locale string
		want                      core.Money
	}{
		{"a plain euro amount is in cents", "12000", "EUR", "", core.Money{Amount: 1200000, Currency: "EUR"}},
		{"a decimal point gives cents", "12000.5", "eur", "", core.Money{Amount: 1200050, Currency: "EUR"}},
		{"both marks: the last marks decimals", "12,000.50", "USD", "", core.Money{Amount: 1200050, Currency: "USD"}},
		{"both marks the other way round", "1.234,56", "EUR", "", core.Money{Amount: 123456, Currency: "EUR"}},
		{"a decimal comma is read as decimals", "1 500,75", "PLN", "", core.Money{Amount: 150075, Currency: "PLN"}},
		{"dots grouping thousands in dong", "1.500.000", "VND", "", core.Money{Amount: 1500000, Currency: "VND"}},
		{"rial has no minor unit", "2500000", "IRR", "", core.Money{Amount: 2500000, Currency: "IRR"}},
		{"baht grouped with decimals", "1,234,567.89", "THB", "", core.Money{Amount: 123456789, Currency: "THB"}},
		{"Indian grouping", "12,34,567.50", "INR", "", core.Money{Amount: 123456750, Currency: "INR"}},
		{"a negative amount", "-10", "EUR", "", core.Money{Amount: -1000, Currency: "EUR"}},
		{"two decimals after a lone mark are decimals", "12,50", "EUR", "", core.Money{Amount: 1250, Currency: "EUR"}},
		{"a lone mark after a zero marks decimals", "0.500", "KWD", "", core.Money{Amount: 500, Currency: "KWD"}},
		{"a lone mark after four digits marks decimals", "1234.567", "KWD", "", core.Money{Amount: 1234567, Currency: "KWD"}},
		{"Persian digits and marks", "۱٬۲۳۴٫۵", "EUR", "", core.Money{Amount: 123450, Currency: "EUR"}},
		{"Thai digits", "๑๒๐๐๐", "THB", "", core.Money{Amount: 1200000, Currency: "THB"}},
		{"in English a comma before three digits groups", "12,000", "USD", "en", core.Money{Amount: 1200000, Currency: "USD"}},
		{"in Thai too", "450,000", "THB", "th", core.Money{Amount: 45000000, Currency: "THB"}},
		{"in Chinese too", "98,000", "JPY", "zh-Hans", core.Money{Amount: 98000, Currency: "JPY"}},
		{"in English a dot before three digits marks decimals", "1.500", "KWD", "en-GB", core.Money{Amount: 1500, Currency: "KWD"}},
		{"in Polish a dot before three digits groups", "12.345", "EUR", "pl", core.Money{Amount: 1234500, Currency: "EUR"}},
		{"in Vietnamese too", "15.000", "VND", "vi", core.Money{Amount: 15000, Currency: "VND"}},
		{"in Polish a comma before three digits marks decimals", "1,500", "KWD", "pl", core.Money{Amount: 1500, Currency: "KWD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := core.ParseMoneyIn(tt.amount, tt.cur, tt.locale)
			if err != nil {
				t.Fatalf("ParseMoneyIn(%q, %q, %q): %v", tt.amount, tt.cur, tt.locale, err)
			}
			if got != tt.want {
				t.Fatalf("ParseMoneyIn(%q, %q, %q) = %+v, want %+v", tt.amount, tt.cur, tt.locale, got, tt.want)
			}
		})
	}
}

func TestParseMoneyRefusesBadInput(t *testing.T) {
	tests := []struct{ name, amount, cur, locale, wantMsg string }{
		{"an unknown currency", "10", "EUX", "", `unknown currency "EUX"; use an ISO 4217 code such as EUR, USD, THB, VND`},
		{"decimals in a currency without minor unit", "10.5", "VND", "", `VND has no minor unit; write "10.5" without decimals`},
		{"too many decimals", "10.1234", "EUR", "", `EUR has 2 decimals; "10.1234" has more`},
		{"letters", "ten", "EUR", "", `invalid amount "ten"; write it like 12000 or 12000.50`},
		{"an empty amount", "", "EUR", "", `invalid amount ""; write it like 12000 or 12000.50`},
		{"an overflowing amount", "99999999999999999999", "EUR", "", `amount "99999999999999999999" is too large`},
		{"a dot before three digits without a locale", "12.345", "EUR", "",
			`amount "12.345" is ambiguous: "." before three digits groups thousands in some languages and marks decimals in others; ` +
				`for 12345 write 12345, 12,345.00 or 12.345,00, or ask an admin to set your locale (pl or vi read 1.234,56; en, th or zh read 1,234.56)`},
		{"a comma before three digits without a locale", "450,000", "THB", "",
			`amount "450,000" is ambiguous: "," before three digits groups thousands in some languages and marks decimals in others; ` +
				`for 450000 write 450000, 450,000.00 or 450.000,00, or ask an admin to set your locale (pl or vi read 1.234,56; en, th or zh read 1,234.56)`},
		{"a dot before three digits in Persian", "12.345", "IRR", "fa", `amount "12.345" is ambiguous`},
		{"three decimals in English euros", "12.345", "EUR", "en", `EUR has 2 decimals; "12.345" has more`},
		{"three decimals in Polish euros", "12,345", "EUR", "pl", `EUR has 2 decimals; "12,345" has more`},
		{"a misplaced grouping mark", "1,5,0", "EUR", "", `invalid amount "1,5,0"`},
		{"a decimal mark twice", "1.234.56,7.8", "EUR", "", `invalid amount "1.234.56,7.8"`},
		{"a group after the decimals", "1.5,000", "EUR", "", `invalid amount "1.5,000"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := core.ParseMoneyIn(tt.amount, tt.cur, tt.locale)
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantMsg) || core.KindOf(err) != core.KindInvalid {
				t.Fatalf("ParseMoneyIn(%q, %q, %q) error = %v, want invalid %q", tt.amount, tt.cur, tt.locale, err, tt.wantMsg)
			}
		})
	}
}

func TestCheckDealValue(t *testing.T) {
	tests := []struct {
		name    string
		v       core.Money
		wantMsg string // "" accepted
	}{
		{"nothing", core.Money{Amount: 0, Currency: "EUR"}, ""},
		{"a trillion euros", core.Money{Amount: core.MaxDealAmount, Currency: "EUR"}, ""},
		{"a cent more", core.Money{Amount: core.MaxDealAmount + 1, Currency: "EUR"},
			"a deal's value can be at most 1,000,000,000,000.00 EUR; 1,000,000,000,000.01 EUR is more"},
		{"the largest int64 in euros", core.Money{Amount: math.MaxInt64, Currency: "EUR"},
			"a deal's value can be at most 1,000,000,000,000.00 EUR; 92,233,720,368,547,758.07 EUR is more"},
		{"the maximum in dong has no decimals", core.Money{Amount: math.MaxInt64, Currency: "VND"},
			"a deal's value can be at most 100,000,000,000,000 VND"},
		{"the maximum in dinar has three", core.Money{Amount: math.MaxInt64, Currency: "KWD"},
			"a deal's value can be at most 100,000,000,000.000 KWD"},
		{"a negative value", core.Money{Amount: -1, Currency: "EUR"}, "a deal's value cannot be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := core.CheckDealValue(tt.v)
			switch {
			case tt.wantMsg == "" && err != nil:
				t.Fatalf("CheckDealValue(%v) = %v, want it accepted", tt.v, err)
			case tt.wantMsg != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantMsg) || core.KindOf(err) != core.KindInvalid):
				t.Fatalf("CheckDealValue(%v) = %v, want invalid %q", tt.v, err, tt.wantMsg)
			}
		})
	}
}

func TestMoneyString(t *testing.T) {
	tests := []struct {
		m    core.Money
		want string
	}{
		{core.Money{Amount: 1200050, Currency: "EUR"}, "12,000.50 EUR"},
		{core.Money{Amount: 1500000, Currency: "VND"}, "1,500,000 VND"},
		{core.Money{Amount: 5, Currency: "USD"}, "0.05 USD"},
		{core.Money{Amount: -123456, Currency: "THB"}, "-1,234.56 THB"},
		{core.Money{Amount: 1500, Currency: "KWD"}, "1.500 KWD"},
		{core.Money{Amount: 0, Currency: "IRR"}, "0 IRR"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestRatesConvert(t *testing.T) {
	r := core.Rates{Base: "EUR", Rates: map[string]float64{"THB": 0.026, "VND": 0.000036, "JPY": 0.0061}}
	tests := []struct {
		in   core.Money
		want core.Money
	}{
		{core.Money{Amount: 100000, Currency: "THB"}, core.Money{Amount: 2600, Currency: "EUR"}},    // 1,000 THB = 26 EUR
		{core.Money{Amount: 25000000, Currency: "VND"}, core.Money{Amount: 90000, Currency: "EUR"}}, // 25M VND = 900 EUR
		{core.Money{Amount: 100000, Currency: "JPY"}, core.Money{Amount: 61000, Currency: "EUR"}},   // 100,000 JPY = 610 EUR
		{core.Money{Amount: 12345, Currency: "EUR"}, core.Money{Amount: 12345, Currency: "EUR"}},    // the base is kept
	}
	for _, tt := range tests {
		got, err := r.Convert(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Convert(%v) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if _, err := r.Convert(core.Money{Amount: 100, Currency: "PLN"}); err == nil || core.KindOf(err) != core.KindInvalid {
		t.Errorf("Convert without a PLN rate: err = %v, want invalid", err)
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"12000", "12,000.50", "1 500,75", "-1", "1.500.000", ".5", ",", "12.345", "۱٬۲۳۴٫۵", "12,34,567.50", "0.500"} {
		f.Add(s, "EUR", "")
		f.Add(s, "VND", "vi")
		f.Add(s, "KWD", "en")
	}
	locales := []string{"", "en", "pl", "vi", "th", "zh-Hans", "fa"}
	f.Fuzz(func(t *testing.T, amount, cur, locale string) {
		m, err := core.ParseMoneyIn(amount, cur, locale)
		if err != nil {
			return
		}
		// A parsed amount prints and parses back to itself.
		back, err := core.ParseMoneyIn(m.Major(), m.Currency, "en")
		if err != nil || back != m {
			t.Fatalf("round trip of %q %s: %v → %q → %v, %v", amount, cur, m, m.Major(), back, err)
		}
		if locale != "" {
			return
		}
		// What is read without a locale reads the same in every locale:
		// nothing ambiguous gets through.
		for _, l := range locales {
			if other, err := core.ParseMoneyIn(amount, cur, l); err != nil || other != m {
				t.Fatalf("%q %s reads %v without a locale but %v, %v in %q", amount, cur, m, other, err, l)
			}
		}
	})
}
