package email

import (
	"context"
	"time"
)

// wait blocks until there may be new mail. With IDLE it idles on the
// selected folder (the first one) until the server reports new messages,
// re-issuing IDLE every idleFor; without it, it sleeps PollInterval. all
// reports that every folder is due a sync (the poll interval has passed);
// otherwise only the first one is.
func (s *session) wait(ctx context.Context) (all bool, err error) {
	c := s.c
	due := time.Until(s.polled.Add(c.mb.PollInterval))
	// An OAuth session ends shortly before its token expires, rather than
	// be cut off by the server mid-command.
	var reauth <-chan time.Time
	if !s.expiry.IsZero() {
		t := time.NewTimer(max(time.Until(s.expiry.Add(-c.reauthBefore)), 0))
		defer t.Stop()
		reauth = t.C
	}
	if !s.idle || c.noIdle {
		t := time.NewTimer(max(due, 0))
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-reauth:
			return false, errReauth
		case <-t.C:
		}
		return true, nil
	}
	// Other folders are polled while the first one idles.
	var poll <-chan time.Time
	if len(c.mb.Folders) > 1 {
		t := time.NewTimer(max(due, 0))
		defer t.Stop()
		poll = t.C
	}
	g := s.guard()
	// Some servers report mail that arrived since the last command only
	// at the next one: a NOOP makes sure no EXISTS is left pending.
	if err := s.cl.Noop().Wait(); err != nil {
		g.Stop()
		return false, s.fail("noop", err)
	}
	cmd, err := s.cl.Idle()
	g.Stop()
	if err != nil {
		return false, s.fail("idle", err)
	}
	if c.idling != nil {
		c.idling()
	}
	refresh := time.NewTimer(c.idleFor)
	defer refresh.Stop()
	expiring := false
	select {
	case <-ctx.Done():
	case <-s.exists:
	case <-poll:
		all = true
	case <-refresh.C:
	case <-reauth:
		expiring = true
	case <-s.cl.Closed():
	}
	if ctx.Err() != nil {
		cmd.Close()
		return false, ctx.Err()
	}
	g = s.guard()
	defer g.Stop()
	if err := cmd.Close(); err != nil {
		return false, s.fail("stop idle", err)
	}
	if err := cmd.Wait(); err != nil {
		return false, s.fail("idle", err)
	}
	if expiring {
		return false, errReauth
	}
	return all, nil
}
