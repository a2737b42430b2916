package email

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2"
)

// SentFolder is the folder replies are copied to when the server marks
// none as \Sent (RFC 6154); it is made when missing.
const SentFolder = "Sent"

// CopyToSent appends raw, a message leadwire sent for this mailbox (a
// rep's reply from chat), to the mailbox's Sent folder marked \Seen, so
// the team's mail client shows it in the thread. It signs in as the
// connector does (password or OAuth) on a connection of its own.
func (c *Connector) CopyToSent(ctx context.Context, raw []byte, at time.Time) error {
	s, err := c.connect(ctx)
	if err != nil {
		return fmt.Errorf("copy to Sent of %s: %w", c.name, err)
	}
	defer s.close()
	g := s.guard()
	defer g.Stop()
	folder, err := s.sentFolder()
	if err != nil {
		return fmt.Errorf("copy to Sent of %s: %w", c.name, err)
	}
	cmd := s.cl.Append(folder, int64(len(raw)), &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}, Time: at})
	if _, err := cmd.Write(raw); err != nil {
		cmd.Close()
		return fmt.Errorf("copy to %s of %s: %w", folder, c.name, err)
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("copy to %s of %s: %w", folder, c.name, err)
	}
	if _, err := cmd.Wait(); err != nil {
		return fmt.Errorf("copy to %s of %s: %w", folder, c.name, err)
	}
	return nil
}

// sentFolder is the folder the server marks \Sent, else SentFolder, made
// when it does not exist.
func (s *session) sentFolder() (string, error) {
	var opts *imap.ListOptions
	if caps := s.cl.Caps(); caps.Has(imap.CapIMAP4rev2) || (caps.Has(imap.CapSpecialUse) && caps.Has(imap.CapListExtended)) {
		opts = &imap.ListOptions{ReturnSpecialUse: true}
	}
	list, err := s.cl.List("", "*", opts).Collect()
	if err != nil {
		return "", s.fail("list folders", err)
	}
	for _, d := range list {
		for _, a := range d.Attrs {
			if a == imap.MailboxAttrSent {
				return d.Mailbox, nil
			}
		}
	}
	for _, d := range list {
		if d.Mailbox == SentFolder {
			return SentFolder, nil
		}
	}
	if err := s.cl.Create(SentFolder, &imap.CreateOptions{SpecialUse: []imap.MailboxAttr{imap.MailboxAttrSent}}).Wait(); err != nil {
		// The server may not take SPECIAL-USE on CREATE: a plain one.
		var ie *imap.Error
		if !errors.As(err, &ie) || s.cl.Create(SentFolder, nil).Wait() != nil {
			return "", s.fail("create "+SentFolder, err)
		}
	}
	return SentFolder, nil
}

// SentFolders are the mailboxes by name (Mailbox.Name), for the copies of
// replies sent from chat.
type SentFolders map[string]*Connector

// CopyToSent appends raw to the Sent folder of the mailbox of the name;
// a mailbox not configured (any more) is an error.
func (f SentFolders) CopyToSent(ctx context.Context, mailbox string, raw []byte, at time.Time) error {
	c := f[mailbox]
	if c == nil {
		return fmt.Errorf("copy to Sent: no mailbox %q is configured", mailbox)
	}
	return c.CopyToSent(ctx, raw, at)
}
