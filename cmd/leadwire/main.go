// Command leadwire runs the chat-ops sales pipeline: `leadwire serve` is the
// server; the other subcommands inspect and change the pipeline from a
// terminal.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/alecthomas/kong"
)

// CLI is the command line: global flags and every subcommand.
type CLI struct {
	Config string `help:"Config file (default: $LEADWIRE_CONFIG, else ./leadwire.yaml if present, else built-in defaults)." placeholder:"FILE"`
	As     string `help:"Act as this user (email); default: the operator, with admin rights." placeholder:"EMAIL"`
	Debug  bool   `help:"Log debug details."`

	Version kong.VersionFlag `help:"Print the version and exit."`
	Help    HelpCmd          `cmd:"" help:"Show the commands, or one command's arguments and flags: leadwire help deals move."`

	Serve       ServeCmd       `cmd:"" help:"Migrate the database, then serve HTTP, connectors and bots until SIGINT/SIGTERM."`
	Migrate     MigrateCmd     `cmd:"" help:"Apply database migrations and exit."`
	CheckConfig CheckConfigCmd `cmd:"" name:"check-config" help:"Load and validate the configuration, then exit."`
	Users       UsersCmd       `cmd:"" help:"Manage users."`
	Teams       TeamsCmd       `cmd:"" help:"List teams."`
	Pipelines   PipelinesCmd   `cmd:"" help:"List pipelines and their stages."`
	Leads       LeadsCmd       `cmd:"" help:"Work with leads."`
	Deals       DealsCmd       `cmd:"" help:"Work with deals."`
	Contacts    ContactsCmd    `cmd:"" help:"Merge, unmerge and find duplicate contacts (C12)."`
	Audit       AuditCmd       `cmd:"" help:"Who changed what, through what, and when (managers: their team's records; admins: all)."`
	Companies   CompaniesCmd   `cmd:"" help:"List companies, show one with its people and open deals, merge two."`
	Tasks       TasksCmd       `cmd:"" help:"Work with tasks."`
	Import      ImportCmd      `cmd:"" help:"Import contacts, leads or deals from a CSV file."`
	Export      ExportCmd      `cmd:"" help:"Export contacts, leads or deals as CSV or JSON."`
	Stats       StatsCmd       `cmd:"" help:"Win rate, sales cycle, conversion and the funnel."`
	Forecast    ForecastCmd    `cmd:"" help:"Weighted forecast against target."`
	Digest      DigestCmd      `cmd:"" help:"Preview a manager's daily digest (text, email HTML, Slack or Telegram)."`
	Backup      BackupCmd      `cmd:"" help:"Write an online backup of the SQLite database."`
	Bench       BenchCmd       `cmd:"" help:"Measure capture, queries and stats on a seeded data set, or web forms over HTTP (bench forms)."`
	Chat        ChatCmd        `cmd:"" help:"Talk to leadwire as in Slack or Telegram, in the terminal (needs --as EMAIL)."`
	Connectors  ConnectorsCmd  `cmd:"" help:"See how the email, form and webhook connectors are doing."`
	Tokens      TokensCmd      `cmd:"" help:"Create, list and revoke the tokens webhook senders authenticate with."`
	Email       EmailCmd       `cmd:"" help:"Sign mailboxes in to Google Workspace or Microsoft 365 (auth: oauth2)."`
	Secrets     SecretsCmd     `cmd:"" help:"Make and rotate the key OAuth sign-ins are stored encrypted with."`
	Webhooks    WebhooksCmd    `cmd:"" help:"See the webhook delivery log."`
	Hooks       HooksCmd       `cmd:"" help:"Outgoing webhooks: send a test event to a receiver."`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run parses args and runs the command; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cli CLI
	exited := -1
	parser, err := kong.New(&cli,
		kong.Name("leadwire"),
		kong.Description("leadwire: leads from inboxes, forms and chat into a pipeline your reps work from Slack and Telegram."),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { exited = code }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		kong.Vars{"version": versionText()},
	)
	if err != nil {
		fmt.Fprintln(stderr, "leadwire:", err)
		return 2
	}
	kctx, err := parser.Parse(args)
	if exited >= 0 {
		return exited
	}
	if err != nil {
		fmt.Fprintln(stderr, "leadwire:", err)
		return 2
	}
	app := &App{ctx: ctx, cli: &cli, out: stdout, errOut: stderr, getenv: getenv}
	defer app.Close()
	if err := kctx.Run(app); err != nil {
		fmt.Fprintln(stderr, "leadwire:", errorText(err))
		return 1
	}
	return 0
}

// HelpCmd shows the help of leadwire or of one of its commands, as
// --help does.
type HelpCmd struct {
	Command []string `arg:"" optional:"" help:"The command, e.g. deals move."`
}

// Run parses the command with --help, which prints its help; what the
// parse says after that (a command's missing arguments) is no error.
func (c *HelpCmd) Run(k *kong.Context) error {
	printed := false
	exit := k.Kong.Exit
	k.Kong.Exit = func(code int) { printed = true; exit(code) }
	defer func() { k.Kong.Exit = exit }()
	_, err := k.Kong.Parse(append(slices.Clone(c.Command), "--help"))
	if printed {
		return nil
	}
	return err
}

// errorText is what a user sees of an error: the user-fit message of core
// errors, with the operation that failed in front.
func errorText(err error) string {
	return err.Error()
}
