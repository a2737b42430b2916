package main

import (
	"cmp"
	"fmt"
	"strings"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/view"
	"leadwire/storage"
)

// MigrateCmd applies migrations.
type MigrateCmd struct{}

// Run opens the database, which migrates it.
func (c *MigrateCmd) Run(a *App) error {
	db, err := a.DB()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "database is up to date (%s)\n", db.Dialect())
	return nil
}

// CheckConfigCmd validates the configuration.
type CheckConfigCmd struct{}

// Run loads the configuration; loading validates it.
func (c *CheckConfigCmd) Run(a *App) error {
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "config ok: %d teams, %d users, %d pipelines, database %s\n",
		len(cfg.Teams()), len(cfg.Users()), len(cfg.Pipelines()), storage.Redact(cfg.Database))
	return nil
}

// UsersCmd groups the user subcommands.
type UsersCmd struct {
	Add      UsersAddCmd      `cmd:"" help:"Add a user."`
	List     UsersListCmd     `cmd:"" help:"List users."`
	Set      UsersSetCmd      `cmd:"" help:"Change a user's fields."`
	Link     UsersLinkCmd     `cmd:"" help:"Link a user's Slack account."`
	LinkCode UsersLinkCodeCmd `cmd:"" name:"link-code" help:"Print a one-time code that links a Telegram account (/start CODE)."`
}

// UserFlags are the editable fields of a user.
type UserFlags struct {
	Name     string `help:"Display name."`
	Role     string `help:"rep, manager or admin."`
	Team     string `help:"Team name."`
	Timezone string `help:"IANA time zone, e.g. Asia/Bangkok."`
	Locale   string `help:"Locale, e.g. th, fa, vi, pl, zh-Hans."`
	Calendar string `help:"Calendar of dates shown: gregorian, persian or buddhist."`
	Digits   string `help:"Digits of numbers, money and dates: latin (default) or native (Thai, Persian)."`
	Slack    string `help:"Slack user id (U…)."`
	Telegram int64  `help:"Telegram user id."`
}

func (f UserFlags) def(email string) core.UserDef {
	return core.UserDef{Email: email, Name: f.Name, Role: core.Role(f.Role), Team: f.Team, TimeZone: f.Timezone,
		Locale: f.Locale, Calendar: f.Calendar, Digits: f.Digits, SlackID: f.Slack, TelegramID: f.Telegram}
}

// UsersAddCmd adds a user.
type UsersAddCmd struct {
	Email string `arg:"" help:"Email address."`
	UserFlags
}

// Run adds the user, refusing an existing email.
func (c *UsersAddCmd) Run(a *App) error {
	svc, err := a.Service()
	if err != nil {
		return err
	}
	if _, err := svc.Directory.UserByEmail(a.ctx, c.Email); err == nil {
		return core.Errorf(core.KindConflict, "user %s exists already; change it with leadwire users set", c.Email)
	}
	actor, err := a.Actor()
	if err != nil {
		return err
	}
	u, err := svc.Directory.SaveUser(a.ctx, actor, c.def(c.Email))
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "added user %s (%s, id %d)\n", u.Email, u.Role, u.ID)
	return nil
}

// UsersSetCmd changes a user.
type UsersSetCmd struct {
	Email string `arg:"" help:"Email address."`
	UserFlags
}

// Run updates the user, which must exist.
func (c *UsersSetCmd) Run(a *App) error {
	svc, err := a.Service()
	if err != nil {
		return err
	}
	if _, err := svc.Directory.UserByEmail(a.ctx, c.Email); err != nil {
		return err
	}
	actor, err := a.Actor()
	if err != nil {
		return err
	}
	u, err := svc.Directory.SaveUser(a.ctx, actor, c.def(c.Email))
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "updated user %s\n", u.Email)
	return a.warnConfigured(u)
}

// warnConfigured warns when u, just changed, now differs from what the
// configuration sets for them: leadwire applies the configuration again
// at its next start, any command's, which undoes the change.
func (a *App) warnConfigured(u *core.User) error {
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	for i, def := range cfg.Users() {
		if !strings.EqualFold(def.Email, u.Email) {
			continue
		}
		teams, err := a.teamNames()
		if err != nil {
			return err
		}
		if diff := core.ConfiguredDifferences(def, u, teams[u.TeamID]); len(diff) > 0 {
			file := cmp.Or(config.Resolve(a.cli.Config, a.getenv, fileExists), "the config")
			fmt.Fprintf(a.errOut, "warning: %s is users[%d] in %s, which sets %s; the configuration wins at leadwire's next start (any command), so change it there to keep this\n",
				u.Email, i, file, strings.Join(diff, ", "))
		}
	}
	return nil
}

// UsersListCmd lists users.
type UsersListCmd struct {
	JSON bool   `help:"Print JSON."`
	Team string `help:"Only this team."`
}

// Run prints the users.
func (c *UsersListCmd) Run(a *App) error {
	svc, err := a.Service()
	if err != nil {
		return err
	}
	f := core.UserFilter{}
	if c.Team != "" {
		t, err := svc.Directory.TeamByName(a.ctx, c.Team)
		if err != nil {
			return err
		}
		f.TeamID = t.ID
	}
	users, err := svc.Directory.Users(a.ctx, f)
	if err != nil {
		return err
	}
	teams, err := a.teamNames()
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]view.User, len(users))
		for i, u := range users {
			out[i] = view.UserOf(&u, teams)
		}
		return a.JSON(out)
	}
	w := display.NewTable(a.out)
	w.Empty = "No users yet; add them under users: in the config, or with leadwire users add EMAIL."
	if c.Team != "" {
		w.Empty = "No users in team " + c.Team + "; give them the team with leadwire users set EMAIL --team " + c.Team + "."
	}
	fmt.Fprintln(w, "ID\tEMAIL\tNAME\tROLE\tTEAM\tTIME ZONE\tSLACK\tTELEGRAM")
	for _, u := range users {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, teams[u.TeamID], u.TimeZone, u.SlackID, optInt(u.TelegramID))
	}
	return w.Flush()
}

func (a *App) teamNames() (map[int64]string, error) {
	teams, err := a.svc.Directory.Teams(a.ctx)
	if err != nil {
		return nil, err
	}
	m := map[int64]string{}
	for _, t := range teams {
		m[t.ID] = t.Name
	}
	return m, nil
}

func (a *App) userEmails() (map[int64]string, error) {
	users, err := a.svc.Directory.Users(a.ctx, core.UserFilter{})
	if err != nil {
		return nil, err
	}
	m := map[int64]string{}
	for _, u := range users {
		m[u.ID] = u.Email
	}
	return m, nil
}

// TeamsCmd groups the team subcommands.
type TeamsCmd struct {
	List TeamsListCmd `cmd:"" help:"List teams."`
}

// TeamsListCmd lists teams.
type TeamsListCmd struct {
	JSON bool `help:"Print JSON."`
}

// Run prints the teams.
func (c *TeamsListCmd) Run(a *App) error {
	svc, err := a.Service()
	if err != nil {
		return err
	}
	teams, err := svc.Directory.Teams(a.ctx)
	if err != nil {
		return err
	}
	emails, err := a.userEmails()
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]view.Team, len(teams))
		for i, t := range teams {
			out[i] = view.Team{ID: t.ID, Name: t.Name, Manager: emails[t.ManagerID], SlackChannel: t.SlackChannel,
				TelegramChat: t.TelegramChat, ResponseLimit: t.ResponseLimit.String(), Region: t.Region}
		}
		return a.JSON(out)
	}
	w := display.NewTable(a.out)
	w.Empty = "No teams yet; add them under teams: in the config."
	fmt.Fprintln(w, "ID\tNAME\tMANAGER\tSLACK\tTELEGRAM\tRESPONSE LIMIT\tREGION")
	for _, t := range teams {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, emails[t.ManagerID], t.SlackChannel, t.TelegramChat, display.Duration(t.ResponseLimit), t.Region)
	}
	return w.Flush()
}

// PipelinesCmd groups the pipeline subcommands.
type PipelinesCmd struct {
	List PipelinesListCmd `cmd:"" help:"List pipelines with their stages."`
}

// PipelinesListCmd lists pipelines.
type PipelinesListCmd struct {
	JSON bool `help:"Print JSON."`
}

// Run prints every pipeline and its stages.
func (c *PipelinesListCmd) Run(a *App) error {
	svc, err := a.Service()
	if err != nil {
		return err
	}
	ps, err := svc.Directory.Pipelines(a.ctx)
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]view.Pipeline, len(ps))
		for i, p := range ps {
			out[i] = view.PipelineOf(&p)
		}
		return a.JSON(out)
	}
	w := display.NewTable(a.out)
	for _, p := range ps {
		def := ""
		if p.IsDefault {
			def = " (default)"
		}
		fmt.Fprintf(w, "%s%s\n", p.Name, def)
		for _, s := range p.Stages {
			rot := "-"
			if s.RotDays > 0 {
				rot = fmt.Sprintf("%dd", s.RotDays)
			}
			fmt.Fprintf(w, "  %d.\t%s\t%d%%\trots after %s\n", s.Position, s.Name, s.Probability, rot)
		}
	}
	return w.Flush()
}

func optInt(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}
