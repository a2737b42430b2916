package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// withDatabase rewrites the env's config to use dsn as its database.
func (e *ioEnv) withDatabase(dsn string) {
	e.t.Helper()
	cfg, err := os.ReadFile(e.config)
	if err != nil {
		e.t.Fatal(err)
	}
	out := strings.Replace(string(cfg), "database: sqlite:"+e.dbPath, "database: '"+strings.ReplaceAll(dsn, "'", "''")+"'", 1)
	if err := os.WriteFile(e.config, []byte(out), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func TestDatabaseCredentialsAreNeverShown(t *testing.T) {
	// Port 1 refuses connections: every command that opens the database
	// fails with the connection error, which names the database.
	for _, tt := range []struct{ name, dsn string }{
		{"a password in the userinfo", "postgres://leadwire:s3cret-ui@127.0.0.1:1/leadwire"},
		{"a password as a query parameter", "postgres://leadwire@127.0.0.1:1/leadwire?sslmode=disable&password=s3cret-q"},
		{"an sslpassword", "postgresql://leadwire@127.0.0.1:1/leadwire?sslpassword=s3cret-ssl&sslmode=disable"},
		{"an escaped parameter name", "postgres://leadwire@127.0.0.1:1/leadwire?pass%77ord=s3cret-esc"},
		{"a password with an unescaped @", "postgres://leadwire:s3cret@at@127.0.0.1:1/leadwire"},
		{"a key=value DSN", "host=127.0.0.1 port=1 user=leadwire password=s3cret-kv dbname=leadwire"},
		{"a quoted key=value password", "host=127.0.0.1 password='s3cret quoted' dbname=leadwire"},
		{"a SQLite authentication password", "sqlite:/nonexistent/folder/x.db?_auth&_auth_user=admin&_auth_pass=s3cret-sq"},
	} {
		t.Run(tt.name+" is masked", func(t *testing.T) {
			e := newIOEnv(t)
			e.withDatabase(tt.dsn)
			for _, args := range [][]string{{"check-config"}, {"migrate"}, {"backup", filepath.Join(e.dir, "b.db")}} {
				r := e.run(args...)
				if all := r.out + r.errOut; strings.Contains(all, "s3cret") {
					t.Errorf("leadwire %s shows the password:\n%s", args[0], all)
				}
			}
		})
	}
}

func TestBackupAndExportNeverReplaceWhatIsNotAFile(t *testing.T) {
	e := newIOEnv(t)
	e.ok("leads", "add", "--name", "Anna Kowalska", "--email", "anna@example.pl")
	fifo := filepath.Join(e.dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	for _, args := range [][]string{
		{"backup", fifo, "--force"},
		{"export", "--kind", "contacts", "--out", fifo},
	} {
		t.Run(args[0]+" refuses a named pipe", func(t *testing.T) {
			r := e.run(args...)
			if r.code == 0 {
				t.Errorf("leadwire %s exited 0", strings.Join(args, " "))
			}
			wantContains(t, "stderr", r.errOut, "is not a regular file")
			st, err := os.Lstat(fifo)
			if err != nil || st.Mode()&os.ModeNamedPipe == 0 {
				t.Fatalf("the pipe was replaced: %v, %v", st.Mode(), err)
			}
		})
	}
}
