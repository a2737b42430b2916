// Package imaptest holds what tests need around go-imap's in-memory IMAP
// server (imapmemserver).
package imaptest

import (
	"time"

	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
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
