package email

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"leadwire/core"
)

func TestClassify(t *testing.T) {
	opts := ClassifyOptions{InternalDomains: []string{"LeadWire.test", "@acme.example"}}
	tests := []struct {
		name    string
		headers string
		body    string
		want    Verdict
	}{
		{"a plain message is a lead from its sender",
			"From: Jan Kowalski <jan@example.pl>\nSubject: Quote", "",
			Verdict{Kind: Lead, Contact: Address{"Jan Kowalski", "jan@example.pl"}}},
		{"Auto-Submitted: no is a lead",
			"From: jan@example.pl\nAuto-Submitted: no", "",
			Verdict{Kind: Lead, Contact: Address{"", "jan@example.pl"}}},
		{"Auto-Submitted: auto-replied is an auto-reply",
			"From: jan@example.pl\nAuto-Submitted: auto-replied", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "Auto-Submitted: auto-replied"}},
		{"Auto-Submitted: auto-generated with parameters is an auto-reply",
			"From: jan@example.pl\nAuto-Submitted: auto-generated; type=vacation", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "Auto-Submitted: auto-generated; type=vacation"}},
		{"X-Autoreply is an auto-reply",
			"From: jan@example.pl\nX-Autoreply: yes", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "X-Autoreply: yes"}},
		{"X-Autorespond is an auto-reply",
			"From: jan@example.pl\nX-Autorespond: Out of office", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "X-Autorespond: Out of office"}},
		{"Precedence: bulk is an auto-reply",
			"From: jan@example.pl\nPrecedence: bulk", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "Precedence: bulk"}},
		{"Precedence: junk is an auto-reply",
			"From: jan@example.pl\nPrecedence: junk", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "Precedence: junk"}},
		{"Precedence: auto_reply is an auto-reply",
			"From: jan@example.pl\nPrecedence: auto_reply", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "Precedence: auto_reply"}},
		{"Precedence: list is list mail",
			"From: jan@example.pl\nPrecedence: list", "",
			Verdict{Kind: Skip, Reason: ReasonList, Detail: "Precedence: list"}},
		{"an Outlook automatic reply subject",
			"From: jan@example.pl\nSubject: Automatic reply: Quote", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "Subject: Automatic reply: Quote"}},
		{"an Out of Office subject",
			"From: jan@example.pl\nSubject: Out of Office: Quote", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "Subject: Out of Office: Quote"}},
		{"a German Abwesenheitsnotiz",
			"From: jan@example.de\nSubject: Abwesenheitsnotiz: Angebot", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "Subject: Abwesenheitsnotiz: Angebot"}},
		{"a Polish automatic reply",
			"From: jan@example.pl\nSubject: =?utf-8?q?Odpowied=C5=BA_automatyczna:_Oferta?=", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "Subject: Odpowiedź automatyczna: Oferta"}},
		{"a subject merely about the office is a lead",
			"From: jan@example.pl\nSubject: Out of office chairs?", "",
			Verdict{Kind: Lead, Contact: Address{"", "jan@example.pl"}}},
		{"a null Return-Path is a bounce",
			"Return-Path: <>\nFrom: jan@example.pl", "",
			Verdict{Kind: Skip, Reason: ReasonBounce, Detail: "Return-Path: <>"}},
		{"a vacation reply with a null Return-Path is an auto-reply",
			"Return-Path: <>\nFrom: jan@example.pl\nAuto-Submitted: auto-replied", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "Auto-Submitted: auto-replied"}},
		{"a multipart/report is a bounce",
			"From: mail@example.pl\nContent-Type: multipart/report; report-type=delivery-status; boundary=b", "--b\n\nx\n--b--",
			Verdict{Kind: Skip, Reason: ReasonBounce, Detail: "Content-Type: multipart/report"}},
		{"a read receipt is an auto-reply",
			"From: jan@example.pl\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b", "--b\n\nx\n--b--",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "Content-Type: multipart/report; report-type=disposition-notification"}},
		{"MAILER-DAEMON is a bounce",
			"From: Mail Delivery System <MAILER-DAEMON@mx.example.pl>", "",
			Verdict{Kind: Skip, Reason: ReasonBounce, Detail: "From: MAILER-DAEMON@mx.example.pl"}},
		{"postmaster is a bounce",
			"From: postmaster@example.pl", "",
			Verdict{Kind: Skip, Reason: ReasonBounce, Detail: "From: postmaster@example.pl"}},
		{"X-Failed-Recipients is a bounce",
			"From: jan@example.pl\nX-Failed-Recipients: x@y.z", "",
			Verdict{Kind: Skip, Reason: ReasonBounce, Detail: "X-Failed-Recipients"}},
		{"a bounce wins over an auto-reply",
			"From: MAILER-DAEMON@example.pl\nAuto-Submitted: auto-replied", "",
			Verdict{Kind: Skip, Reason: ReasonBounce, Detail: "From: MAILER-DAEMON@example.pl"}},
		{"List-Id is list mail",
			"From: news@example.pl\nList-Id: <news.example.pl>", "",
			Verdict{Kind: Skip, Reason: ReasonList, Detail: "List-Id: <news.example.pl>"}},
		{"List-Unsubscribe is list mail",
			"From: news@example.pl\nList-Unsubscribe: <mailto:u@example.pl>", "",
			Verdict{Kind: Skip, Reason: ReasonList, Detail: "List-Unsubscribe"}},
		{"a newsletter with Precedence: bulk is list mail",
			"From: news@example.pl\nPrecedence: bulk\nList-Unsubscribe: <mailto:u@example.pl>", "",
			Verdict{Kind: Skip, Reason: ReasonList, Detail: "List-Unsubscribe"}},
		{"an auto-reply wins over list mail",
			"From: news@example.pl\nList-Id: <l>\nX-Autoreply: yes", "",
			Verdict{Kind: Skip, Reason: ReasonAutoReply, Detail: "X-Autoreply: yes"}},
		{"our own domain is internal",
			"From: Bob <bob@LEADWIRE.test>", "",
			Verdict{Kind: Skip, Reason: ReasonInternal, Detail: "domain LEADWIRE.test"}},
		{"our subdomains are internal",
			"From: bob@eu.sales.acme.example", "",
			Verdict{Kind: Skip, Reason: ReasonInternal, Detail: "domain eu.sales.acme.example"}},
		{"a look-alike domain is not internal",
			"From: eve@notleadwire.test", "",
			Verdict{Kind: Lead, Contact: Address{"", "eve@notleadwire.test"}}},
		{"a form relay from our own site leads to its Reply-To",
			"From: WordPress <wordpress@leadwire.test>\nReply-To: Anna Nowak <anna@example.pl>", "",
			Verdict{Kind: Lead, Reason: ReasonFormRelay, Detail: "From: wordpress@leadwire.test", Contact: Address{"Anna Nowak", "anna@example.pl"}}},
		{"a no-reply relay leads to its Reply-To",
			"From: Webflow <no-reply-forms@webflow.com>\nReply-To: lead@example.org", "",
			Verdict{Kind: Lead, Reason: ReasonFormRelay, Detail: "From: no-reply-forms@webflow.com", Contact: Address{"", "lead@example.org"}}},
		{"a relay with List-Unsubscribe is still a lead",
			"From: noreply@forms.example\nReply-To: lead@example.org\nList-Unsubscribe: <mailto:u@forms.example>", "",
			Verdict{Kind: Lead, Reason: ReasonFormRelay, Detail: "From: noreply@forms.example", Contact: Address{"", "lead@example.org"}}},
		{"a relay without Reply-To reads the sender from the form text",
			"From: forms@leadwire.test\nSubject: New form entry", "Name: Anna Nowak\nEmail: anna@example.pl\nMessage: Call me",
			Verdict{Kind: Lead, Reason: ReasonFormRelay, Detail: "From: forms@leadwire.test", Contact: Address{"Anna Nowak", "anna@example.pl"}}},
		{"a relay whose Reply-To is internal is internal",
			"From: do-not-reply@app.example\nReply-To: sales@leadwire.test", "",
			Verdict{Kind: Skip, Reason: ReasonInternal, Detail: "domain leadwire.test"}},
		{"a no-reply sender naming no one is skipped",
			"From: noreply@service.example\nSubject: Your receipt", "Thanks for your order.",
			Verdict{Kind: Skip, Reason: ReasonNoReply, Detail: "From: noreply@service.example"}},
		{"a missing sender is skipped",
			"Subject: hi", "",
			Verdict{Kind: Skip, Reason: ReasonNoSender, Detail: "no sender address"}},
		{"an unusable sender address is skipped",
			"From: john.@example.jp", "",
			Verdict{Kind: Skip, Reason: ReasonNoSender, Detail: "From: john.@example.jp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, tt.headers+"\n\n"+tt.body)
			if got := Classify(m, opts); got != tt.want {
				t.Errorf("Classify =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestCustomRelaySenders(t *testing.T) {
	m := mustParse(t, "From: leads-bot@example.org\nReply-To: anna@example.pl\n\nhi")
	if v := Classify(m, ClassifyOptions{}); v.Contact.Address != "leads-bot@example.org" {
		t.Errorf("default relays: contact %q", v.Contact.Address)
	}
	if v := Classify(m, ClassifyOptions{RelaySenders: []string{"Leads_Bot"}}); v.Contact.Address != "anna@example.pl" || v.Reason != ReasonFormRelay {
		t.Errorf("custom relays: %+v", v)
	}
}

func TestToInbound(t *testing.T) {
	raw := "Message-ID: <m2@example.pl>\nFrom: WordPress <wordpress@leadwire.test>\nReply-To: Anna <anna@example.pl>\n" +
		"Subject: Quote\nDate: Tue, 12 Mar 2024 10:15:00 +0100\nIn-Reply-To: <m1@leadwire.test>\n" +
		"References: <m0@leadwire.test> <m1@leadwire.test>\nContent-Type: multipart/mixed; boundary=b\n\n" +
		"--b\n\nWe need 100 units.\n\n-- \nAnna\n--b\nContent-Type: application/pdf; name=spec.pdf\n\n%PDF\n--b--\n"
	m := mustParse(t, raw)
	v := Classify(m, ClassifyOptions{InternalDomains: []string{"leadwire.test"}})
	got := ToInbound(m, v, "sales-inbox", "emea")
	want := core.Inbound{
		Channel:    core.ChannelEmail,
		Source:     "sales-inbox",
		ExternalID: "m2@example.pl",
		Name:       "Anna",
		Email:      "anna@example.pl",
		Subject:    "Quote",
		Text:       "We need 100 units.",
		Raw:        []byte(raw),
		ReceivedAt: time.Date(2024, 3, 12, 9, 15, 0, 0, time.UTC),
		Metadata: map[string]string{
			"message_id":  "m2@example.pl",
			"attachments": "spec.pdf (application/pdf, 4 B)",
			"relayed_by":  "wordpress@leadwire.test",
		},
		Team:       "emea",
		References: []string{"m1@leadwire.test", "m0@leadwire.test"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ToInbound =\n%+v\nwant\n%+v", got, want)
	}
	if _, err := core.NormalizeEmail(got.Email); err != nil {
		t.Errorf("core refuses the contact: %v", err)
	}
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1 KB", 122886: "120 KB", 5 << 20: "5.0 MB"} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestThreadRefsAreNearestFirstAndCapped(t *testing.T) {
	var b strings.Builder
	for i := range 30 {
		fmt.Fprintf(&b, " <r%d@x>", i)
	}
	m := mustParse(t, "From: a@x.org\nIn-Reply-To: <r29@x>\nReferences:"+b.String()+"\n\nhi")
	refs := ToInbound(m, Verdict{}, "inbox", "").References
	if len(refs) != maxRefs || refs[0] != "r29@x" || refs[1] != "r28@x" || refs[maxRefs-1] != "r10@x" {
		t.Errorf("references %v", refs)
	}
}
