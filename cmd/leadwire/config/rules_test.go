package config_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
)

func TestExampleRules(t *testing.T) {
	c, err := config.Load(filepath.Join("..", "..", "..", "configs", "leadwire.example.yaml"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	rules := c.Settings().Rules
	if len(rules) != 4 {
		t.Fatalf("%d rules, want the example's 4", len(rules))
	}
	want := core.Rule{Name: "proposal follow-up", Trigger: core.TriggerDealStageChanged, When: core.RuleConditions{Stage: "Proposal"},
		Actions: []core.RuleAction{{Kind: core.ActionCreateTask, Title: "follow up on proposal", Due: 3 * 24 * time.Hour}}}
	if !reflect.DeepEqual(rules[0], want) {
		t.Errorf("the proposal rule = %+v, want %+v", rules[0], want)
	}
	score := 40
	hot := core.Rule{Name: "hot web leads", Trigger: core.TriggerLeadCaptured,
		When: core.RuleConditions{Sources: []string{"webform", "webhook"}, Team: "Bangkok", MinScore: &score},
		Actions: []core.RuleAction{{Kind: core.ActionAddScore, Points: 10}, {Kind: core.ActionAssignRoundRobin},
			{Kind: core.ActionNotify, To: core.NotifyTeam, Text: "A hot lead from the website was assigned"}}}
	if !reflect.DeepEqual(rules[1], hot) {
		t.Errorf("the hot-lead rule = %+v, want %+v", rules[1], hot)
	}
	if w := rules[2].When; w.MinValue == nil || *w.MinValue != (core.Money{Amount: 5000000, Currency: "EUR"}) || w.Pipeline != "Sales" {
		t.Errorf("the big-deal conditions = %+v", w)
	}
	if a := rules[2].Actions; len(a) != 2 || a[1] != (core.RuleAction{Kind: core.ActionWebhook, URL: "https://hooks.example.com/big-wins"}) {
		t.Errorf("the big-deal actions = %+v", a)
	}
}

func TestRuleErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string // "#<" marks the line the error must name
		want []string
	}{
		{"an unknown trigger suggests the right one", `rules:
  - name: r
    trigger: deal.wonn #<
    actions: [{notify: team, text: hi}]
`, []string{"rules[0].trigger", `unknown trigger "deal.wonn"; did you mean deal.won?`}},
		{"a missing trigger lists the triggers", `rules:
  - name: r #<
    actions: [{notify: team, text: hi}]
`, []string{"rules[0].trigger", "valid triggers are lead.captured, lead.claimed, deal.stage_changed"}},
		{"a rule needs a name", `rules:
  - trigger: deal.won #<
    actions: [{notify: team, text: hi}]
`, []string{"rules[0].name", "a rule needs a name"}},
		{"names are unique", `rules:
  - {name: r, trigger: deal.won, actions: [{notify: team, text: hi}]}
  - {name: R, trigger: deal.lost, actions: [{notify: team, text: hi}]} #<
`, []string{"rules[1].name", `duplicate rule name "R" (also rules[0])`}},
		{"a rule needs actions", `rules:
  - name: r #<
    trigger: deal.won
`, []string{"rules[0].actions", "at least one action"}},
		{"an unknown stage in the condition suggests one", `rules:
  - name: r
    trigger: deal.stage_changed
    when:
      stage: Propsal #<
    actions: [{notify: team, text: hi}]
`, []string{"rules[0].when.stage", `unknown stage "Propsal" in any pipeline; did you mean Proposal?`}},
		{"a deal condition on a lead trigger is refused", `rules:
  - name: r
    trigger: lead.captured
    when:
      min_value: "1000" #<
    actions: [{notify: team, text: hi}]
`, []string{"rules[0].when.min_value", "lead.captured is about a lead", "deal.stage_changed"}},
		{"min above max is refused", `rules:
  - name: r
    trigger: deal.won
    when:
      min_value: "1000"
      max_value: "10" #<
    actions: [{notify: team, text: hi}]
`, []string{"rules[0].when.max_value", "is below min_value"}},
		{"a value in a currency without a rate is refused", `rules:
  - name: r
    trigger: deal.won
    when:
      min_value: "1000"
      currency: JPY #<
    actions: [{notify: team, text: hi}]
`, []string{"rules[0].when.currency", "no exchange rate from JPY to EUR"}},
		{"an unknown team suggests one", valid + `rules:
  - name: r
    trigger: lead.captured
    when:
      team: Sals #<
    actions: [{notify: team, text: hi}]
`, []string{"rules[0].when.team", `unknown team "Sals"; did you mean Sales?`}},
		{"an action does one thing", `rules:
  - name: r
    trigger: deal.won
    actions:
      - {notify: team, text: hi, move_stage: Won} #<
`, []string{"rules[0].actions[0]", "not notify and move_stage"}},
		{"a task needs a due offset", `rules:
  - name: r
    trigger: deal.won
    actions:
      - create_task: call #<
`, []string{"rules[0].actions[0].due", "needs a due offset"}},
		{"a bad due offset says how to write one", `rules:
  - name: r
    trigger: deal.won
    actions:
      - create_task: call
        due: 3 days #<
`, []string{"rules[0].actions[0].due", `invalid due "3 days"; write it like 3d, 4h or 1d12h`}},
		{"an unknown recipient suggests one", `rules:
  - name: r
    trigger: deal.won
    actions:
      - notify: manger #<
        text: hi
`, []string{"rules[0].actions[0].notify", `unknown recipient "manger"; did you mean manager?`}},
		{"a notification needs a text", `rules:
  - name: r
    trigger: deal.won
    actions:
      - notify: team #<
`, []string{"rules[0].actions[0].text", "needs a text"}},
		{"only round-robin assignment exists", `rules:
  - name: r
    trigger: lead.captured
    actions:
      - assign: random #<
`, []string{"rules[0].actions[0].assign", "round_robin"}},
		{"adding no points is refused", `rules:
  - name: r
    trigger: lead.captured
    actions:
      - add_score: 0 #<
`, []string{"rules[0].actions[0].add_score", "does nothing"}},
		{"a lead cannot move stage", `rules:
  - name: r
    trigger: lead.claimed
    actions:
      - move_stage: Proposal #<
`, []string{"rules[0].actions[0].move_stage", "lead.claimed is about a lead, which has no stage"}},
		{"a webhook action names a URL", `rules:
  - name: r
    trigger: deal.won
    actions:
      - webhook: hooks.example.com/x #<
`, []string{"rules[0].actions[0].webhook", `no http or https URL`}},
		{"a rule cannot lose a deal", `rules:
  - name: r
    trigger: deal.idle
    actions:
      - move_stage: lost #<
`, []string{"rules[0].actions[0].move_stage", "cannot lose a deal"}},
		{"a move to a stage the pipeline lacks is refused", `rules:
  - name: r
    trigger: deal.idle
    when: {pipeline: Sales}
    actions:
      - move_stage: Closing #<
`, []string{"rules[0].actions[0].move_stage", `unknown stage "Closing" in pipeline "Sales"`}},
		{"an unknown pipeline suggests one", `rules:
  - name: r
    trigger: deal.idle
    when:
      pipeline: Sale #<
    actions: [{notify: owner, text: hi}]
`, []string{"rules[0].when.pipeline", `unknown pipeline "Sale"; did you mean Sales?`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tt.src), "leadwire.yaml", nil)
			line := markedLine(t, tt.src)
			checkErr(t, err, append(tt.want, fmt.Sprintf("at line %d:", line))...)
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Line != line {
				t.Errorf("errors.As *config.Error = %+v, want line %d", ce, line)
			}
		})
	}
}
