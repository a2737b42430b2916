package chat_test

import (
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"leadwire/connectors/chat"
	"leadwire/core"
)

// TestToolPosts reads the prospect out of posts that form services, CRMs
// and workflows make in an intake channel, in Slack's markup and in our
// users' languages.
func TestToolPosts(t *testing.T) {
	for _, tc := range []struct {
		name, text                         string
		wantName, wantEmail, wantPhone     string
		wantCompany, wantSubject, wantText string
		wantMeta                           map[string]string
	}{
		{name: "Zapier's bold labels and Slack's links",
			text:     "*New lead*\n*Name:* Anna Nowak\n*Email:* <mailto:anna@firma.pl|anna@firma.pl>\n*Phone:* <tel:+48601234567|+48 601 234 567>\n*Company:* Firma &amp; Syn\n*Message:* Proszę o ofertę",
			wantName: "Anna Nowak", wantEmail: "anna@firma.pl", wantPhone: "+48 601 234 567", wantCompany: "Firma & Syn", wantText: "Proszę o ofertę",
			wantMeta: map[string]string{"posted_by": "Zapier"}},
		{name: "first and last name, a bulleted list, an extra field kept",
			text:     "• First name: Somchai\n• Last name: Prasert\n• Work email: somchai@siam.co.th\n• Plan: Enterprise\n• Website: <https://siam.co.th>",
			wantName: "Somchai Prasert", wantEmail: "somchai@siam.co.th", wantText: "• First name: Somchai\n• Last name: Prasert\n• Work email: somchai@siam.co.th\n• Plan: Enterprise\n• Website: https://siam.co.th",
			wantMeta: map[string]string{"posted_by": "Zapier", "Plan": "Enterprise", "Website": "https://siam.co.th"}},
		{name: "Chinese labels with full-width colons",
			text:     "姓名：王伟\n电话：+86 138 0013 8000\n公司：北京科技\n留言：我们想了解价格。",
			wantName: "王伟", wantPhone: "+86 138 0013 8000", wantCompany: "北京科技", wantText: "我们想了解价格。",
			wantMeta: map[string]string{"posted_by": "Zapier"}},
		{name: "Vietnamese, Thai and Persian labels",
			text:     "Họ và tên: Nguyễn Thị Lan\nSố điện thoại: 0912 345 678\nอีเมล: lan@viet.vn\nپیام: سلام",
			wantName: "Nguyễn Thị Lan", wantPhone: "0912 345 678", wantEmail: "lan@viet.vn", wantText: "سلام",
			wantMeta: map[string]string{"posted_by": "Zapier"}},
		{name: "no labels: the address in the text, the whole post the message",
			text:      "Ömer Yılmaz <mailto:omer@pars.example|omer@pars.example> asked for a demo",
			wantEmail: "omer@pars.example", wantText: "Ömer Yılmaz omer@pars.example asked for a demo",
			wantMeta: map[string]string{"posted_by": "Zapier"}},
		{name: "a mention and a link's scheme are no fields",
			text:        "<!here> new lead: <https://crm.example/leads/9|open in CRM>\nSubject: Pricing",
			wantSubject: "Pricing", wantText: "new lead: open in CRM\nSubject: Pricing",
			wantMeta: map[string]string{"posted_by": "Zapier", "new lead": "open in CRM"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := chat.SlackInbound(core.SlackMessage{Channel: "C0LEADS", TS: "1793610000.000100", User: "U0ZAP", Name: "Zapier bot",
				Email: "bot@zapier.example", Text: tc.text, Tool: "Zapier"})
			got := [...]string{in.Name, in.Email, in.Phone, in.Company, in.Subject, in.Text, in.Handle}
			want := [...]string{tc.wantName, tc.wantEmail, tc.wantPhone, tc.wantCompany, tc.wantSubject, tc.wantText, ""}
			if got != want {
				t.Errorf("name, email, phone, company, subject, text, handle:\n got %q\nwant %q", got, want)
			}
			if !maps.Equal(in.Metadata, tc.wantMeta) {
				t.Errorf("metadata %v, want %v", in.Metadata, tc.wantMeta)
			}
			if in.ExternalID != "slack:C0LEADS:1793610000.000100" || in.Channel != core.ChannelSlack {
				t.Errorf("key %s %s", in.Channel, in.ExternalID)
			}
		})
	}
}

// FuzzToolPost feeds the post reader any text: it must not panic, keeps
// the text valid UTF-8 when it was, never takes the tool for the prospect
// and keeps the extra fields bounded.
func FuzzToolPost(f *testing.F) {
	f.Add("*Name:* Anna\n*Email:* <mailto:a@b.pl|a@b.pl>")
	f.Add("姓名：王伟\n电话：138")
	f.Add("<!here> <https://x|y> <@U1> <#C1|leads> &amp;&lt;")
	f.Add(strings.Repeat("k: v\n", 100))
	f.Add("::\n：：\n*:*\n<|>\n<mailto:|>")
	f.Fuzz(func(t *testing.T, text string) {
		in := chat.SlackInbound(core.SlackMessage{Channel: "C0LEADS", TS: "1.2", User: "U0ZAP", Text: text, Tool: "Zapier"})
		if in.Handle != "" || in.Metadata["posted_by"] != "Zapier" || len(in.Metadata) > 21 {
			t.Fatalf("inbound %+v", in)
		}
		if utf8.ValidString(text) && !utf8.ValidString(in.Text+in.Name+in.Email+in.Phone+in.Company) {
			t.Fatalf("invalid UTF-8 out of %q: %+v", text, in)
		}
	})
}
