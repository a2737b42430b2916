package config

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"leadwire/core"
)

// Rule is a configured automation: when trigger happens to a lead or deal
// that meets every condition under when, the actions run in order.
type Rule struct {
	Name    string         `yaml:"name"`
	Trigger string         `yaml:"trigger"` // lead.captured, lead.claimed, deal.stage_changed, deal.won, deal.lost, deal.idle
	When    RuleConditions `yaml:"when"`
	Actions []RuleAction   `yaml:"actions"`
}

// RuleConditions narrow a rule; keys left out do not filter.
type RuleConditions struct {
	Source   []string `yaml:"source"`    // any of these source channels or source names
	Pipeline string   `yaml:"pipeline"`  // deal triggers
	Stage    string   `yaml:"stage"`     // deal triggers; deal.stage_changed: the stage entered
	MinValue string   `yaml:"min_value"` // deal triggers; major units of currency
	MaxValue string   `yaml:"max_value"`
	Currency string   `yaml:"currency"` // of min_value and max_value; default the reporting currency
	MinScore *int     `yaml:"min_score"`
	Team     string   `yaml:"team"`
}

// RuleAction is one thing a rule does; exactly one of create_task,
// notify, assign, add_score, move_stage and webhook.
type RuleAction struct {
	CreateTask string `yaml:"create_task"` // the title of a task for the owner
	Due        string `yaml:"due"`         // create_task: due after 3d, 4h, 1d12h
	Notify     string `yaml:"notify"`      // owner, team or manager
	Text       string `yaml:"text"`        // notify
	Assign     string `yaml:"assign"`      // round_robin
	AddScore   *int   `yaml:"add_score"`   // points, may be negative
	MoveStage  string `yaml:"move_stage"`  // deal triggers: a stage of the deal's pipeline
	Webhook    string `yaml:"webhook"`     // the URL of a subscription (leadwire hooks add URL --events rule.matched)
}

// dealTriggers are the triggers whose record is a deal.
var dealTriggers = []core.RuleTrigger{core.TriggerDealStageChanged, core.TriggerDealWon, core.TriggerDealLost, core.TriggerDealIdle}

// checkRules validates the rules against the teams and pipelines and maps
// them into the settings. It runs after checkPeople and checkPipelines.
func (c *Config) checkRules(p *problems) {
	triggers := make([]string, len(core.RuleTriggers))
	for i, t := range core.RuleTriggers {
		triggers[i] = string(t)
	}
	var teams []string
	for _, t := range c.TeamList {
		teams = append(teams, strings.TrimSpace(t.Name))
	}
	names := map[string]int{}
	c.settings.Rules = nil
	for i, r := range c.Rules {
		path := fmt.Sprintf("rules[%d]", i)
		rule := core.Rule{Name: strings.TrimSpace(r.Name), Trigger: core.RuleTrigger(strings.TrimSpace(r.Trigger))}
		switch first, dup := names[strings.ToLower(rule.Name)]; {
		case rule.Name == "":
			p.errf(path+".name", "a rule needs a name, shown in the timeline of what it changes")
		case dup:
			p.errf(path+".name", "duplicate rule name %q (also rules[%d])", rule.Name, first)
		default:
			names[strings.ToLower(rule.Name)] = i
		}
		if rule.Trigger == "" {
			p.errf(path+".trigger", "a rule needs a trigger; valid triggers are %s", strings.Join(triggers, ", "))
		} else if !slices.Contains(triggers, string(rule.Trigger)) {
			p.errf(path+".trigger", "unknown trigger %q%s", rule.Trigger, didYouMean(string(rule.Trigger), triggers, "triggers"))
		}
		onDeal := slices.Contains(dealTriggers, rule.Trigger)
		rule.When = c.checkConditions(p, path+".when", r.When, rule.Trigger, onDeal, teams)
		if len(r.Actions) == 0 {
			p.errf(path+".actions", "a rule needs at least one action: create_task, notify, assign, add_score or move_stage")
		}
		for j, a := range r.Actions {
			if act, ok := c.checkAction(p, fmt.Sprintf("%s.actions[%d]", path, j), a, rule.Trigger, onDeal, r.When.Pipeline); ok {
				rule.Actions = append(rule.Actions, act)
			}
		}
		c.settings.Rules = append(c.settings.Rules, rule)
	}
}

func (c *Config) checkConditions(p *problems, path string, w RuleConditions, trigger core.RuleTrigger, onDeal bool, teams []string) core.RuleConditions {
	out := core.RuleConditions{Pipeline: strings.TrimSpace(w.Pipeline), Stage: strings.TrimSpace(w.Stage), MinScore: w.MinScore, Team: strings.TrimSpace(w.Team)}
	for j, s := range w.Source {
		if s = strings.TrimSpace(s); s == "" {
			p.errf(fmt.Sprintf("%s.source[%d]", path, j), "an empty source; give a channel (email, webform, webhook, telegram, slack, import) or a source name")
			continue
		}
		out.Sources = append(out.Sources, s)
	}
	dealOnly := func(key string) {
		if trigger != "" && !onDeal {
			p.errf(path+"."+key, "%s is about a lead, which has no %s yet; use it with a deal trigger (%s)", trigger, strings.ReplaceAll(key, "_", " "), triggerList(dealTriggers))
		}
	}
	if out.Pipeline != "" {
		dealOnly("pipeline")
		if c.pipelineDef(out.Pipeline) == nil {
			p.errf(path+".pipeline", "unknown pipeline %q%s", out.Pipeline, didYouMean(out.Pipeline, c.pipelineNames(), "pipelines"))
		}
	}
	if out.Stage != "" {
		dealOnly("stage")
		c.checkStage(p, path+".stage", out.Stage, out.Pipeline, true)
	}
	cur := strings.TrimSpace(w.Currency)
	if cur == "" {
		cur = c.Currency
	} else if n, err := core.NormalizeCurrency(cur); err != nil {
		p.errf(path+".currency", "%v", err)
		cur = ""
	} else if _, ok := c.settings.Rates.Rates[n]; !ok && n != c.Currency {
		p.errf(path+".currency", "no exchange rate from %s to %s; add it under rates", n, c.Currency)
	} else {
		cur = n
	}
	money := func(key, v string) *core.Money {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		dealOnly(key)
		if cur == "" {
			return nil
		}
		m, err := core.ParseMoney(v, cur)
		if err != nil {
			p.errf(path+"."+key, "%v", err)
			return nil
		}
		return &m
	}
	out.MinValue, out.MaxValue = money("min_value", w.MinValue), money("max_value", w.MaxValue)
	if out.MinValue != nil && out.MaxValue != nil && out.MinValue.Amount > out.MaxValue.Amount {
		p.errf(path+".max_value", "max_value %s is below min_value %s", out.MaxValue, out.MinValue)
	}
	if out.Team != "" && !slices.ContainsFunc(teams, func(t string) bool { return strings.EqualFold(t, out.Team) }) {
		p.errf(path+".team", "unknown team %q%s", out.Team, didYouMean(out.Team, teams, "teams"))
	}
	return out
}

func (c *Config) checkAction(p *problems, path string, a RuleAction, trigger core.RuleTrigger, onDeal bool, pipeline string) (core.RuleAction, bool) {
	var kinds []string
	if a.CreateTask != "" {
		kinds = append(kinds, "create_task")
	}
	if a.Notify != "" {
		kinds = append(kinds, "notify")
	}
	if a.Assign != "" {
		kinds = append(kinds, "assign")
	}
	if a.AddScore != nil {
		kinds = append(kinds, "add_score")
	}
	if a.MoveStage != "" {
		kinds = append(kinds, "move_stage")
	}
	if a.Webhook != "" {
		kinds = append(kinds, "webhook")
	}
	switch len(kinds) {
	case 0:
		p.errf(path, "an action needs one of create_task, notify, assign, add_score, move_stage or webhook")
		return core.RuleAction{}, false
	case 1:
	default:
		p.errf(path, "one action does one thing, not %s; make them separate actions", strings.Join(kinds, " and "))
		return core.RuleAction{}, false
	}
	if a.Due != "" && kinds[0] != "create_task" {
		p.errf(path+".due", "due belongs to create_task")
	}
	if a.Text != "" && kinds[0] != "notify" {
		p.errf(path+".text", "text belongs to notify")
	}
	ok := true
	bad := func(key, format string, args ...any) {
		p.errf(path+"."+key, format, args...)
		ok = false
	}
	var out core.RuleAction
	switch kinds[0] {
	case "create_task":
		out = core.RuleAction{Kind: core.ActionCreateTask, Title: strings.TrimSpace(a.CreateTask)}
		if strings.TrimSpace(a.Due) == "" {
			bad("due", "a task needs a due offset after the trigger, such as 3d, 4h or 1d12h")
		} else if d, err := parseDue(a.Due); err != nil {
			bad("due", "%v", err)
		} else {
			out.Due = d
		}
	case "notify":
		out = core.RuleAction{Kind: core.ActionNotify, To: strings.ToLower(strings.TrimSpace(a.Notify)), Text: strings.TrimSpace(a.Text)}
		to := []string{core.NotifyOwner, core.NotifyTeam, core.NotifyManager}
		if !slices.Contains(to, out.To) {
			bad("notify", "unknown recipient %q%s", a.Notify, didYouMean(a.Notify, to, "recipients"))
		}
		if out.Text == "" {
			bad("text", "a notification needs a text")
		}
	case "assign":
		out = core.RuleAction{Kind: core.ActionAssignRoundRobin}
		if strings.TrimSpace(a.Assign) != "round_robin" {
			bad("assign", "unknown assignment %q; the one there is: round_robin", a.Assign)
		}
	case "add_score":
		out = core.RuleAction{Kind: core.ActionAddScore, Points: *a.AddScore}
		if *a.AddScore == 0 {
			bad("add_score", "adding 0 points does nothing; give a positive or negative number")
		}
	case "move_stage":
		out = core.RuleAction{Kind: core.ActionMoveStage, Stage: strings.TrimSpace(a.MoveStage)}
		if trigger != "" && !onDeal {
			bad("move_stage", "%s is about a lead, which has no stage; use move_stage with a deal trigger (%s)", trigger, triggerList(dealTriggers))
		} else if strings.EqualFold(out.Stage, string(core.StageLost)) {
			bad("move_stage", "a rule cannot lose a deal: losing needs a reason from someone who knows it")
		} else {
			ok = c.checkStage(p, path+".move_stage", out.Stage, pipeline, false) && ok
		}
	case "webhook":
		out = core.RuleAction{Kind: core.ActionWebhook, URL: strings.TrimSpace(a.Webhook)}
		if u, err := url.Parse(out.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("webhook", "%q is no http or https URL; name the URL of a subscription (leadwire hooks add URL --events rule.matched)", a.Webhook)
		}
	}
	return out, ok
}

// checkStage checks a stage name against the pipeline (when named) or any
// pipeline; Won and Lost are in every pipeline.
func (c *Config) checkStage(p *problems, path, stage, pipeline string, allowClosed bool) bool {
	if strings.EqualFold(stage, string(core.StageWon)) || (allowClosed && strings.EqualFold(stage, string(core.StageLost))) {
		return true
	}
	var names []string
	for _, pl := range c.pipelines {
		if pipeline != "" && !strings.EqualFold(pl.Name, pipeline) {
			continue
		}
		for _, s := range pl.Stages {
			if strings.EqualFold(s.Name, stage) {
				return true
			}
			names = append(names, s.Name)
		}
	}
	where := "any pipeline"
	if pipeline != "" {
		where = "pipeline " + strconv.Quote(pipeline)
	}
	p.errf(path, "unknown stage %q in %s%s", stage, where, didYouMean(stage, names, "stages"))
	return false
}

func (c *Config) pipelineDef(name string) *core.PipelineDef {
	for i := range c.pipelines {
		if strings.EqualFold(c.pipelines[i].Name, name) {
			return &c.pipelines[i]
		}
	}
	return nil
}

func (c *Config) pipelineNames() []string {
	var names []string
	for _, pl := range c.pipelines {
		names = append(names, pl.Name)
	}
	return names
}

func triggerList(ts []core.RuleTrigger) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// parseDue reads a due offset: a Go duration (4h, 90m) after an optional
// number of days (3d, 1d12h).
func parseDue(due string) (time.Duration, error) {
	s := strings.ReplaceAll(strings.TrimSpace(due), " ", "")
	var days int
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil {
			return 0, fmt.Errorf("invalid due %q; write it like 3d, 4h or 1d12h", due)
		}
		days, s = n, s[i+1:]
	}
	var rest time.Duration
	if s != "" {
		var err error
		if rest, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("invalid due %q; write it like 3d, 4h or 1d12h", due)
		}
	}
	d := time.Duration(days)*24*time.Hour + rest
	if d < 0 {
		return 0, fmt.Errorf("a due offset cannot be negative")
	}
	return d, nil
}
