package bot

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// command is one verb of the grammar.
type command struct {
	name    string
	aliases []string
	args    string // the usage after the name: "D45 STAGE"
	summary string
	min     int  // words required after the name
	slow    bool // aggregates over a team or everyone: may take seconds at scale
	run     func(ctx context.Context, r *request) Reply
}

// grammar is every command, in the order help lists them.
func (c *Conversation) grammar() []*command {
	return []*command{
		{name: "help", aliases: []string{"h", "?", "commands"}, args: "[COMMAND]", summary: "what you can say", run: c.help},
		{name: "leads", aliases: []string{"ll"}, args: "[mine|new|top|unclaimed]", summary: "list leads: yours (default), the team's new or unclaimed ones, the best scored", run: c.leads},
		{name: "lead", aliases: []string{"l"}, args: "L123", min: 1, summary: "show a lead", run: c.lead},
		{name: "claim", aliases: []string{"take", "c"}, args: "L123", min: 1, summary: "make an unclaimed lead of your team yours", run: c.claim},
		{name: "assign", aliases: []string{"give", "a"}, args: "L123 @rep|EMAIL|NAME|next", min: 2, summary: "give a lead to a rep of its team (managers)", run: c.assign},
		{name: "qualify", aliases: []string{"q", "qual"}, args: "L123 [PIPELINE] [VALUE CURRENCY]", min: 1, summary: "turn a lead into a deal", run: c.qualify},
		{name: "disqualify", aliases: []string{"dq", "disq", "junk"}, args: "L123 REASON", min: 1, summary: "close a lead with a reason", run: c.disqualify},
		{name: "deals", aliases: []string{"dd"}, args: "[mine|team|STAGE]", summary: "list open deals: yours (default), the team's, or in a stage", run: c.deals},
		{name: "deal", aliases: []string{"d"}, args: "D45", min: 1, summary: "show a deal", run: c.deal},
		{name: "move", aliases: []string{"mv", "m", "stage"}, args: "D45 STAGE", min: 1, summary: "move a deal to a stage (a name or its start: prop)", run: c.move},
		{name: "won", aliases: []string{"win", "w"}, args: "D45", min: 1, summary: "close a deal as won", run: c.won},
		{name: "lost", aliases: []string{"lose"}, args: "D45 REASON", min: 1, summary: "close a deal as lost, with a reason", run: c.lost},
		{name: "reopen", args: "D45", min: 1, summary: "put a won or lost deal back into its last open stage", run: c.reopen},
		{name: "note", aliases: []string{"n"}, args: "D45|L123 TEXT", min: 2, summary: "add a note to the timeline", run: c.note},
		{name: "reply", aliases: []string{"answer"}, args: "L123|D45 TEXT", min: 2, summary: "answer the prospect in the chat they wrote from (Telegram, a Slack intake channel)", run: c.reply},
		{name: "value", aliases: []string{"v", "amount"}, args: "D45 AMOUNT [CURRENCY]", min: 2, summary: "set a deal's value, e.g. value D45 12000 EUR", run: c.value},
		{name: "close", aliases: []string{"closing", "expect"}, args: "D45 DATE", min: 2, summary: "set a deal's expected close date, e.g. close D45 2027-01-15", run: c.setClose},
		{name: "remind", aliases: []string{"r", "followup", "fu"}, args: "D45|L123 WHEN WHAT", min: 2, summary: "set a follow-up, e.g. remind D45 tomorrow 9am call back", run: c.remind},
		{name: "enroll", aliases: []string{"sequence", "seq"}, args: "D45|L123 SEQUENCE", min: 2, summary: "mail the contact a configured email sequence, e.g. enroll D45 welcome", run: c.enroll},
		{name: "unenroll", aliases: []string{"unseq"}, args: "D45|L123 [SEQUENCE]", min: 1, summary: "stop the contact's email sequences", run: c.unenroll},
		{name: "tasks", aliases: []string{"t", "todo"}, summary: "your open tasks", run: c.tasks},
		{name: "today", aliases: []string{"td"}, summary: "your tasks due today or overdue", run: c.today},
		{name: "done", aliases: []string{"x", "complete"}, args: "T7", min: 1, summary: "mark a task done", run: c.done},
		{name: "snooze", aliases: []string{"later", "sn"}, args: "T7 WHEN", min: 2, summary: "put a task off, e.g. snooze T7 2h", run: c.snooze},
		{name: "review", aliases: []string{"rv", "attention"}, summary: "rotting deals, overdue tasks and unclaimed leads", run: c.review},
		{name: "pipeline", aliases: []string{"p", "pipe"}, args: "[team]", summary: "your open deals by stage, with the weighted total", run: c.pipelineCmd},
		{name: "stats", aliases: []string{"st", "metrics"}, args: "[me|team] [month|YYYY-MM]", summary: "win rate, values and the funnel", run: c.stats, slow: true},
		{name: "forecast", aliases: []string{"fc"}, args: "[YYYY-MM]", summary: "weighted forecast against the target", run: c.forecast, slow: true},
		{name: "company", aliases: []string{"co", "org"}, args: "NAME", min: 1, summary: "a company: its people, open deals, value and last activity", run: c.company},
		{name: "merge", args: "C12 C34", min: 2, summary: "merge contact C34 into C12, after showing what changes (managers, admins)", run: c.merge},
		{name: "audit", aliases: []string{"history"}, args: "D45|L123|C12", min: 1, summary: "who changed the record, how and when (admins)", run: c.auditCmd},
		{name: "find", aliases: []string{"f", "search"}, args: "TEXT", min: 1, summary: "find contacts by name, company, email or phone", run: c.find},
		{name: "link", args: "telegram", min: 1, summary: "link your Telegram account", run: c.link},
	}
}

// Slow reports whether answering text may take longer than a chat waits
// (Slack: 3 seconds) on a big pipeline: reports over a team or everyone.
// An adapter acknowledges such a command at once and sends the reply as a
// follow-up.
func (c *Conversation) Slow(text string) bool {
	word, a := splitCommand(text)
	cmd := c.byName[word]
	switch {
	case cmd == nil:
		return false
	case cmd.name == "pipeline":
		mode, _ := pick(a.word(0), "mine", "team")
		return mode == "team"
	}
	return cmd.slow
}

// args are the words after the command, with the raw text they came from
// so free text keeps its spacing.
type args struct {
	text   string
	words  []string
	starts []int
}

func (a args) len() int { return len(a.words) }

// word returns the i-th word, "" past the end.
func (a args) word(i int) string {
	if i < len(a.words) {
		return a.words[i]
	}
	return ""
}

// rest returns the raw text from the i-th word on.
func (a args) rest(i int) string {
	if i >= len(a.words) {
		return ""
	}
	return strings.TrimSpace(a.text[a.starts[i]:])
}

// splitCommand reads the command word (lower-cased, without a leading "/"
// or a Telegram "@botname") and the words after it. A Slack mention of the
// bot in front ("<@U0BOT> deals") is dropped.
func splitCommand(text string) (string, args) {
	a := args{text: text}
	start := -1
	for i, r := range text + " " {
		switch {
		case unicode.IsSpace(r) && start >= 0:
			a.words, a.starts = append(a.words, text[start:i]), append(a.starts, start)
			start = -1
		case !unicode.IsSpace(r) && start < 0:
			start = i
		}
	}
	if len(a.words) > 0 && strings.HasPrefix(a.words[0], "<@") && strings.HasSuffix(a.words[0], ">") {
		a.words, a.starts = a.words[1:], a.starts[1:]
	}
	if len(a.words) == 0 {
		return "", a
	}
	word := strings.ToLower(strings.TrimPrefix(a.words[0], "/"))
	word, _, _ = strings.Cut(word, "@")
	a.words, a.starts = a.words[1:], a.starts[1:]
	return word, a
}

// usage is the reply to a command missing its arguments.
func (c *Conversation) usage(cmd *command) Reply {
	return Reply{Tone: ToneWarn, Ephemeral: true, Text: "usage: " + c.usageLine(cmd)}
}

func (c *Conversation) usageLine(cmd *command) string {
	return strings.TrimSpace(c.cmd(cmd.name + " " + cmd.args))
}

// unknownCommand suggests the closest command to a typo.
func (c *Conversation) unknownCommand(word string) Reply {
	var best *command
	dist := 1 << 30
	for _, cmd := range c.commands {
		for _, name := range append([]string{cmd.name}, cmd.aliases...) {
			if d := editDistance(word, name); d < dist {
				best, dist = cmd, d
			}
		}
	}
	text := fmt.Sprintf("unknown command %q", word)
	if n := len([]rune(word)); (n >= 3 && dist <= 1) || (n >= 4 && dist <= max(2, n/3)) {
		text += fmt.Sprintf("; did you mean %s? usage: %s", best.name, c.usageLine(best))
	} else {
		text += "; type " + c.cmd("help") + " for the list"
	}
	return Reply{Tone: ToneWarn, Ephemeral: true, Text: text}
}

// help lists the commands, or explains one.
func (c *Conversation) help(_ context.Context, r *request) Reply {
	if w := strings.ToLower(r.args.word(0)); w != "" {
		cmd := c.byName[strings.TrimPrefix(w, "/")]
		if cmd == nil {
			return c.unknownCommand(w)
		}
		text := c.usageLine(cmd) + "\n" + cmd.summary
		if len(cmd.aliases) > 0 {
			text += "\nalso: " + strings.Join(cmd.aliases, ", ")
		}
		return Reply{Text: text, Ephemeral: true}
	}
	l := List{Title: "Commands (ids: L123 leads, D45 deals, T7 tasks; type an id alone to show it)"}
	for _, cmd := range c.commands {
		l.Items = append(l.Items, Item{Text: c.usageLine(cmd), Detail: cmd.summary})
	}
	return Reply{Lists: []List{l}, Ephemeral: true}
}

// editDistance is the optimal string alignment distance by runes: edits
// and swaps of neighbours ("mvoe" is one from "move").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
