package bot

import (
	"context"
	"strings"

	"leadwire/internal/lang"
)

// language shows the asker's language, or sets it: "language th";
// "language auto" goes back to the chat account's or the organisation's.
// Anyone may set their own, and only their own.
func (c *Conversation) language(ctx context.Context, r *request) Reply {
	var names []string
	for _, l := range lang.Languages {
		names = append(names, l+" ("+c.cat.For(l).T("language.name")+")")
	}
	word := r.args.word(0)
	if word == "" {
		return Reply{Ephemeral: true, Text: r.t("language.current", "Name", r.t("language.name"),
			"Command", c.cmd(c.word(r.p, c.byName["language"])+" "+r.p.Lang()), "List", strings.Join(names, ", "))}
	}
	tag := ""
	if w := strings.ToLower(word); w != "auto" && w != "default" {
		if tag = lang.Match(word); tag == "" {
			return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("language.unknown", "Word", word, "List", strings.Join(names, ", "))}
		}
	}
	u, err := c.svc.Directory.SetLanguage(ctx, r.user, tag)
	if err != nil {
		return c.fail(r, err)
	}
	p := c.printer(u) // the answer in the language just chosen
	return Reply{Tone: ToneGood, Ephemeral: true, Text: p.T("language.set", "Name", p.T("language.name"))}
}
