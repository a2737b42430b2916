package testenv

import (
	"bufio"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

func TestPostgres(t *testing.T) {
	t.Run("each call gets an empty database of its own", func(t *testing.T) {
		first, second := Postgres(t), Postgres(t)
		if first == second {
			t.Fatalf("two calls returned the same database %s", first)
		}
		for _, dsn := range []string{first, second} {
			db := openDB(t, dsn)
			var one int
			if err := db.QueryRow("SELECT 1").Scan(&one); err != nil || one != 1 {
				t.Fatalf("SELECT 1 on %s: got %d, %v", dsn, one, err)
			}
			var name string
			if err := db.QueryRow("SELECT current_database()").Scan(&name); err != nil {
				t.Fatal(err)
			}
			if want := dbName(t, dsn); name != want {
				t.Errorf("connected to database %q, want %q", name, want)
			}
			var tables int
			err := db.QueryRow(`SELECT count(*) FROM information_schema.tables
				WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`).Scan(&tables)
			if err != nil || tables != 0 {
				t.Errorf("fresh database has %d tables (%v), want 0", tables, err)
			}
		}
	})

	t.Run("the database is dropped after the test even with a connection open", func(t *testing.T) {
		base := require(t, EnvPostgres)
		var name string
		t.Run("user", func(t *testing.T) {
			dsn := Postgres(t)
			name = dbName(t, dsn)
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Ping(); err != nil {
				t.Fatal(err)
			}
			// Left open until the outer test ends, past the drop.
			t.Cleanup(func() { db.Close() })
		})
		db := openDB(t, base)
		var n int
		if err := db.QueryRow("SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("database %s still exists after its test ended", name)
		}
	})
}

func TestIMAP(t *testing.T) {
	t.Run("each call gets an account of its own that can log in", func(t *testing.T) {
		addr, user, pass := IMAP(t)
		_, other, _ := IMAP(t)
		if os.Getenv(EnvIMAPPasswd) != "" && other == user {
			t.Errorf("two calls returned the same user %s", user)
		}
		c := dialIMAP(t, addr)
		if got := c.command(t, "LOGIN", quote(user), quote(pass)); !strings.HasPrefix(got, "OK") {
			t.Errorf("LOGIN %s: %s", user, got)
		}
		if got := c.command(t, "SELECT", "INBOX"); !strings.HasPrefix(got, "OK") {
			t.Errorf("SELECT INBOX: %s", got)
		}
	})

	t.Run("a wrong password is refused", func(t *testing.T) {
		addr, user, pass := IMAP(t)
		c := dialIMAP(t, addr)
		if got := c.command(t, "LOGIN", quote(user), quote(pass+"x")); !strings.HasPrefix(got, "NO") {
			t.Errorf("LOGIN with a wrong password: %s, want NO", got)
		}
	})
}

func openDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func dbName(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

// imapConn is just enough of an IMAP client to check the server's greeting
// and send tagged commands.
type imapConn struct {
	conn net.Conn
	r    *bufio.Reader
	tag  int
}

func dialIMAP(t *testing.T, addr string) *imapConn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	c := &imapConn{conn: conn, r: bufio.NewReader(conn)}
	greeting, err := c.r.ReadString('\n')
	if err != nil {
		t.Fatalf("read greeting: %v", err)
	}
	if !strings.HasPrefix(greeting, "* OK") {
		t.Fatalf("greeting %q, want * OK", greeting)
	}
	return c
}

// command sends one command and returns the tagged response without its
// tag, e.g. "OK Logged in".
func (c *imapConn) command(t *testing.T, args ...string) string {
	t.Helper()
	c.tag++
	tag := fmt.Sprintf("a%d", c.tag)
	if _, err := fmt.Fprintf(c.conn, "%s %s\r\n", tag, strings.Join(args, " ")); err != nil {
		t.Fatal(err)
	}
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			t.Fatalf("%s: %v", args[0], err)
		}
		if rest, ok := strings.CutPrefix(line, tag+" "); ok {
			return strings.TrimRight(rest, "\r\n")
		}
	}
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
