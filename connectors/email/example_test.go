package email_test

import (
	"fmt"

	"leadwire/connectors/email"
)

func Example() {
	raw := []byte("Message-ID: <form-17@site.example>\r\n" +
		"From: WordPress <wordpress@leadwire.test>\r\n" +
		"Reply-To: =?utf-8?q?Hu=E1=BB=B3nh_Lan?= <lan@example.vn>\r\n" +
		"Subject: =?utf-8?q?B=C3=A1o_gi=C3=A1?=\r\n" +
		"Date: Tue, 12 Mar 2024 10:15:00 +0700\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n\r\n" +
		"<p>We need <b>200</b> units.</p><p>-- <br>Lan</p>")
	m, err := email.Parse(raw, email.ParseOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	v := email.Classify(m, email.ClassifyOptions{InternalDomains: []string{"leadwire.test"}})
	in := email.ToInbound(m, v, "sales", "")
	fmt.Println(v.Kind, v.Reason)
	fmt.Println(in.Name, in.Email)
	fmt.Println(in.Subject, "|", in.Text, "|", in.ReceivedAt)
	// Output:
	// lead form_relay
	// Huỳnh Lan lan@example.vn
	// Báo giá | We need 200 units. | 2024-03-12 03:15:00 +0000 UTC
}
