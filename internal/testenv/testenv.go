// Package testenv hands tests the real servers that scripts/test.sh starts:
// a throwaway PostgreSQL and a throwaway Dovecot IMAP server.
//
// Each helper gives the calling test its own isolated piece of the server (a
// fresh database, a fresh mailbox account), so tests may run in parallel and
// in any order. When the server's environment variable is empty the test is
// skipped, unless CI=true, where a missing server is a failure.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	// Registers the "pgx" database/sql driver.
	_ "github.com/jackc/pgx/v5/stdlib"
)

// Environment variables that scripts/test.sh exports.
const (
	// EnvPostgres holds the URL of a PostgreSQL database whose user may
	// create databases, e.g.
	// postgres://leadwire:leadwire@127.0.0.1:25432/leadwire_test?sslmode=disable.
	EnvPostgres = "LEADWIRE_TEST_POSTGRES"
	// EnvIMAP holds the host:port of a plaintext IMAP server.
	EnvIMAP = "LEADWIRE_TEST_IMAP"
	// EnvIMAPUsers holds comma-separated user:password accounts that
	// already exist on the IMAP server; they are shared by every test.
	EnvIMAPUsers = "LEADWIRE_TEST_IMAP_USERS"
	// EnvIMAPPasswd holds the path of the server's Dovecot passwd-file;
	// a line "user:{PLAIN}password" appended to it is a new account at once.
	EnvIMAPPasswd = "LEADWIRE_TEST_IMAP_PASSWD"
	// EnvIdP holds the 127.0.0.1:port where the test IMAP server's oauth2
	// passdb asks an identity provider whether a bearer token is active:
	// the tests serve internal/idptest there.
	EnvIdP = "LEADWIRE_TEST_IDP_ADDR"
)

// IdP returns the address the test IMAP server introspects OAuth tokens
// at; the caller serves the identity provider there.
func IdP(t testing.TB) string {
	t.Helper()
	return require(t, EnvIdP)
}

// Postgres returns the URL of a new, empty PostgreSQL database that only
// this test uses. The database is dropped, with any connections still open
// to it, when the test and its cleanups have finished.
func Postgres(t testing.TB) string {
	t.Helper()
	return PostgresFrom(t, "")
}

// PostgresFrom is Postgres with the new database a copy of template (an
// existing database nobody is connected to, see PostgresTemplate), or
// empty like Postgres when template is "".
func PostgresFrom(t testing.TB, template string) string {
	t.Helper()
	u := postgresBase(t)
	base := u.String()
	name := "lw_" + strings.ToLower(rand.Text())
	stmt := "CREATE DATABASE " + name
	if template != "" {
		stmt += " TEMPLATE " + template
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := execBase(ctx, base, stmt); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	// Registered before any cleanup of the test's own, so it runs after
	// them, when the test has closed its connections.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := execBase(ctx, base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})

	u.Path = "/" + name
	return u.String()
}

// PostgresTemplate returns the name of a database on the test server made
// once by fill, for PostgresFrom to copy: the tests of every package that
// ask for the same key share it, across processes and runs, so a schema
// is built once instead of once per test. key must change whenever what
// fill builds does (a digest of the migrations, say); fill gets the new
// database's URL and must close its connections before it returns. A fill
// that fails is tried again by the next caller.
func PostgresTemplate(t testing.TB, key string, fill func(ctx context.Context, dsn string) error) string {
	t.Helper()
	u := postgresBase(t)
	name := "lw_tpl_" + key
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatalf("template database: %v", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatalf("template database: %v", err)
	}
	defer conn.Close()
	// One process builds the template while the others wait for it.
	const lock = 0x6c77_7470_6c // "lwtpl"
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lock); err != nil {
		t.Fatalf("template database: wait for another test process: %v", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lock)

	// A database marked as a template is complete; one that is not was
	// left half-built by a process that died and is built again.
	var done sql.NullBool
	err = conn.QueryRowContext(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", name).Scan(&done)
	if err != nil && err != sql.ErrNoRows {
		t.Fatalf("template database: %v", err)
	}
	if done.Valid && done.Bool {
		return name
	}
	if done.Valid {
		if _, err := conn.ExecContext(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Fatalf("template database: drop a half-built one: %v", err)
		}
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("template database: %v", err)
	}
	tu := *u
	tu.Path = "/" + name
	if err := fill(ctx, tu.String()); err != nil {
		t.Fatalf("template database %s: %v", name, err)
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+name+" IS_TEMPLATE true"); err != nil {
		t.Fatalf("template database: %v", err)
	}
	return name
}

// postgresBase returns the URL of the test server's own database.
func postgresBase(t testing.TB) *url.URL {
	t.Helper()
	base := require(t, EnvPostgres)
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL, got %q", EnvPostgres, base)
	}
	return u
}

// execBase runs one statement on the database named by dsn.
func execBase(ctx context.Context, dsn, stmt string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
}

// IMAP returns the address of the test IMAP server and an account on it.
// With EnvIMAPPasswd set the account is new, with an empty INBOX, and used
// by this test alone; otherwise it is the first of EnvIMAPUsers, shared by
// every test.
func IMAP(t testing.TB) (addr, user, pass string) {
	t.Helper()
	addr = require(t, EnvIMAP)
	if passwd := os.Getenv(EnvIMAPPasswd); passwd != "" {
		user, pass = "lw"+strings.ToLower(rand.Text()), rand.Text()
		// One short O_APPEND write lands whole even when tests in other
		// processes append at the same time; Dovecot re-reads the file
		// when its size changes.
		f, err := os.OpenFile(passwd, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatalf("add IMAP user: %v", err)
		}
		_, err = fmt.Fprintf(f, "%s:{PLAIN}%s\n", user, pass)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatalf("add IMAP user to %s: %v", passwd, err)
		}
		return addr, user, pass
	}
	first, _, _ := strings.Cut(os.Getenv(EnvIMAPUsers), ",")
	user, pass, ok := strings.Cut(first, ":")
	if !ok || user == "" {
		t.Fatalf("%s is set but neither %s nor %s names an account", EnvIMAP, EnvIMAPPasswd, EnvIMAPUsers)
	}
	return addr, user, pass
}

// require returns the value of the environment variable key, skipping the
// test when it is empty, or failing it when CI=true.
func require(t testing.TB, key string) string {
	t.Helper()
	v := os.Getenv(key)
	if v != "" {
		return v
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is empty but CI=true: run scripts/test.sh", key)
	}
	t.Skipf("%s is empty: run the tests with scripts/test.sh", key)
	return ""
}
