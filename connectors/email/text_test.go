package email

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSnippetTrimsRepliesAndSignatures(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"a Gmail reply loses the quoted thread",
			"Yes, Thursday works.\n\nOn Tue, Mar 12, 2024 at 10:15 AM Anna Nowak <anna@example.pl> wrote:\n> Can we meet?\n> Anna",
			"Yes, Thursday works."},
		{"a Gmail header wrapped over two lines",
			"Sounds good.\n\nOn Tue, Mar 12, 2024 at 10:15 AM Very Long Name Of The Sender <\nsender@example.com> wrote:\n\n> quoted",
			"Sounds good."},
		{"a German reply", "Passt.\n\nAm 12.03.2024 um 10:15 schrieb Jan Müller <jan@example.de>:\n> Frage", "Passt."},
		{"a French reply", "D'accord.\n\nLe mar. 12 mars 2024 à 10:15, Marie <marie@example.fr> a écrit :\n> Bonjour", "D'accord."},
		{"a Polish reply", "Dziękuję, proszę o fakturę.\n\nW dniu 12.03.2024 o 10:15, Jan Kowalski <jan@example.pl> pisze:\n> Oferta w załączniku",
			"Dziękuję, proszę o fakturę."},
		{"a Vietnamese Gmail reply", "Cảm ơn anh.\n\nVào Th 3, 12 thg 3, 2024 vào lúc 10:15 Hải <hai@example.vn> đã viết:\n> Chào",
			"Cảm ơn anh."},
		{"a Russian Gmail reply without a verb",
			"Спасибо.\n\nвт, 12 мар. 2024 г. в 10:15, Иван <ivan@example.ru>:\n\n> Добрый день", "Спасибо."},
		{"an Outlook reply with a separator",
			"Please send the contract.\n\n-----Original Message-----\nFrom: Sales <sales@leadwire.test>\nSent: Tuesday\nSubject: Offer",
			"Please send the contract."},
		{"an Outlook reply with a From/Sent block",
			"Approved.\n\n________________________________\nFrom: Sales <sales@leadwire.test>\nSent: Tuesday, March 12, 2024 10:15 AM\nTo: Jan\nSubject: Offer",
			"Approved."},
		{"a German Outlook block without a separator",
			"Gerne.\n\nVon: Vertrieb <v@leadwire.test>\nGesendet: Dienstag, 12. März 2024 10:15\nAn: Jan",
			"Gerne."},
		{"inline answers keep the new lines and drop the quoted ones",
			"> Do you ship to Poland?\nYes.\n> And the price?\n100 EUR.", "Yes.\n100 EUR."},
		{"the RFC 3676 signature delimiter", "Best offer please.\n\n-- \nJan Kowalski\nCEO, Example", "Best offer please."},
		{"a signature delimiter without its trailing space", "Call me.\n--\nJan\n+48 600 000 000", "Call me."},
		{"Sent from my iPhone", "Ok, deal.\n\nSent from my iPhone", "Ok, deal."},
		{"a German mobile signature", "Ok.\n\nVon meinem iPhone gesendet\n\n> alt", "Ok."},
		{"Get Outlook for Android", "Noted.\n\nGet Outlook for Android<https://aka.ms/ghei36>", "Noted."},
		{"a forwarded message is kept: the lead is in it",
			"FYI, a lead for you.\n\n---------- Forwarded message ---------\nFrom: Jan <jan@example.pl>\nDate: Tue, 12 Mar 2024\nSubject: Quote\n\nWe need 100 units.",
			"FYI, a lead for you.\n\n---------- Forwarded message ---------\nFrom: Jan <jan@example.pl>\nDate: Tue, 12 Mar 2024\nSubject: Quote\n\nWe need 100 units."},
		{"a reply with nothing new keeps the whole text",
			"On Tue, Mar 12, 2024 at 10:15 AM Anna <anna@example.pl> wrote:\n> Can we meet?",
			"On Tue, Mar 12, 2024 at 10:15 AM Anna <anna@example.pl> wrote:\n> Can we meet?"},
		{"blank lines collapse", "a\n\n\n\nb  \n", "a\n\nb"},
		{"a sentence mentioning who wrote stays", "On reflection, I wrote to them yesterday.\nThanks", "On reflection, I wrote to them yesterday.\nThanks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := snippet(tt.text, 2000); got != tt.want {
				t.Errorf("snippet:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestSnippetIsCapped(t *testing.T) {
	s := snippet(strings.Repeat("ż", 5000), 2000)
	if n := utf8.RuneCountInString(s); n != 2000 || !strings.HasSuffix(s, "…") {
		t.Errorf("%d runes, ends %q", n, s[len(s)-6:])
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{"paragraphs and line breaks", "<p>one<br>two</p><p>three</p>", "one\ntwo\n\nthree"},
		{"two line breaks leave a blank line", "a<br><br>b", "a\n\nb"},
		{"divs are lines", "<div>a</div><div>b</div>", "a\nb"},
		{"ordered and nested lists", "<ol><li>first</li><li>second<ul><li>sub</li></ul></li></ol>", "1. first\n2. second\n  - sub"},
		{"links show their target", `<a href="https://x.org/a?b=1&amp;c=2">prices</a>`, "prices (https://x.org/a?b=1&c=2)"},
		{"a link whose text is its target shows once", `<a href="https://x.org/">https://x.org/</a>`, "https://x.org/"},
		{"mailto links show the address", `<a href="mailto:jan@x.org?subject=Hi">write to Jan</a>`, "write to Jan (jan@x.org)"},
		{"image links and javascript links add nothing", `<a href="https://t.x/p"><img src="p.gif"></a><a href="javascript:void(0)">click</a>`, "click"},
		{"script, style and comments are dropped", "<style>.a{}</style><script>x()</script><!-- c --><!--[if mso]>mso<![endif]-->text", "text"},
		{"entities decode", "&lt;b&gt; &amp; &eacute;&#233;&#x20AC; &quot;q&quot;", "<b> & éé€ \"q\""},
		{"white space collapses outside pre", "a \n\t  b", "a b"},
		{"pre keeps its lines", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"blockquotes become quoted lines", "<p>Yes.</p><div>On Tue, Jan wrote:</div><blockquote><p>Question?</p></blockquote>", "Yes.\n\nOn Tue, Jan wrote:\n\n> Question?"},
		{"zero-width preheader padding is dropped", "Hi\u200c\u034f there\u00ad", "Hi there"},
		{"table cells are spaced", "<table><tr><td>Name:</td><td>Jan</td></tr><tr><td>Phone:</td><td>600</td></tr></table>", "Name: Jan\nPhone: 600"},
		{"unclosed head still shows the body", "<html><head><body><p>From one piece</p>", "From one piece"},
		{"broken markup keeps the text", "<p>a <b>b <i>c</p> <<>> d", "a b c\n\n<<>> d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.html, 1<<20); got != tt.want {
				t.Errorf("htmlToText(%q) =\n%q\nwant\n%q", tt.html, got, tt.want)
			}
		})
	}
	t.Run("output stops at the limit", func(t *testing.T) {
		if got := htmlToText(strings.Repeat("<p>word</p>", 10000), 100); len(got) > 110 {
			t.Errorf("%d bytes", len(got))
		}
	})
}

func TestHTMLRepliesTrim(t *testing.T) {
	tests := []struct{ name, html, want string }{
		{"a Gmail HTML reply",
			`<div dir="ltr">Thursday works for us.<div><br></div><div>Jan</div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, Mar 12, 2024 at 10:15 AM Anna Nowak &lt;<a href="mailto:anna@example.pl">anna@example.pl</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px"><div dir="ltr">Can we meet?</div></blockquote></div>`,
			"Thursday works for us.\n\nJan"},
		{"an Outlook HTML reply",
			`<div>Please send the contract.</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> Sales &lt;sales@leadwire.test&gt;<br><b>Sent:</b> Tuesday, March 12, 2024 10:15 AM<br><b>To:</b> Jan<br><b>Subject:</b> Offer</font><div>&nbsp;</div></div><div>Old text</div>`,
			"Please send the contract."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, "From: jan@example.pl\nContent-Type: text/html; charset=utf-8\n\n"+tt.html)
			if m.Snippet != tt.want {
				t.Errorf("snippet %q, want %q (text %q)", m.Snippet, tt.want, m.Text)
			}
		})
	}
}
