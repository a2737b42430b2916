package core_test

import (
	"testing"

	"leadwire/core"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		name, amount, cur string
		want              core.Money
	}{
		{"a plain euro amount is in cents", "12000", "EUR", core.Money{Amount: 1200000, Currency: "EUR"}},
		{"a decimal point gives cents", "12000.5", "eur", core.Money{Amount: 1200050, Currency: "EUR"}},
		{"a comma thousands separator is grouping", "12,000", "USD", core.Money{Amount: 1200000, Currency: "USD"}},
		{"a decimal comma is read as decimals", "1 500,75", "PLN", core.Money{Amount: 150075, Currency: "PLN"}},
		{"dots grouping thousands in dong", "1.500.000", "VND", core.Money{Amount: 1500000, Currency: "VND"}},
		{"rial has no minor unit", "2500000", "IRR", core.Money{Amount: 2500000, Currency: "IRR"}},
		{"yen has no minor unit", "98,000", "JPY", core.Money{Amount: 98000, Currency: "JPY"}},
		{"dinar has three decimals", "1.500", "KWD", core.Money{Amount: 1500, Currency: "KWD"}},
		{"baht grouped with decimals", "1,234,567.89", "THB", core.Money{Amount: 123456789, Currency: "THB"}},
		{"a negative amount", "-10", "EUR", core.Money{Amount: -1000, Currency: "EUR"}},
		{"a dot before three digits groups thousands", "10.123", "EUR", core.Money{Amount: 1012300, Currency: "EUR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := core.ParseMoney(tt.amount, tt.cur)
			if err != nil {
				t.Fatalf("ParseMoney(%q, %q): %v", tt.amount, tt.cur, err)
			}
			if got != tt.want {
				t.Fatalf("ParseMoney(%q, %q) = %+v, want %+v", tt.amount, tt.cur, got, tt.want)
			}
		})
	}
}

func TestParseMoneyRefusesBadInput(t *testing.T) {
	tests := []struct{ name, amount, cur, wantMsg string }{
		{"an unknown currency", "10", "EUX", `unknown currency "EUX"; use an ISO 4217 code such as EUR, USD, THB, VND`},
		{"decimals in a currency without minor unit", "10.5", "VND", `VND has no minor unit; write "10.5" without decimals`},
		{"too many decimals", "10.1234", "EUR", `EUR has 2 decimals; "10.1234" has more`},
		{"letters", "ten", "EUR", `invalid amount "ten"; write it like 12000 or 12000.50`},
		{"an empty amount", "", "EUR", `invalid amount ""; write it like 12000 or 12000.50`},
		{"an overflowing amount", "99999999999999999999", "EUR", `amount "99999999999999999999" is too large`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := core.ParseMoney(tt.amount, tt.cur)
			if err == nil || err.Error() != tt.wantMsg || core.KindOf(err) != core.KindInvalid {
				t.Fatalf("ParseMoney(%q, %q) error = %v, want invalid %q", tt.amount, tt.cur, err, tt.wantMsg)
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
	for _, s := range []string{"12000", "12,000.50", "1 500,75", "-1", "1.500.000", ".5", ","} {
		f.Add(s, "EUR")
		f.Add(s, "VND")
	}
	f.Fuzz(func(t *testing.T, amount, cur string) {
		m, err := core.ParseMoney(amount, cur)
		if err != nil {
			return
		}
		// A parsed amount prints and parses back to itself.
		back, err := core.ParseMoney(m.Major(), m.Currency)
		if err != nil || back != m {
			t.Fatalf("round trip of %q %s: %v → %q → %v, %v", amount, cur, m, m.Major(), back, err)
		}
	})
}
