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
		return 0, Fail(KindInvalid, "error.unknown_currency", `unknown currency "{Value}"; use an ISO 4217 code such as EUR, USD, THB, VND`, "Value", code)
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

// Major returns the amount in major units as a decimal string, "12000.50".
func (m Money) Major() string {
	digits, err := CurrencyDigits(m.Currency)
	if err != nil {
		digits = 2
	}
	neg := m.Amount < 0
	// As unsigned, the smallest int64 has a magnitude too.
	a := uint64(m.Amount)
	if neg {
		a = -a
	}
	s := strconv.FormatUint(a, 10)
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

// Convert turns m into the reporting currency, rounding half away from
// zero to its minor unit. The product is worked out exactly and held at
// the largest (or smallest) amount an int64 can hold rather than wrapping
// around. A currency without a configured rate is an error naming it.
func (r Rates) Convert(m Money) (Money, error) {
	if m.Currency == r.Base || m.Amount == 0 {
		return Money{Amount: m.Amount, Currency: r.Base}, nil
	}
	rate, ok := r.Rates[m.Currency]
	if !ok {
		return Money{}, Fail(KindInvalid, "error.no_rate", "no exchange rate from {From} to {To}; add it under rates in the config", "From", m.Currency, "To", r.Base)
	}
	if math.IsNaN(rate) || math.IsInf(rate, 0) {
		return Money{}, Fail(KindInvalid, "error.bad_rate", "the exchange rate from {From} to {To} is not a number; fix it under rates in the config", "From", m.Currency, "To", r.Base)
	}
	from, _ := CurrencyDigits(m.Currency)
	to, _ := CurrencyDigits(r.Base)
	v := new(big.Float).SetPrec(256).SetInt64(m.Amount)
	v.Mul(v, new(big.Float).SetPrec(256).SetFloat64(rate))
	scale := new(big.Float).SetPrec(256).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(to-from))), nil))
	if to >= from {
		v.Mul(v, scale)
	} else {
		v.Quo(v, scale)
	}
	half := big.NewFloat(0.5)
	if v.Sign() < 0 {
		half.Neg(half)
	}
	// Int64 truncates toward zero and holds what does not fit at the
	// int64 bounds.
	n, _ := v.Add(v, half).Int64()
	return Money{Amount: n, Currency: r.Base}, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// AddAmounts returns a+b, held at the largest or smallest int64 instead of
// wrapping around; held says it was.
func AddAmounts(a, b int64) (sum int64, held bool) {
	sum = a + b
	switch {
	case a > 0 && b > 0 && sum < 0:
		return math.MaxInt64, true
	case a < 0 && b < 0 && sum >= 0:
		return math.MinInt64, true
	}
	return sum, false
}

// AtLimit reports whether an amount is at an int64 bound, where a sum or a
// conversion that did not fit was held.
func AtLimit(amount int64) bool { return amount == math.MaxInt64 || amount == math.MinInt64 }

// MaxDealAmount is the largest value a deal may have, in minor units of its
// currency: 10^14, that is 1,000,000,000,000.00 EUR, 100,000,000,000,000 VND
// or 100,000,000,000.000 KWD. No real deal comes near it, a value mistyped
// by orders of magnitude does, and ninety thousand deals at it still add up
// within an int64.
const MaxDealAmount int64 = 100_000_000_000_000

// CheckAmount refuses an amount that what (e.g. "a deal's value") cannot
// be: negative, or over MaxDealAmount, saying the largest in its currency.
func CheckAmount(what string, v Money) error {
	if v.Amount < 0 {
		return Errorf(KindInvalid, "%s cannot be negative", what)
	}
	if v.Amount > MaxDealAmount {
		return Errorf(KindInvalid, "%s can be at most %s; %s is more", what, Money{Amount: MaxDealAmount, Currency: v.Currency}, v)
	}
	return nil
}

// CheckDealValue refuses a value a deal cannot have: negative, or over
// MaxDealAmount.
func CheckDealValue(v Money) error {
	if v.Amount < 0 {
		return Fail(KindInvalid, "error.value_negative", "a deal's value cannot be negative")
	}
	if v.Amount > MaxDealAmount {
		return Fail(KindInvalid, "error.value_too_large", "a deal's value can be at most {Max}; {Value} is more", "Max", Money{Amount: MaxDealAmount, Currency: v.Currency}, "Value", v)
	}
	return nil
}
