package mailauth

import (
	"encoding/base64"
	"errors"
	"testing"
)

func TestXOAuth2MatchesGooglesExample(t *testing.T) {
	// developers.google.com/workspace/gmail/imap/xoauth2-protocol
	_, ir, _ := NewClient(XOAuth2, "someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg", "", 0).Start()
	want := "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
	if got := base64.StdEncoding.EncodeToString(ir); got != want {
		t.Fatalf("initial response %s, want %s", got, want)
	}
	u, tok, err := ParseXOAuth2(ir)
	if err != nil || u != "someuser@example.com" || tok != "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg" {
		t.Fatalf("parsed %q %q %v", u, tok, err)
	}
}

func TestMechanismsAreChosenFromTheServersOffer(t *testing.T) {
	for _, tt := range []struct {
		name   string
		offers []string
		want   string
	}{
		{"OAUTHBEARER is preferred when both are offered", []string{"XOAUTH2", "OAUTHBEARER"}, OAuthBearer},
		{"XOAUTH2 alone is used", []string{"PLAIN", "XOAUTH2"}, XOAuth2},
		{"a server with neither is refused", []string{"PLAIN", "LOGIN"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Choose(func(m string) bool {
				for _, o := range tt.offers {
					if o == m {
						return true
					}
				}
				return false
			})
			if got != tt.want || (tt.want == "") != (err != nil) {
				t.Fatalf("Choose = %q, %v", got, err)
			}
		})
	}
}

func TestXOAuth2ServerAndClientAgree(t *testing.T) {
	check := func(user, token string) error {
		if user == "a@example.com" && token == "good" {
			return nil
		}
		return errors.New("bad token")
	}
	for _, tt := range []struct {
		token string
		ok    bool
	}{{"good", true}, {"bad", false}} {
		srv := NewXOAuth2Server(check)
		cl := NewClient(XOAuth2, "a@example.com", tt.token, "", 0)
		_, ir, _ := cl.Start()
		challenge, done, err := srv.Next(ir)
		if tt.ok {
			if !done || err != nil {
				t.Fatalf("good token: %v %v", done, err)
			}
			continue
		}
		if done || err != nil {
			t.Fatalf("bad token: no error challenge (%v %v)", done, err)
		}
		resp, err := cl.Next(challenge)
		if err != nil || len(resp) != 1 {
			t.Fatalf("client's answer to the challenge: %q %v", resp, err)
		}
		if _, done, err = srv.Next(resp); !done || err == nil {
			t.Fatal("the server did not fail the exchange")
		}
	}
}

func FuzzParseXOAuth2(f *testing.F) {
	f.Add([]byte("user=a@b\x01auth=Bearer t\x01\x01"))
	f.Add([]byte("\x01\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		u, tok, err := ParseXOAuth2(b)
		if err == nil && (u == "" || tok == "") {
			t.Fatal("accepted without user or token")
		}
	})
}
