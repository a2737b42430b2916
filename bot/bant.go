package bot

import (
	"context"
	"strings"

	"leadwire/core"
	"leadwire/internal/lang"
)

// bantFields are the BANT answers, in order; the catalog's
// qualify.words.NAME are the words each is typed as in a language,
// besides the English name.
var bantFields = []string{"budget", "authority", "need", "timeline"}

// bantWords maps the words (of up to three, "người quyết định") that
// start each answer, in English and in the asker's language, to the
// answer's place in bantFields.
func bantWords(p *lang.Printer) map[string]int {
	out := map[string]int{}
	for i, f := range bantFields {
		out[f] = i
		for _, w := range strings.Fields(p.T("qualify.words." + f)) {
			out[strings.ToLower(strings.ReplaceAll(w, "_", " "))] = i
		}
	}
	return out
}

// readBANT finds BANT answers among the words from the i-th on: each
// keyword ("budget", "budget:") starts an answer that runs to the next
// keyword, spacing kept. It returns where the first keyword is (the
// number of words when there is none), the answers, and the keyword
// given without an answer, if any.
func readBANT(p *lang.Printer, a args, from int) (first int, q core.Qualification, empty string) {
	words := bantWords(p)
	type mark struct{ at, next, field int }
	var marks []mark
	for i := from; i < a.len(); i++ {
		for n := 3; n >= 1; n-- {
			if i+n > a.len() {
				continue
			}
			key := strings.ToLower(strings.TrimSuffix(strings.Join(a.words[i:i+n], " "), ":"))
			if f, ok := words[key]; ok {
				marks = append(marks, mark{at: i, next: i + n, field: f})
				i += n - 1
				break
			}
		}
	}
	if len(marks) == 0 {
		return a.len(), q, ""
	}
	answers := [4]string{}
	for k, m := range marks {
		end := len(a.text)
		if k+1 < len(marks) {
			end = a.starts[marks[k+1].at]
		}
		text := ""
		if m.next < a.len() && a.starts[m.next] < end {
			text = strings.TrimSpace(a.text[a.starts[m.next]:end])
		}
		text = strings.TrimSpace(strings.TrimPrefix(text, ":"))
		if text == "" {
			return marks[0].at, q, a.words[m.at]
		}
		if answers[m.field] != "" {
			text = answers[m.field] + "; " + text
		}
		answers[m.field] = text
	}
	q = core.Qualification{Budget: answers[0], Authority: answers[1], Need: answers[2], Timeline: answers[3]}
	return marks[0].at, q, ""
}

// qualifyDeal sets a deal's BANT answers: "qualify D45 budget … need …".
func (c *Conversation) qualifyDeal(ctx context.Context, r *request, id int64) Reply {
	first, q, empty := readBANT(r.p, r.args, 1)
	switch {
	case empty != "":
		return c.bantEmpty(r, empty)
	case first != 1 || q.Empty():
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("qualify.deal_bant", "Ref", core.DealRef(id),
			"Example", c.cmd(c.word(r.p, c.byName["qualify"])+" "+core.DealRef(id)+" "+r.t("qualify.example")))}
	}
	d, err := c.svc.SetQualification(ctx, r.user, id, q)
	if err != nil {
		return c.refuse(r, core.Ref{Kind: 'D', ID: id}, err)
	}
	return r.changed(r.t("qualify.bant_set", "Ref", d.Ref()), r.dealCard(ctx, d))
}

func (c *Conversation) bantEmpty(r *request, word string) Reply {
	return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("qualify.bant_empty", "Word", word,
		"Example", c.cmd(c.word(r.p, c.byName["qualify"])+" L12 "+r.t("qualify.example")))}
}

// bantFieldsOf shows the answers a deal has, each under its label.
func (r *request) bantFieldsOf(q core.Qualification) []Field {
	var out []Field
	for i, v := range []string{q.Budget, q.Authority, q.Need, q.Timeline} {
		if v != "" {
			out = append(out, Field{r.t("field." + bantFields[i]), v})
		}
	}
	return out
}

// QualifyForm qualifies a lead from a form (Slack's Qualify modal): the
// value as typed (amount and currency, may be empty) and the BANT
// answers, as the user who submitted it. A value it cannot read leaves
// the lead as it is and comes back as badValue, to be shown beside it.
func (c *Conversation) QualifyForm(ctx context.Context, user *core.User, leadRef, value string, q core.Qualification) (rep Reply, badValue string) {
	if user == nil || !user.Active {
		return Unknown("", ""), ""
	}
	ctx = core.WithVia(ctx, c.via())
	r := c.request(user, args{}, false)
	id, err := core.ParseRefOf(leadRef, 'L')
	if err != nil {
		return r.in(c.fail(r, err)), ""
	}
	in := core.QualifyInput{Qualification: q}
	if f := strings.Fields(value); len(f) > 0 {
		cur := c.svc.Settings().Currency
		if len(f) > 1 {
			cur = f[1]
		}
		v, err := core.ParseMoneyIn(f[0], cur, user.Locale)
		if err == nil && len(f) > 2 {
			err = core.Errorf(core.KindInvalid, "%s", r.t("qualify.modal.value_placeholder"))
		}
		if err != nil {
			rep := c.fail(r, err)
			return r.in(rep), rep.Text
		}
		in.Value = v
	}
	return r.in(c.doQualify(ctx, r, id, in)), ""
}
