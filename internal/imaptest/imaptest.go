// Package imaptest holds what tests need around go-imap's in-memory IMAP
// server (imapmemserver).
package imaptest

import (
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"

	"leadwire/internal/mailauth"
)

// NewSession returns a session of mem, for imapserver.Options.NewSession,
// whose IDLE reports every change, as a real server's does.
func NewSession(mem *imapmemserver.Server) imapserver.Session {
	return &session{mem.NewSession()}
}

// session is the in-memory server's session with its Idle replaced. It
// hides the optional interfaces of the session it wraps (MOVE, NAMESPACE,
// SASL…): serve it with IMAP4rev1's capabilities.
type session struct{ imapserver.Session }

// Idle reports the mailbox's changes until stop, looking for them every
// few milliseconds. go-imap's own Idle is woken only by changes made after
// it began: mail appended between the command before IDLE and IDLE itself
// went unreported until the next change, so a client idling on it waited
// for its next poll (an hour in the tests) for a message already there.
func (s *session) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if err := s.Poll(w, true); err != nil {
			return err
		}
		select {
		case <-stop:
			return nil
		case <-tick.C:
		}
	}
}

// OAuth makes a session sign in with an OAuth token only.
type OAuth struct {
	// Mechanisms offered: mailauth.XOAuth2, mailauth.OAuthBearer or both.
	Mechanisms []string
	// Check accepts or refuses a user's token (an identity provider's).
	Check func(user, token string) error
	// Password is the user's password in the in-memory server, which the
	// session logs in with once the token is accepted.
	Password func(user string) string
}

// NewOAuthSession returns a session of mem, like NewSession's, that takes
// no password and signs in with a token over o's SASL mechanisms.
func NewOAuthSession(mem *imapmemserver.Server, o OAuth) imapserver.Session {
	return &oauthSession{session: &session{mem.NewSession()}, o: o}
}

type oauthSession struct {
	*session
	o OAuth
}

// Login refuses passwords: the account signs in with OAuth only, as a
// Microsoft 365 mailbox does.
func (s *oauthSession) Login(string, string) error {
	return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAuthenticationFailed, Text: "basic authentication is disabled"}
}

// AuthenticateMechanisms implements imapserver.SessionSASL.
func (s *oauthSession) AuthenticateMechanisms() []string { return s.o.Mechanisms }

// Authenticate implements imapserver.SessionSASL.
func (s *oauthSession) Authenticate(mech string) (sasl.Server, error) {
	check := func(user, token string) error {
		if err := s.o.Check(user, token); err != nil {
			return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAuthenticationFailed, Text: "invalid token"}
		}
		return s.session.Session.Login(user, s.o.Password(user))
	}
	for _, m := range s.o.Mechanisms {
		if m != mech {
			continue
		}
		if mech == mailauth.OAuthBearer {
			return mailauth.NewOAuthBearerServer(check), nil
		}
		return mailauth.NewXOAuth2Server(check), nil
	}
	return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "mechanism not offered"}
}
