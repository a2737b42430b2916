package bot

import (
	"context"
	"strconv"
	"strings"
	"unicode"

	"leadwire/internal/lang"
)

// command is one verb of the grammar.
type command struct {
	name    string
	aliases []string
	args    string // the usage after the name: "D45 STAGE"; the catalog's cmd.NAME.args is this in each language
	min     int    // words required after the name
	slow    bool   // aggregates over a team or everyone: may take seconds at scale
	run     func(ctx context.Context, r *request) Reply
}

// grammar is every command, in the order help lists them. What help says
// of a command is the catalog's cmd.NAME.summary; the words it may be
// typed as in a language besides these, cmd.NAME.words.
func (c *Conversation) grammar() []*command {
	return []*command{
		{name: "help", aliases: []string{"h", "?", "commands"}, args: "[COMMAND]", run: c.help},
		{name: "leads", aliases: []string{"ll"}, args: "[mine|new|top|unclaimed]", run: c.leads},
		{name: "lead", aliases: []string{"l"}, args: "L123", min: 1, run: c.lead},
		{name: "claim", aliases: []string{"take", "c"}, args: "L123", min: 1, run: c.claim},
		{name: "assign", aliases: []string{"give", "a", "handover"}, args: "L123|D45 @rep|EMAIL|NAME|next", min: 2, run: c.assign},
		{name: "qualify", aliases: []string{"q", "qual"}, args: "L123 [PIPELINE] [VALUE CURRENCY]", min: 1, run: c.qualify},
		{name: "disqualify", aliases: []string{"dq", "disq", "junk"}, args: "L123 REASON", min: 1, run: c.disqualify},
		{name: "deals", aliases: []string{"dd"}, args: "[mine|team|STAGE]", run: c.deals},
		{name: "deal", aliases: []string{"d"}, args: "D45", min: 1, run: c.deal},
		{name: "move", aliases: []string{"mv", "m", "stage"}, args: "D45 STAGE", min: 1, run: c.move},
		{name: "won", aliases: []string{"win", "w"}, args: "D45", min: 1, run: c.won},
		{name: "lost", aliases: []string{"lose"}, args: "D45 REASON", min: 1, run: c.lost},
		{name: "reopen", args: "D45", min: 1, run: c.reopen},
		{name: "note", aliases: []string{"n"}, args: "D45|L123 TEXT", min: 2, run: c.note},
		{name: "reply", aliases: []string{"answer"}, args: "L123|D45 TEXT", min: 2, run: c.reply},
		{name: "value", aliases: []string{"v", "amount"}, args: "D45 AMOUNT [CURRENCY]", min: 2, run: c.value},
		{name: "close", aliases: []string{"closing", "expect"}, args: "D45 DATE", min: 2, run: c.setClose},
		{name: "remind", aliases: []string{"r", "followup", "fu"}, args: "[@rep] D45|L123 WHEN WHAT", min: 2, run: c.remind},
		{name: "enroll", aliases: []string{"sequence", "seq"}, args: "D45|L123 SEQUENCE", min: 2, run: c.enroll},
		{name: "unenroll", aliases: []string{"unseq"}, args: "D45|L123 [SEQUENCE]", min: 1, run: c.unenroll},
		{name: "tasks", aliases: []string{"t", "todo"}, run: c.tasks},
		{name: "today", aliases: []string{"td"}, run: c.today},
		{name: "done", aliases: []string{"x", "complete"}, args: "T7", min: 1, run: c.done},
		{name: "snooze", aliases: []string{"later", "sn"}, args: "T7 WHEN", min: 2, run: c.snooze},
		{name: "review", aliases: []string{"rv", "attention"}, run: c.review},
		{name: "pipeline", aliases: []string{"p", "pipe"}, args: "[team]", run: c.pipelineCmd},
		{name: "stats", aliases: []string{"st", "metrics"}, args: "[me|team] [month|YYYY-MM]", run: c.stats, slow: true},
		{name: "forecast", aliases: []string{"fc"}, args: "[YYYY-MM]", run: c.forecast, slow: true},
		{name: "company", aliases: []string{"co", "org"}, args: "NAME", min: 1, run: c.company},
		{name: "merge", args: "C12 C34", min: 2, run: c.merge},
		{name: "history", aliases: []string{"hist", "timeline", "log"}, args: "D45|L123", min: 1, run: c.history},
		{name: "why", aliases: []string{"score"}, args: "L123|D45", min: 1, run: c.why},
		{name: "audit", args: "D45|L123|C12", min: 1, run: c.auditCmd},
		{name: "find", aliases: []string{"f", "search"}, args: "TEXT", min: 1, run: c.find},
		{name: "link", args: "telegram", min: 1, run: c.link},
		{name: "language", aliases: []string{"lang"}, args: "[en|th|fa|vi|pl|zh-Hans|auto]", run: c.language},
	}
}

// Slow reports whether answering text may take longer than a chat waits
// (Slack: 3 seconds) on a big pipeline: reports over a team or everyone.
// An adapter acknowledges such a command at once and sends the reply as a
// follow-up.
func (c *Conversation) Slow(text string) bool {
	word, a := splitCommand(text)
	cmd := c.byName[word]
	for _, words := range c.byLang {
		if cmd != nil {
			break
		}
		if cmd = words[word+" "+strings.ToLower(a.word(0))]; cmd != nil {
			a = args{text: a.text, words: a.words[1:], starts: a.starts[1:]} // the words after the phrase
		} else {
			cmd = words[word]
		}
	}
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

// localWords maps the words each language types the commands as (the
// catalog's cmd.NAME.words, the first being how help shows it) to the
// commands.
func (c *Conversation) localWords() map[string]map[string]*command {
	out := map[string]map[string]*command{}
	for _, l := range lang.Languages {
		p, words := c.cat.For(l), map[string]*command{}
		for _, cmd := range c.commands {
			for _, w := range strings.Fields(p.T("cmd." + cmd.name + ".words")) {
				// "hôm_nay" is typed as two words: "hôm nay".
				if w = strings.ToLower(strings.ReplaceAll(w, "_", " ")); words[w] == nil {
					words[w] = cmd
				}
			}
		}
		out[l] = words
	}
	return out
}

// commandOf finds the command the text starts with: a two-word one of the
// asker's language ("hôm nay") first; it returns the words after it.
func (c *Conversation) commandOf(p *lang.Printer, word string, a args) (*command, args) {
	if a.len() > 0 {
		if cmd := c.byLang[p.Lang()][word+" "+strings.ToLower(a.word(0))]; cmd != nil {
			a.words, a.starts = a.words[1:], a.starts[1:]
			return cmd, a
		}
	}
	return c.command(p, word), a
}

// command finds the command a word names: in the asker's language, else
// in English.
func (c *Conversation) command(p *lang.Printer, word string) *command {
	if cmd := c.byLang[p.Lang()][word]; cmd != nil {
		return cmd
	}
	return c.byName[word]
}

// word is how the asker's language types cmd.
func (c *Conversation) word(p *lang.Printer, cmd *command) string {
	if f := strings.Fields(p.T("cmd." + cmd.name + ".words")); len(f) > 0 {
		return strings.ReplaceAll(f[0], "_", " ")
	}
	return cmd.name
}

// usage is the reply to a command missing its arguments.
func (c *Conversation) usage(r *request, cmd *command) Reply {
	return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("usage", "Usage", c.usageLine(r, cmd))}
}

func (c *Conversation) usageLine(r *request, cmd *command) string {
	args := ""
	if cmd.args != "" {
		args = r.t("cmd." + cmd.name + ".args")
	}
	return strings.TrimSpace(c.cmd(c.word(r.p, cmd) + " " + args))
}

// unknownCommand suggests the closest command to a typo, among the
// English words and the asker's language's.
func (c *Conversation) unknownCommand(r *request, word string) Reply {
	var best *command
	dist := 1 << 30
	try := func(cmd *command, name string) {
		if d := editDistance(word, name); d < dist {
			best, dist = cmd, d
		}
	}
	for _, cmd := range c.commands {
		for _, name := range append([]string{cmd.name}, cmd.aliases...) {
			try(cmd, name)
		}
	}
	for w, cmd := range c.byLang[r.p.Lang()] {
		try(cmd, w)
	}
	if n := len([]rune(word)); (n >= 3 && dist <= 1) || (n >= 4 && dist <= max(2, n/3)) {
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("unknown_command.did_you_mean",
			"Word", strconv.Quote(word), "Command", c.word(r.p, best), "Usage", c.usageLine(r, best))}
	}
	return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("unknown_command", "Word", strconv.Quote(word), "Help", c.cmd(c.word(r.p, c.byName["help"])))}
}

// help lists the commands, or explains one.
func (c *Conversation) help(_ context.Context, r *request) Reply {
	if w := strings.ToLower(r.args.word(0)); w != "" {
		cmd := c.command(r.p, strings.TrimPrefix(w, "/"))
		if cmd == nil {
			return c.unknownCommand(r, w)
		}
		text := c.usageLine(r, cmd) + "\n" + r.t("cmd."+cmd.name+".summary")
		also := cmd.aliases
		if local := c.word(r.p, cmd); local != cmd.name {
			also = append([]string{cmd.name}, also...)
		}
		if len(also) > 0 {
			text += "\n" + r.t("help.also", "Words", strings.Join(also, ", "))
		}
		return Reply{Text: text, Ephemeral: true}
	}
	l := List{Title: r.t("help.title")}
	for _, cmd := range c.commands {
		l.Items = append(l.Items, Item{Text: c.usageLine(r, cmd), Detail: r.t("cmd." + cmd.name + ".summary")})
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
