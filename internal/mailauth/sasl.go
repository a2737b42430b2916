package mailauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-sasl"
)

// SASL mechanisms that present an OAuth 2.0 bearer token.
const (
	XOAuth2     = "XOAUTH2"        // Google's and Microsoft's
	OAuthBearer = sasl.OAuthBearer // RFC 7628
)

// Choose picks the mechanism to present a token with from those the
// server offers (has reports one): OAUTHBEARER, the standard, else
// XOAUTH2.
func Choose(has func(mech string) bool) (string, error) {
	for _, m := range []string{OAuthBearer, XOAuth2} {
		if has(m) {
			return m, nil
		}
	}
	return "", errors.New("the server offers neither OAUTHBEARER nor XOAUTH2, so it cannot take an OAuth sign-in; check host and auth")
}

// NewClient returns the SASL client of mech presenting token for user;
// host and port go into OAUTHBEARER's message.
func NewClient(mech, user, token, host string, port int) sasl.Client {
	if mech == OAuthBearer {
		return &oauthBearerClient{Client: sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: user, Token: token, Host: host, Port: port})}
	}
	return &xoauth2Client{user: user, token: token}
}

// oauthBearerClient is go-sasl's OAUTHBEARER client answering the
// server's error challenge with the dummy response RFC 7628 3.2.3 asks
// for, so that the server ends the exchange with its refusal; go-sasl's
// own client fails at the challenge and leaves the command open.
type oauthBearerClient struct {
	sasl.Client
	failed bool
}

func (c *oauthBearerClient) Next(challenge []byte) ([]byte, error) {
	if c.failed {
		return nil, errors.New("OAUTHBEARER: the server went on after refusing the token")
	}
	// The challenge is the server's refusal (JSON); its final answer
	// says the same, so it is not kept.
	c.failed = true
	return []byte{0x01}, nil
}

// xoauth2Client is XOAUTH2 (developers.google.com/workspace/gmail/imap/
// xoauth2-protocol): "user=U\x01auth=Bearer T\x01\x01". A refusal comes
// as a challenge holding a JSON error, answered with a dummy response.
type xoauth2Client struct {
	user, token string
	failed      *XOAuth2Error
}

// XOAuth2Error is the server's JSON refusal of an XOAUTH2 token.
type XOAuth2Error struct {
	Status  string `json:"status"`
	Schemes string `json:"schemes"`
	Scope   string `json:"scope"`
}

func (e *XOAuth2Error) Error() string {
	return fmt.Sprintf("the server refused the OAuth token (status %s)", e.Status)
}

func (c *xoauth2Client) Start() (string, []byte, error) {
	return XOAuth2, []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	if c.failed != nil {
		return nil, c.failed
	}
	e := &XOAuth2Error{}
	_ = json.Unmarshal(challenge, e)
	c.failed = e
	// Google's page asks for an empty response here, but go-imap writes
	// an empty one as "=", which Dovecot refuses as bad base64 and
	// leaves the exchange open; a dummy byte, as OAUTHBEARER sends, ends
	// it on every server with the refusal.
	return []byte{0x01}, nil
}

// ParseXOAuth2 reads an XOAUTH2 initial response: the user and the token.
func ParseXOAuth2(resp []byte) (user, token string, err error) {
	fields := bytes.Split(bytes.TrimSuffix(resp, []byte("\x01\x01")), []byte("\x01"))
	for _, f := range fields {
		k, v, _ := strings.Cut(string(f), "=")
		switch k {
		case "user":
			user = v
		case "auth":
			scheme, t, ok := strings.Cut(v, " ")
			if ok && strings.EqualFold(scheme, "Bearer") {
				token = t
			}
		}
	}
	if user == "" || token == "" || !bytes.HasSuffix(resp, []byte("\x01\x01")) {
		return "", "", errors.New("malformed XOAUTH2 response")
	}
	return user, token, nil
}

// NewXOAuth2Server is the server side of XOAUTH2, for test mail servers:
// check accepts or refuses the user's token.
func NewXOAuth2Server(check func(user, token string) error) sasl.Server {
	return &xoauth2Server{check: check}
}

type xoauth2Server struct {
	check  func(user, token string) error
	failed error
}

func (s *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if s.failed != nil {
		// The client's empty answer to the error challenge.
		return nil, true, s.failed
	}
	if resp == nil {
		return []byte{}, false, nil // ask for the initial response
	}
	user, token, err := ParseXOAuth2(resp)
	if err == nil {
		err = s.check(user, token)
	}
	if err != nil {
		s.failed = err
		b, _ := json.Marshal(XOAuth2Error{Status: "401", Schemes: "bearer", Scope: "mail"})
		return b, false, nil
	}
	return nil, true, nil
}

// NewOAuthBearerServer is the server side of OAUTHBEARER, for test mail
// servers.
func NewOAuthBearerServer(check func(user, token string) error) sasl.Server {
	return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
		if err := check(o.Username, o.Token); err != nil {
			return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
		}
		return nil
	})
}
