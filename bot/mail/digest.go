package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"html/template"
	"net/mail"
	"strings"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/lang"
)

// DigestMail renders a digest reply (bot.Conversation.DigestReply) as an
// email: plain text, HTML with every text escaped, and its charts inline,
// shown by cid: URLs.
func DigestMail(r bot.Reply) (text, html string, inline []Inline, err error) {
	return replyMail(r, lang.Default().For(r.Lang).T("mail.digest_footer"))
}

// replyMail renders a reply as an email; the HTML ends with footer.
func replyMail(r bot.Reply, footer string) (text, html string, inline []Inline, err error) {
	p := lang.Default().For(r.Lang)
	var t strings.Builder
	t.WriteString(r.Text + "\n" + strings.Repeat("=", display.Width(r.Text)) + "\n")
	for _, c := range r.Cards {
		t.WriteString("\n" + c.Title + "\n")
		if c.Status != "" {
			t.WriteString(c.Status + "\n")
		}
		for _, f := range c.Fields {
			t.WriteString("  " + f.Label + ": " + f.Value + "\n")
		}
		if c.Note != "" {
			t.WriteString("  (" + c.Note + ")\n")
		}
	}
	for _, l := range r.Lists {
		t.WriteString("\n" + l.Title + "\n")
		if len(l.Items) == 0 {
			t.WriteString("  " + l.Empty + "\n")
		}
		for _, it := range l.Items {
			line := "  - " + it.Text
			if it.Ref != "" {
				line = "  - " + it.Ref + " " + it.Text
			}
			t.WriteString(line + "\n")
			if it.Detail != "" {
				t.WriteString("    " + it.Detail + "\n")
			}
		}
		if l.More != "" {
			t.WriteString("  " + l.More + "\n")
		}
	}
	type chart struct{ CID, Title string }
	var charts []chart
	for i, c := range r.Charts {
		cid := fmt.Sprintf("chart%d.%s@leadwire", i+1, strings.TrimSuffix(c.Name, ".png"))
		inline = append(inline, Inline{ContentID: cid, ContentType: "image/png", Name: c.Name, Data: c.PNG})
		charts = append(charts, chart{CID: "cid:" + cid, Title: c.Title})
		t.WriteString("\n[" + p.T("mail.see_html", "Title", c.Title) + "]\n")
	}
	// The page says its language, and Persian reads right to left; an
	// English page stays as it always was.
	htmlLang := ""
	if r.Lang != "" && r.Lang != "en" {
		htmlLang = r.Lang
	}
	var h bytes.Buffer
	err = digestHTML.Execute(&h, struct {
		bot.Reply
		Images   []chart
		Footer   string
		HTMLLang string
		RTL      bool
	}{r, charts, footer, htmlLang, p.RTL()})
	if err != nil {
		return "", "", nil, fmt.Errorf("render digest mail: %w", err)
	}
	return t.String(), h.String(), inline, nil
}

var digestHTML = template.Must(template.New("digest").Funcs(template.FuncMap{
	"cid": func(s string) template.URL { return template.URL(s) }, // our own cid: URLs, never user text
	"tone": func(t bot.Tone) string {
		return map[bot.Tone]string{bot.ToneGood: "#1a7f37", bot.ToneWarn: "#9a6700", bot.ToneBad: "#cf222e"}[t]
	},
}).Parse(`<!DOCTYPE html>
{{if .HTMLLang}}<html lang="{{.HTMLLang}}"{{if .RTL}} dir="rtl"{{end}}>{{else}}<html>{{end}}<head><meta charset="utf-8"><title>{{.Text}}</title></head>
<body style="font-family:-apple-system,Segoe UI,Roboto,Noto Sans,Arial,sans-serif;color:#1f2328;max-width:680px;margin:0 auto;padding:16px">
<h1 style="font-size:20px;margin:0 0 16px">{{.Text}}</h1>
{{range .Images}}<p style="margin:0 0 12px"><img src="{{cid .CID}}" alt="{{.Title}}" width="640" style="max-width:100%;height:auto"><br><span dir="auto" style="font-size:13px;color:#57606a">{{.Title}}</span></p>
{{end}}{{range .Cards}}<table role="presentation" style="width:100%;border-collapse:collapse;margin:0 0 16px;border:1px solid #d0d7de">
<tr><th colspan="2" dir="auto" style="text-align:start;background:#f6f8fa;padding:8px;font-size:15px">{{.Title}}</th></tr>
{{if .Status}}<tr><td colspan="2" dir="auto" style="padding:6px 8px;color:{{with tone .Tone}}{{.}}{{else}}#57606a{{end}}">{{.Status}}</td></tr>
{{end}}{{range .Fields}}<tr><td dir="auto" style="padding:4px 8px;border-top:1px solid #eaeef2">{{.Label}}</td><td dir="auto" style="padding:4px 8px;border-top:1px solid #eaeef2;text-align:end;white-space:nowrap">{{.Value}}</td></tr>
{{end}}{{if .Note}}<tr><td colspan="2" style="padding:6px 8px;color:#57606a;font-size:12px">{{.Note}}</td></tr>
{{end}}</table>
{{end}}{{range .Lists}}<h2 style="font-size:16px;margin:16px 0 8px">{{.Title}}</h2>
{{if .Items}}<ul style="padding-inline-start:20px;margin:0 0 16px">
{{range .Items}}<li dir="auto" style="margin:0 0 6px">{{if .Ref}}<b>{{.Ref}}</b> {{end}}{{.Text}}{{if .Detail}}<br><span style="color:#57606a;font-size:13px">{{.Detail}}</span>{{end}}</li>
{{end}}</ul>{{if .More}}<p style="color:#57606a">{{.More}}</p>{{end}}
{{else}}<p style="color:#57606a;margin:0 0 16px">{{.Empty}}</p>
{{end}}{{end}}<p dir="auto" style="color:#8c959f;font-size:12px">{{.Footer}}</p>
</body></html>
`))

// Notifier delivers digests by email: the email channel's core.Notifier.
type Notifier struct {
	svc    *core.Service
	conv   *bot.Conversation
	sender *Sender
}

// NewNotifier returns the email notifier: digests rendered by conv, sent
// through sender to each manager's address.
func NewNotifier(svc *core.Service, conv *bot.Conversation, sender *Sender) *Notifier {
	return &Notifier{svc: svc, conv: conv, sender: sender}
}

// Channel implements core.Notifier.
func (n *Notifier) Channel() string { return core.ChannelEmail }

// Notify implements core.Notifier: it builds the digest of the notice's
// day for its manager and mails it. Email carries only digests. The
// Message-ID is the notice's own, so a retried delivery is the same mail.
func (n *Notifier) Notify(ctx context.Context, no core.Notice) error {
	if no.UserID == 0 {
		return n.notifyTeam(ctx, no)
	}
	if no.Kind != core.NoticeDigest {
		return core.Undeliverable(fmt.Errorf("email carries a user digests only, not %s notices", no.Kind))
	}
	u, err := n.svc.Directory.UserByID(ctx, no.UserID)
	if err != nil {
		if core.IsNotFound(err) {
			return core.Undeliverable(err)
		}
		return fmt.Errorf("digest mail: %w", err)
	}
	if u.Email == "" {
		return core.Undeliverable(fmt.Errorf("user %d has no email address", u.ID))
	}
	rep, err := n.conv.DigestReply(ctx, u.ID, no.Date)
	if err != nil {
		return fmt.Errorf("digest mail: %w", err)
	}
	m, err := DigestMessage(rep, mail.Address{Name: u.Name, Address: u.Email}, n.sender.From(), no)
	if err != nil {
		return err
	}
	return n.send(ctx, m, fmt.Sprintf("user %d", u.ID))
}

// notifyTeam mails a team notice (a new lead, one left unclaimed) to the
// team's address.
func (n *Notifier) notifyTeam(ctx context.Context, no core.Notice) error {
	t, err := n.svc.Directory.TeamByID(ctx, no.TeamID)
	if err != nil {
		if core.IsNotFound(err) {
			return core.Undeliverable(err)
		}
		return fmt.Errorf("%s mail: %w", no.Kind, err)
	}
	if t.Email == "" {
		return core.Undeliverable(fmt.Errorf("team %s has no email address", t.Name))
	}
	rep, err := n.conv.NoticeReply(ctx, no)
	if err != nil {
		return fmt.Errorf("%s mail: %w", no.Kind, err)
	}
	m, err := NoticeMessage(rep, mail.Address{Name: t.Name, Address: t.Email}, n.sender.From(), no)
	if err != nil {
		return err
	}
	return n.send(ctx, m, "team "+t.Name)
}

// send sends m; a refusal for good is undeliverable, others are retried.
func (n *Notifier) send(ctx context.Context, m *Message, to string) error {
	if _, err := n.sender.Send(ctx, m); err != nil {
		if Permanent(err) {
			return core.Undeliverable(err)
		}
		return fmt.Errorf("notice mail to %s: %w", to, err)
	}
	return nil
}

// NoticeMessage is the mail of a notice to a team's address: the reply
// as chat shows it, with how to act on it from chat, since a mail has no
// buttons. Its Message-ID comes from the notice's key, so a resend is
// recognisably the same mail.
func NoticeMessage(rep bot.Reply, to, from mail.Address, no core.Notice) (*Message, error) {
	p := lang.Default().For(rep.Lang)
	footer := p.T("mail.footer")
	if no.LeadID != 0 {
		footer = p.T("mail.footer_claim", "Ref", core.LeadRef(no.LeadID))
	}
	text, html, inline, err := replyMail(rep, footer)
	if err != nil {
		return nil, err
	}
	text += "\n-- \n" + footer + "\n"
	sum := sha256.Sum256([]byte(no.Key))
	return &Message{
		To: []mail.Address{to}, Subject: rep.Text, Text: text, HTML: html, Inline: inline,
		MessageID: fmt.Sprintf("notice.%x@%s", sum[:12], mailDomain(from)),
		Header:    map[string]string{"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
	}, nil
}

// mailDomain is the domain of our own Message-IDs: the sender's.
func mailDomain(from mail.Address) string {
	if i := strings.LastIndexByte(from.Address, '@'); i >= 0 {
		return from.Address[i+1:]
	}
	return "leadwire"
}

// DigestMessage is the mail of a digest reply to a manager.
func DigestMessage(rep bot.Reply, to, from mail.Address, no core.Notice) (*Message, error) {
	text, html, inline, err := DigestMail(rep)
	if err != nil {
		return nil, err
	}
	return &Message{
		To: []mail.Address{to}, Subject: rep.Text, Text: text, HTML: html, Inline: inline,
		MessageID: fmt.Sprintf("digest.%d.%s@%s", no.UserID, no.Date, mailDomain(from)),
		Header:    map[string]string{"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
	}, nil
}
