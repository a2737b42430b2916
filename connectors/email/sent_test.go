package email

import (
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

// TestCopyToSent: a reply sent from chat lands in the mailbox's Sent
// folder, seen: the folder the server marks \Sent (Dovecot's, in the
// end-to-end test of cmd/leadwire), else one named Sent, made when
// missing; a mailbox not configured is named.
func TestCopyToSent(t *testing.T) {
	raw := msg("niran@ourco.example", "Re: Pricing", "Yes, Friday.")
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	seen := func(t *testing.T, m *memIMAP, folder string) {
		t.Helper()
		st, err := m.user.Status(folder, &imap.StatusOptions{NumMessages: true, NumUnseen: true})
		if err != nil {
			t.Fatalf("no %s folder: %v", folder, err)
		}
		if *st.NumMessages != 1 || *st.NumUnseen != 0 {
			t.Fatalf("%s holds %d messages, %d unseen; want 1, seen", folder, *st.NumMessages, *st.NumUnseen)
		}
	}
	t.Run("a Sent folder is made when the server has none, and the copy is seen", func(t *testing.T) {
		m := newMemIMAP(t)
		e := newEnv(t)
		c := e.connector(m.mailbox("sales"))
		if err := (SentFolders{"sales": c}).CopyToSent(e.ctx, "sales", []byte(raw), at); err != nil {
			t.Fatal(err)
		}
		seen(t, m, SentFolder)
	})
	t.Run("a Sent folder there already is used", func(t *testing.T) {
		m := newMemIMAP(t)
		if err := m.user.Create(SentFolder, nil); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t)
		c := e.connector(m.mailbox("sales"))
		for range 2 {
			if err := c.CopyToSent(e.ctx, []byte(raw), at); err != nil {
				t.Fatal(err)
			}
		}
		st, err := m.user.Status(SentFolder, &imap.StatusOptions{NumMessages: true})
		if err != nil || *st.NumMessages != 2 {
			t.Fatalf("%v, %v", st, err)
		}
	})
	t.Run("a mailbox not configured is named", func(t *testing.T) {
		e := newEnv(t)
		err := (SentFolders{}).CopyToSent(e.ctx, "support", []byte(raw), at)
		if err == nil || !strings.Contains(err.Error(), `"support"`) {
			t.Fatalf("err %v", err)
		}
	})
}
