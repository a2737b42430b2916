package config

import (
	"fmt"
	"maps"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"leadwire/core"
)

var (
	slackUserID  = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)
	telegramName = regexp.MustCompile(`^@[A-Za-z][A-Za-z0-9_]{3,}$`)
)

// checkPeople validates users and teams against each other and builds
// their core definitions. A user joins a team either by the user's team
// key or by being in the team's members; both may be given if they agree.
func (c *Config) checkPeople(p *problems) {
	teamIdx := map[string]int{} // lower-case name → index
	var teamNames []string
	for i := range c.TeamList {
		t := &c.TeamList[i]
		path := fmt.Sprintf("teams[%d]", i)
		t.Name = strings.TrimSpace(t.Name)
		if t.Name == "" {
			p.errf(path+".name", "a team needs a name")
			continue
		}
		if first, dup := teamIdx[strings.ToLower(t.Name)]; dup {
			p.errf(path+".name", "duplicate team name %q (also teams[%d] at line %d)", t.Name, first, p.line(fmt.Sprintf("teams[%d]", first)))
			continue
		}
		teamIdx[strings.ToLower(t.Name)] = i
		teamNames = append(teamNames, t.Name)
	}

	userIdx := map[string]int{} // email → index
	var emails []string
	slackIDs, telegramIDs := map[string]int{}, map[int64]int{}
	c.users = make([]core.UserDef, len(c.UserList))
	for i := range c.UserList {
		u := &c.UserList[i]
		path := fmt.Sprintf("users[%d]", i)
		def := &c.users[i]
		if email, err := normalizeEmail(u.Email); err != nil {
			p.errf(path+".email", "%v", err)
		} else if first, dup := userIdx[email]; dup {
			p.errf(path+".email", "duplicate user %s (also users[%d] at line %d)", email, first, p.line(fmt.Sprintf("users[%d]", first)))
		} else {
			u.Email = email
			userIdx[email] = i
			emails = append(emails, email)
		}
		def.Email, def.Name = u.Email, strings.TrimSpace(u.Name)

		def.Role = core.RoleRep
		if u.Role != "" {
			role, err := core.ParseRole(u.Role)
			if err != nil {
				p.errf(path+".role", "%v", err)
			}
			def.Role = role
		}
		if u.Team != "" {
			if ti, ok := teamIdx[strings.ToLower(strings.TrimSpace(u.Team))]; ok {
				def.Team = c.TeamList[ti].Name
			} else {
				p.errf(path+".team", "unknown team %q%s", u.Team, didYouMean(u.Team, teamNames, "teams"))
			}
		}
		def.TimeZone = u.TimeZone
		if def.TimeZone == "" {
			def.TimeZone = c.TimeZone
		} else if err := core.ValidateTimeZone(u.TimeZone); err != nil {
			p.errf(path+".timezone", "%v", err)
		}
		if u.Locale != "" {
			tag, err := language.Parse(u.Locale)
			if err != nil {
				p.errf(path+".locale", "unknown locale %q; use a BCP 47 tag such as th, fa, vi, pl, zh-Hans or en-GB", u.Locale)
			}
			def.Locale = tag.String()
		}
		if _, err := core.ParseCalendar(u.Calendar); err != nil {
			p.errf(path+".calendar", "%v", err)
		} else {
			def.Calendar = u.Calendar
		}
		if u.Slack != "" {
			def.SlackID = strings.TrimSpace(u.Slack)
			if !slackUserID.MatchString(def.SlackID) {
				p.errf(path+".slack", "invalid Slack member id %q; it looks like U012AB3CD (Slack profile → ⋮ → Copy member ID)", u.Slack)
			} else if first, dup := slackIDs[def.SlackID]; dup {
				p.errf(path+".slack", "Slack id %s is also given to users[%d]; each person has their own", def.SlackID, first)
			} else {
				slackIDs[def.SlackID] = i
			}
		}
		if u.Telegram != 0 {
			def.TelegramID = u.Telegram
			if u.Telegram < 0 {
				p.errf(path+".telegram", "invalid Telegram user id %d; a person's id is a positive number (negative ids are group chats)", u.Telegram)
			} else if first, dup := telegramIDs[u.Telegram]; dup {
				p.errf(path+".telegram", "Telegram id %d is also given to users[%d]; each person has their own", u.Telegram, first)
			} else {
				telegramIDs[u.Telegram] = i
			}
		}
	}

	c.teams = make([]core.TeamDef, 0, len(c.TeamList))
	managed := map[int][]string{} // users index → the teams they manage
	for i := range c.TeamList {
		t := &c.TeamList[i]
		if t.Name == "" || teamIdx[strings.ToLower(t.Name)] != i {
			continue // reported above
		}
		path := fmt.Sprintf("teams[%d]", i)
		def := core.TeamDef{Name: t.Name, SlackChannel: strings.TrimSpace(t.SlackChannel), TelegramChat: strings.TrimSpace(t.TelegramChat)}
		if t.Email != "" {
			email, err := normalizeEmail(t.Email)
			switch {
			case err != nil:
				p.errf(path+".email", "%v", err)
			case !c.SMTP.Enabled():
				p.errf(path+".email", "team notices by email need outgoing mail: set smtp (host and from)")
			}
			def.Email = email
		}
		if t.Manager != "" {
			email, err := normalizeEmail(t.Manager)
			ui, known := userIdx[email]
			switch {
			case err != nil:
				p.errf(path+".manager", "%v", err)
			case !known:
				p.errf(path+".manager", "manager %s is not among users; add them under users with role manager%s", email, didYouMean(email, emails, "users"))
			case c.users[ui].Role == core.RoleRep:
				p.errf(path+".manager", "manager %s has role rep (users[%d]); give them role manager or admin", email, ui)
			default:
				def.Manager = email
				managed[ui] = append(managed[ui], t.Name)
			}
		}
		for j, m := range t.Members {
			at := fmt.Sprintf("%s.members[%d]", path, j)
			email, err := normalizeEmail(m)
			ui, known := userIdx[email]
			switch {
			case err != nil:
				p.errf(at, "%v", err)
			case !known:
				p.errf(at, "member %s is not among users; add them under users%s", email, didYouMean(email, emails, "users"))
			case c.users[ui].Team != "" && c.users[ui].Team != t.Name:
				p.errf(at, "%s is a member of %s here but of %s in users[%d]; a user belongs to one team", email, t.Name, c.users[ui].Team, ui)
			default:
				c.users[ui].Team = t.Name
			}
		}
		def.ResponseLimit = time.Duration(t.ResponseLimit)
		switch {
		case def.ResponseLimit == 0:
			def.ResponseLimit = core.DefaultResponseLimit
		case def.ResponseLimit < 0:
			p.errf(path+".response_limit", "response limit must be positive, such as 15m")
		}
		if tag, err := core.ParseLocale(t.Locale); err != nil {
			p.errf(path+".locale", "%v", err)
		} else {
			def.Locale = tag
		}
		if v, err := core.ParseVisibility(t.Visibility); err != nil {
			p.errf(path+".visibility", "%v", err)
		} else {
			def.Visibility = v
		}
		if t.Region != "" {
			if r, err := normalizeRegion(t.Region); err != nil {
				p.errf(path+".region", "%v", err)
			} else {
				def.Region = r
			}
		}
		if def.TelegramChat != "" && !telegramName.MatchString(def.TelegramChat) {
			if _, err := strconv.ParseInt(def.TelegramChat, 10, 64); err != nil {
				p.errf(path+".telegram_chat", "invalid Telegram chat %q; give the chat id (such as -1001234567890) or a public @name", t.TelegramChat)
			}
		}
		c.teams = append(c.teams, def)
	}
	// A manager in no team belongs to the team they manage: their digest
	// covers it and they may act on its leads and deals.
	for _, ui := range slices.Sorted(maps.Keys(managed)) {
		u, teams := &c.users[ui], managed[ui]
		switch {
		case u.Team != "" || u.Role != core.RoleManager:
		case len(teams) == 1:
			u.Team = teams[0]
		default:
			p.errf(fmt.Sprintf("users[%d].team", ui), "%s manages teams %s and is in none; set team to the one their digest and rights cover, or give them role admin to see every team",
				u.Email, strings.Join(teams, " and "))
		}
	}
	// Members in users order, after every team had its say.
	for ti := range c.teams {
		for _, u := range c.users {
			if u.Team == c.teams[ti].Name && u.Email != "" {
				c.teams[ti].Members = append(c.teams[ti].Members, u.Email)
			}
		}
	}
}

func normalizeEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	if e == "" {
		return "", fmt.Errorf("an email address is required")
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return "", fmt.Errorf("invalid email %q; write a bare address such as somchai@example.com", s)
	}
	return e, nil
}

// checkTargets validates revenue targets and parses their amounts.
func (c *Config) checkTargets(p *problems) {
	users := map[string]bool{}
	for _, u := range c.users {
		users[u.Email] = true
	}
	seen := map[string]int{}
	c.targets = nil
	for i, t := range c.TargetList {
		path := fmt.Sprintf("targets[%d]", i)
		def := core.TargetDef{}
		who := ""
		switch {
		case t.User != "" && t.Team != "":
			p.errf(path, "a target is for a user or a team, not both")
			continue
		case t.User != "":
			email, err := normalizeEmail(t.User)
			if err != nil {
				p.errf(path+".user", "%v", err)
				continue
			}
			if !users[email] {
				p.errf(path+".user", "%s is not among users", email)
				continue
			}
			def.User, who = email, "user "+email
		case t.Team != "":
			name := c.team(p, path+".team", t.Team)
			if name == "" {
				continue
			}
			def.Team, who = name, "team "+name
		default:
			p.errf(path, "a target needs user (an email) or team (a name)")
			continue
		}
		month, err := time.Parse("2006-01", t.Month)
		if err != nil {
			p.errf(path+".month", "invalid month %q; write it like 2026-11", t.Month)
			continue
		}
		def.Month = month.Format("2006-01")
		cur := c.Currency
		if t.Currency != "" {
			if cur, err = core.NormalizeCurrency(t.Currency); err != nil {
				p.errf(path+".currency", "%v", err)
				continue
			}
			if _, ok := c.settings.Rates.Rates[cur]; !ok && cur != c.Currency {
				p.errf(path+".currency", "no exchange rate from %s to %s; add %s under rates", cur, c.Currency, cur)
			}
		}
		if strings.TrimSpace(t.Amount) == "" {
			p.errf(path+".amount", "a target needs an amount, such as \"50000\"")
			continue
		}
		if def.Amount, err = core.ParseMoney(t.Amount, cur); err != nil {
			p.errf(path+".amount", "%v", err)
			continue
		}
		if err := core.CheckAmount("a target", def.Amount); err != nil {
			p.errf(path+".amount", "%s", core.Message(err))
			continue
		}
		key := who + " " + def.Month
		if first, dup := seen[key]; dup {
			p.errf(path, "a second target for %s in %s (first is targets[%d]); keep one", who, def.Month, first)
			continue
		}
		seen[key] = i
		c.targets = append(c.targets, def)
	}
}
