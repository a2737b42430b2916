package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"leadwire/core"
	"leadwire/internal/wait"
	"leadwire/storage"
)

// BenchFormsCmd posts web forms over HTTP from this process to a server in
// another, and then asks /healthz of the same server as hard: what a form
// costs against what the server's HTTP alone costs.
type BenchFormsCmd struct {
	URL         string        `help:"The form of a running server to post to: http://HOST:PORT/forms/ID. /healthz on the same host is measured after it." placeholder:"URL" xor:"target" required:""`
	Serve       bool          `help:"Start leadwire serve as a child process, with a temporary config (one form, rate limits off, SQLite with synchronous=FULL in a temporary folder) or --serve-config, and stop it after." xor:"target" required:""`
	ServeConfig string        `help:"With --serve: the config the child serves; its form --form must exist and take the posts (rate limits off)." placeholder:"FILE" type:"existingfile"`
	Form        string        `help:"With --serve: the form to post to (the temporary config's is bench)." default:"bench" placeholder:"ID"`
	Listen      string        `help:"With --serve: the child's listen address." default:"127.0.0.1:0" placeholder:"HOST:PORT"`
	Conns       int           `help:"Connections, each kept alive and posting as soon as its last answer is read." default:"64"`
	Duration    time.Duration `help:"How long each measurement lasts." default:"10s"`
	Warmup      time.Duration `help:"Load before each measurement that is not counted." default:"2s"`
	Healthz     bool          `help:"Measure GET /healthz after the forms (--no-healthz: forms only)." default:"true" negatable:""`
	CPUProfile  string        `name:"cpu-profile" help:"With --serve: the child writes a pprof CPU profile of its whole run here." placeholder:"FILE" type:"path"`
	ServerBin   string        `help:"With --serve: the leadwire binary to start (default: this one), to compare two builds in one run." placeholder:"PATH" type:"existingfile"`
}

// Run measures the forms, then /healthz, and prints both and their ratio.
// It fails when any request got an unexpected answer.
func (c *BenchFormsCmd) Run(a *App) error {
	if c.Conns < 1 || c.Duration <= 0 || c.Warmup < 0 {
		return core.Errorf(core.KindInvalid, "--conns must be at least 1 and --duration more than 0, like --conns 64 --duration 10s")
	}
	var child *benchServer
	target := c.URL
	if c.Serve {
		var err error
		if child, err = c.startServer(a.ctx); err != nil {
			return err
		}
		defer child.close()
		target = "http://" + child.addr + "/forms/" + url.PathEscape(c.Form)
	}
	form, err := url.Parse(target)
	if err != nil || form.Scheme != "http" || form.Host == "" || !strings.HasPrefix(form.Path, "/forms/") {
		return core.Errorf(core.KindInvalid, "--url must be a plain http URL of a form, like http://127.0.0.1:8080/forms/contact")
	}
	addr := form.Host
	if form.Port() == "" {
		addr = net.JoinHostPort(form.Hostname(), "80")
	}
	health := &url.URL{Scheme: "http", Host: form.Host, Path: "/healthz"}

	fmt.Fprintf(a.out, "leadwire bench forms: POST %s, then GET %s; %d connections (kept alive, closed loop), %s warm-up, %s each\n",
		form, health, c.Conns, c.Warmup, c.Duration)
	if child != nil {
		fmt.Fprintf(a.out, "server: %s serve, pid %d, %s; log %s\n", child.bin, child.cmd.Process.Pid, child.durability, child.log)
	} else {
		fmt.Fprintf(a.out, "server: at %s, not started by the bench (its durability is in its \"leadwire serving\" log line)\n", form.Host)
	}

	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	cpu := child.cpu()
	forms := runLoad(addr, c.Conns, c.Warmup, c.Duration, 201, func(buf []byte, n int) []byte {
		return appendFormPost(buf, form, run, n)
	})
	printLoad(a, "forms  ", "forms/s", forms)
	cpu = child.printCPU(a, cpu, "form", forms.ok+forms.warm+forms.errors())
	var healthz *loadResult
	if c.Healthz {
		healthzReq := appendRequest(nil, "GET", health, nil)
		healthz = runLoad(addr, c.Conns, c.Warmup, c.Duration, 200, func(buf []byte, _ int) []byte { return append(buf, healthzReq...) })
		printLoad(a, "healthz", "req/s  ", healthz)
		child.printCPU(a, cpu, "request", healthz.ok+healthz.warm+healthz.errors())
		if forms.rate() > 0 {
			fmt.Fprintf(a.out, "forms/s ÷ /healthz/s = %.3f (/healthz answers %.1f× as many)\n", forms.rate()/healthz.rate(), healthz.rate()/forms.rate())
		}
	}
	if child != nil {
		if err := child.stop(); err != nil {
			return err
		}
		if child.db != "" {
			if err := checkStored(a, child.db, c.Form, forms.ok+forms.warm); err != nil {
				return err
			}
		}
		if c.CPUProfile != "" {
			fmt.Fprintf(a.out, "CPU profile of the server: %s (go tool pprof -top %s)\n", c.CPUProfile, c.CPUProfile)
		}
	}
	if n := forms.errors(); n > 0 {
		return fmt.Errorf("%d form posts failed (%s); first: %s", n, forms.errorText(), forms.first)
	}
	if healthz != nil && healthz.errors() > 0 {
		return fmt.Errorf("%d GET /healthz failed (%s); first: %s", healthz.errors(), healthz.errorText(), healthz.first)
	}
	return nil
}

func printLoad(a *App, name, unit string, r *loadResult) {
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + "ms" }
	fmt.Fprintf(a.out, "%s %9.0f %s  %7d in %-6s p50 %-8s p90 %-8s p99 %-8s max %-8s errors %d",
		name, r.rate(), unit, r.ok, r.elapsed.Round(10*time.Millisecond), ms(r.pct(0.50)), ms(r.pct(0.90)), ms(r.pct(0.99)),
		ms(r.pct(1)), r.errors())
	if len(r.errs) > 0 {
		fmt.Fprintf(a.out, " (%s)", r.errorText())
	}
	fmt.Fprintln(a.out)
}

// cpu is the CPU time the child has used so far (user and system), read
// from /proc; -1 where there is no /proc, or no child.
func (s *benchServer) cpu() time.Duration {
	if s == nil {
		return -1
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return -1
	}
	// The fields after the command's name in parentheses: state is the
	// 1st, utime the 12th and stime the 13th, in clock ticks (1/100 s).
	i := bytes.LastIndexByte(stat, ')')
	f := strings.Fields(string(stat[i+1:]))
	if i < 0 || len(f) < 13 {
		return -1
	}
	user, err1 := strconv.ParseInt(f[11], 10, 64)
	sys, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(user+sys) * 10 * time.Millisecond
}

// printCPU prints the server's CPU time since since, in all and per
// request, and returns the time now: a figure that a machine busy with
// other work changes far less than the rates.
func (s *benchServer) printCPU(a *App, since time.Duration, what string, n int) time.Duration {
	now := s.cpu()
	if since < 0 || now < 0 || n == 0 {
		return now
	}
	used := now - since
	fmt.Fprintf(a.out, "        server CPU %.2fs (warm-up included) = %dµs a %s\n", used.Seconds(), used.Microseconds()/int64(n), what)
	return now
}

// checkStored compares the leads the server's form counted as captured
// with the posts answered 201.
func checkStored(a *App, dbPath, formID string, answered int) error {
	db, err := storage.Open(a.ctx, "sqlite:"+dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	statuses, err := db.ConnectorStatuses(a.ctx)
	if err != nil {
		return err
	}
	stored := 0
	for _, s := range statuses {
		if s.Connector == core.ConnectorName(core.ChannelWebform, formID) {
			stored = int(s.Counts[core.CountCaptured])
		}
	}
	fmt.Fprintf(a.out, "stored: %d leads captured by form %s, %d posts answered 201 (warm-ups included)\n", stored, formID, answered)
	if stored != answered {
		return fmt.Errorf("the server stored %d leads for %d posts answered 201", stored, answered)
	}
	return nil
}

// benchServerConfig is the config of a server started by the bench: one
// team, one form without rate limits, SQLite in a temporary folder.
const benchServerConfig = `database: sqlite:%s
region: PL
teams:
  - name: Sales
    region: PL
forms:
  - id: bench
    team: Sales
    rate_limit: {per_ip: off, per_form: off}
`

// benchServer is `leadwire serve` run by the bench as a child process.
type benchServer struct {
	cmd        *exec.Cmd
	bin        string
	dir        string // the temporary folder, removed by stop
	log        string
	db         string // the SQLite file of a temporary config, else ""
	addr       string
	durability string
	exited     chan struct{} // closed when the child has ended
	waitErr    error         // how it ended, once exited is closed
	stopped    bool
}

// servingLine is serve's log line when it listens.
var servingLine = regexp.MustCompile(`msg="leadwire serving" addr=(\S+)(?: .*durability=("[^"]*"|\S+))?`)

func (c *BenchFormsCmd) startServer(ctx context.Context) (*benchServer, error) {
	bin := c.ServerBin
	if bin == "" {
		var err error
		if bin, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "leadwire-bench-forms-")
	if err != nil {
		return nil, err
	}
	s := &benchServer{bin: bin, dir: dir, log: filepath.Join(dir, "serve.log")}
	cfg := c.ServeConfig
	env := os.Environ()
	if cfg == "" {
		s.db = filepath.Join(dir, "bench.db")
		cfg = filepath.Join(dir, "leadwire.yaml")
		if err := os.WriteFile(cfg, fmt.Appendf(nil, benchServerConfig, s.db), 0o600); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		// The temporary config's database, not one from the environment.
		env = slicesDeleteEnv(env, "LEADWIRE_DB")
	}
	log, err := os.Create(s.log)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	defer log.Close()
	args := []string{"--config", cfg, "serve", "--listen", c.Listen}
	if c.CPUProfile != "" {
		args = append(args, "--cpu-profile", c.CPUProfile)
	}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s serve: %w", bin, err)
	}
	s.exited = make(chan struct{})
	go func() { s.waitErr = s.cmd.Wait(); close(s.exited) }()
	gone := func() bool {
		select {
		case <-s.exited:
			return true
		default:
			return false
		}
	}
	fail := func(what string) (*benchServer, error) {
		text, _ := os.ReadFile(s.log)
		s.close()
		return nil, fmt.Errorf("%s serve %s; its log:\n%s", bin, what, text)
	}
	// A fresh database is migrated before serve listens.
	if !wait.Until(2*time.Minute, func() bool {
		text, _ := os.ReadFile(s.log)
		if m := servingLine.FindSubmatch(text); m != nil {
			s.addr, s.durability = string(m[1]), strings.Trim(string(m[2]), `"`)
			return true
		}
		return gone() || ctx.Err() != nil
	}) || s.addr == "" {
		return fail("did not start listening")
	}
	if s.durability == "" {
		s.durability = "durability not logged by this build"
	}
	req := appendRequest(nil, "GET", &url.URL{Path: "/healthz", Host: s.addr}, nil)
	if !wait.Until(30*time.Second, func() bool {
		c := &loadConn{addr: s.addr}
		defer c.close()
		status, err := c.do(req)
		return (err == nil && status == 200) || gone()
	}) || gone() {
		return fail("did not answer /healthz")
	}
	return s, nil
}

// stop ends the child with SIGTERM, as an operator would, and waits for
// its shutdown. It fails when the child had ended before, or did not end
// cleanly.
func (s *benchServer) stop() error {
	if s.stopped {
		return nil
	}
	s.stopped = true
	select {
	case <-s.exited:
		text, _ := os.ReadFile(s.log)
		return fmt.Errorf("%s serve ended during the bench: %v; its log:\n%s", s.bin, s.waitErr, text)
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.cmd.Process.Kill()
	}
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("%s serve did not stop within 30s of SIGTERM", s.bin)
	}
	if s.waitErr != nil {
		text, _ := os.ReadFile(s.log)
		return fmt.Errorf("%s serve after SIGTERM: %v; its log:\n%s", s.bin, s.waitErr, text)
	}
	return nil
}

// close stops the child if it still runs and removes its temporary
// folder, database and log included.
func (s *benchServer) close() {
	if !s.stopped {
		s.stopped = true
		s.cmd.Process.Kill()
		<-s.exited
	}
	os.RemoveAll(s.dir)
}

// slicesDeleteEnv is env without the variable name.
func slicesDeleteEnv(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}
