package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// dialect is the database behind a DB: the few things whose SQL differs.
type dialect int

const (
	sqlite dialect = iota + 1
	postgres
)

func (d dialect) String() string {
	if d == postgres {
		return "postgres"
	}
	return "sqlite"
}

// time is t as a column value: NULL when zero (core's "unset"); on SQLite
// an INTEGER of Unix microseconds, which sorts and compares fast; on
// PostgreSQL a timestamptz. Both keep microseconds.
func (d dialect) time(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	t = t.UTC().Truncate(time.Microsecond)
	if d == postgres {
		return t
	}
	return t.UnixMicro()
}

// plusDays is the SQL expression for timestamp expression ts plus days, an
// integer SQL expression.
func (d dialect) plusDays(ts, days string) string {
	if d == postgres {
		return fmt.Sprintf("(%s + (%s) * INTERVAL '1 day')", ts, days)
	}
	return fmt.Sprintf("(%s + (%s) * 86400000000)", ts, days)
}

// ref is a foreign key as a column value: NULL for core's 0, "no id".
func ref(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// str is a string as a column value: NULL when empty, for columns whose
// uniqueness must ignore the unset value.
func str(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// seconds is the duration from a to b in seconds, NULL when either is unset.
func seconds(a, b time.Time) any {
	if a.IsZero() || b.IsZero() {
		return nil
	}
	return b.Sub(a).Seconds()
}

// nullTime scans a time column of either dialect as UTC; NULL is zero.
type nullTime struct{ t time.Time }

// Scan implements sql.Scanner.
func (n *nullTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		n.t = time.Time{}
	case int64:
		n.t = time.UnixMicro(x).UTC()
	case time.Time:
		n.t = x.UTC()
	default:
		return fmt.Errorf("scan time: unexpected %T", v)
	}
	return nil
}

// nullID scans a nullable id column; NULL is 0.
type nullID int64

// Scan implements sql.Scanner.
func (n *nullID) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*n = 0
	case int64:
		*n = nullID(x)
	default:
		return fmt.Errorf("scan id: unexpected %T", v)
	}
	return nil
}

// nullStr scans a nullable text column; NULL is "".
type nullStr string

// Scan implements sql.Scanner.
func (n *nullStr) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*n = ""
	case string:
		*n = nullStr(x)
	case []byte:
		*n = nullStr(x)
	default:
		return fmt.Errorf("scan text: unexpected %T", v)
	}
	return nil
}

// jsonText encodes v as JSON text, NULL when v is empty.
func jsonText(v any, empty bool) (any, error) {
	if empty {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// fromJSON decodes JSON text into v; "" leaves v alone.
func fromJSON(s nullStr, v any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

// uniqueViolation reports whether err is a unique-constraint violation and
// returns text naming the constraint (SQLite's message, PostgreSQL's
// constraint name) so callers can tell which one.
func uniqueViolation(err error) (string, bool) {
	var se sqlite3.Error
	if errors.As(err, &se) &&
		(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey) {
		return se.Error(), true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return pe.ConstraintName, true
	}
	return "", false
}

// where collects the conditions of a query built from a filter.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// in adds "col IN (…)" for a non-empty list of values.
func in[T ~string](w *where, col string, vals []T) {
	if len(vals) == 0 {
		return
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")
	w.conds = append(w.conds, col+" IN ("+marks+")")
	for _, v := range vals {
		w.args = append(w.args, string(v))
	}
}

// String is the WHERE clause, or "" without conditions.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// Listing sizes: the default when a filter says 0, and the most one call
// returns.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

func pageSize(n int) int {
	if n <= 0 {
		return defaultLimit
	}
	return min(n, maxLimit)
}
