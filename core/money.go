package core

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// Money is an amount in the currency's minor units (cents for EUR, whole
// dong for VND, which has none) with its ISO 4217 code.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// CurrencyDigits returns how many minor-unit digits a currency has, per CLDR
// (2 for EUR, 0 for JPY, VND and IRR, 3 for KWD).
func CurrencyDigits(code string) (int, error) {
	u, err := currency.ParseISO(code)
	if err != nil {
		return 0, Errorf(KindInvalid, "unknown currency %q; use an ISO 4217 code such as EUR, USD, THB, VND", code)
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale, nil
}

// NormalizeCurrency upper-cases and validates an ISO 4217 code.
func NormalizeCurrency(code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if _, err := CurrencyDigits(c); err != nil {
		return "", err
	}
	return c, nil
}

// ParseMoney reads a major-unit amount such as "12000", "12,000.50" or
// "1 500,75" in the given currency and returns it in minor units. The last
// '.' or ',' followed by at most the currency's digits is the decimal mark;
// other separators group thousands.
func ParseMoney(amount, code string) (Money, error) {
	cur, err := NormalizeCurrency(code)
	if err != nil {
		return Money{}, err
	}
	digits, _ := CurrencyDigits(cur)
	s := strings.TrimSpace(amount)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "'", "", "_", "").Replace(s)
	intPart, frac := s, ""
	if i := strings.LastIndexAny(s, ".,"); i >= 0 {
		// "12,000" is grouping unless the currency has three decimals and
		// the separator appears once ("1.500" KWD); anything else is the
		// decimal mark.
		tail := s[i+1:]
		grouping := len(tail) == 3 && (digits != 3 || strings.Count(s, s[i:i+1]) > 1)
		if !grouping {
			intPart, frac = s[:i], tail
		}
	}
	intPart = strings.NewReplacer(",", "", ".", "").Replace(intPart)
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return Money{}, Errorf(KindInvalid, "invalid amount %q; write it like 12000 or 12000.50", amount)
	}
	if len(frac) > digits {
		if digits == 0 {
			return Money{}, Errorf(KindInvalid, "%s has no minor unit; write %q without decimals", cur, amount)
		}
		return Money{}, Errorf(KindInvalid, "%s has %d decimals; %q has more", cur, digits, amount)
	}
	frac += strings.Repeat("0", digits-len(frac))
	if intPart == "" {
		intPart = "0"
	}
	v, ok := new(big.Int).SetString(intPart+frac, 10)
	if !ok || !v.IsInt64() {
		return Money{}, Errorf(KindInvalid, "amount %q is too large", amount)
	}
	n := v.Int64()
	if neg {
		n = -n
	}
	return Money{Amount: n, Currency: cur}, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Major returns the amount in major units as a decimal string, "12000.50".
func (m Money) Major() string {
	digits, err := CurrencyDigits(m.Currency)
	if err != nil {
		digits = 2
	}
	neg := m.Amount < 0
	a := m.Amount
	if neg {
		a = -a
	}
	s := strconv.FormatInt(a, 10)
	if digits > 0 {
		if len(s) <= digits {
			s = strings.Repeat("0", digits-len(s)+1) + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// String formats the money for people: grouped thousands and the code,
// "12,000.50 EUR", "1,500,000 VND".
func (m Money) String() string {
	major := m.Major()
	neg := strings.HasPrefix(major, "-")
	major = strings.TrimPrefix(major, "-")
	intPart, frac, _ := strings.Cut(major, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	if m.Currency != "" {
		b.WriteByte(' ')
		b.WriteString(m.Currency)
	}
	return b.String()
}

// Rates converts between currencies for reporting: Rates[code] is how many
// units of the reporting currency one major unit of code is worth.
type Rates struct {
	Base  string
	Rates map[string]float64
}

// Convert turns m into the reporting currency, rounding to its minor unit.
// A currency without a configured rate is an error naming it.
func (r Rates) Convert(m Money) (Money, error) {
	if m.Currency == r.Base || m.Amount == 0 {
		return Money{Amount: m.Amount, Currency: r.Base}, nil
	}
	rate, ok := r.Rates[m.Currency]
	if !ok {
		return Money{}, Errorf(KindInvalid, "no exchange rate from %s to %s; add it under rates in the config", m.Currency, r.Base)
	}
	from, _ := CurrencyDigits(m.Currency)
	to, _ := CurrencyDigits(r.Base)
	v := float64(m.Amount) / math.Pow10(from) * rate * math.Pow10(to)
	return Money{Amount: int64(math.Round(v)), Currency: r.Base}, nil
}
