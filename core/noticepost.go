package core

import (
	"context"
	"fmt"
	"time"
)

// NoticeBurst is how close together the notices of one thread must come
// to be one message: a prospect who writes five lines in a minute makes
// one notice, updated as each arrives, not five.
const NoticeBurst = 10 * time.Minute

// noticeClaim is how long a post being made holds its thread: another
// delivery of the thread waits for it that long at most (a replica that
// died while posting leaves the claim, and after this it is taken over).
const noticeClaim = time.Minute

// NoticePost is the message a chat shows for a notice thread (Notice.Thread),
// so that later notices of the thread edit it instead of posting anew.
type NoticePost struct {
	Channel string // ChannelSlack, ChannelTelegram
	Thread  string
	Target  string // where it was posted: a Slack channel or DM id, a Telegram chat id
	Message string // the message: a Slack ts, a Telegram message id; "" while it is being posted
	// ActivityID is the newest activity the message shows.
	ActivityID int64
	// Wanted is the newest activity a delivery of the thread asked to
	// show: an older one that comes after it gives way, since the newer
	// one will show the thread as it is then.
	Wanted    int64
	FirstAt   time.Time // when the thread's burst began
	LastAt    time.Time // when the message was last posted or edited
	ClaimedAt time.Time // when its post began
}

// NoticePostReader reads the messages of notice threads.
type NoticePostReader interface {
	// NoticePost returns the post of a channel's thread, or KindNotFound.
	NoticePost(ctx context.Context, channel, thread string) (*NoticePost, error)
}

// NoticePostTx keeps the messages of notice threads.
type NoticePostTx interface {
	// PutNoticePost creates or replaces the post of p's channel and thread.
	PutNoticePost(ctx context.Context, p *NoticePost) error
	// LockNoticePost makes sure the post of a channel's thread exists (an
	// empty one when it did not) and holds it until the transaction ends,
	// so two deliveries of a thread decide one after the other.
	LockNoticePost(ctx context.Context, channel, thread string) error
}

// Placement is how a chat shows a threaded notice: post it (Post), edit
// the message Edit in Target, or neither (the message shows it already).
type Placement struct {
	Post   bool
	Edit   string
	Target string
	prev   int64 // the activity the message showed before this edit
}

// PlaceNotice decides how channel shows n: a notice without a thread is
// posted; one whose thread has a message posted within NoticeBurst edits
// it, unless the message shows a newer activity already or a delivery for
// a newer one is on its way; otherwise it is posted, and the thread is
// held for it until NoticePlaced (a delivery of the same thread meanwhile
// is RetryAfter, so the burst stays one message). A burst of twenty
// messages is one post and a few edits, not twenty edits.
func (s *Notices) PlaceNotice(ctx context.Context, channel string, n Notice) (Placement, error) {
	if n.Thread == "" {
		return Placement{Post: true}, nil
	}
	var pl Placement
	var wait bool
	err := s.store.Update(ctx, func(tx Tx) error {
		now := s.clock.Now()
		if err := tx.LockNoticePost(ctx, channel, n.Thread); err != nil {
			return err
		}
		p, err := tx.NoticePost(ctx, channel, n.Thread)
		if err != nil {
			return err
		}
		if n.ActivityID != 0 {
			if n.ActivityID < p.Wanted {
				return nil // a newer message's delivery will show the thread
			}
			p.Wanted = n.ActivityID
		}
		switch {
		case p.Message == "" && !p.ClaimedAt.IsZero() && now.Sub(p.ClaimedAt) < noticeClaim:
			wait = true // kept: what this delivery wants, so older ones give way
			return tx.PutNoticePost(ctx, p)
		case p.Message != "" && now.Sub(p.LastAt) < NoticeBurst:
			if p.ActivityID >= n.ActivityID && n.ActivityID != 0 {
				return tx.PutNoticePost(ctx, p) // an edit for a newer message went first
			}
			pl = Placement{Edit: p.Message, Target: p.Target, prev: p.ActivityID}
			p.ActivityID, p.LastAt = n.ActivityID, now
			return tx.PutNoticePost(ctx, p)
		}
		pl = Placement{Post: true}
		return tx.PutNoticePost(ctx, &NoticePost{Channel: channel, Thread: n.Thread, ActivityID: n.ActivityID, Wanted: p.Wanted,
			FirstAt: now, LastAt: now, ClaimedAt: now})
	})
	if err != nil {
		return Placement{}, fmt.Errorf("place notice %s on %s: %w", n.Key, channel, err)
	}
	if wait {
		return Placement{}, RetryAfter(time.Second)
	}
	return pl, nil
}

// NoticePlaced records the message a threaded notice was posted as, so
// that the next notices of its thread edit it.
func (s *Notices) NoticePlaced(ctx context.Context, channel string, n Notice, target, message string) error {
	if n.Thread == "" {
		return nil
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		p, err := tx.NoticePost(ctx, channel, n.Thread)
		if IsNotFound(err) {
			now := s.clock.Now()
			p, err = &NoticePost{Channel: channel, Thread: n.Thread, FirstAt: now, ClaimedAt: now}, nil
		}
		if err != nil {
			return err
		}
		p.Target, p.Message, p.LastAt = target, message, s.clock.Now()
		p.ActivityID = max(p.ActivityID, n.ActivityID)
		return tx.PutNoticePost(ctx, p)
	})
	if err != nil {
		return fmt.Errorf("record notice %s on %s: %w", n.Key, channel, err)
	}
	return nil
}

// NoticeUnplaced gives back what PlaceNotice took when the post or edit
// failed: the thread is free for the retry, and an edit's message counts
// as showing what it showed before.
func (s *Notices) NoticeUnplaced(ctx context.Context, channel string, n Notice, pl Placement) error {
	if n.Thread == "" {
		return nil
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		p, err := tx.NoticePost(ctx, channel, n.Thread)
		if IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case pl.Post && p.Message == "":
			p.ClaimedAt = time.Time{}
		case pl.Edit != "" && p.ActivityID == n.ActivityID:
			p.ActivityID = pl.prev
		default:
			return nil
		}
		return tx.PutNoticePost(ctx, p)
	})
	if err != nil {
		return fmt.Errorf("release notice %s on %s: %w", n.Key, channel, err)
	}
	return nil
}

// prospectWrote tells the owner of the lead or deal an inbound continued
// (the team's channels when it has none, or none the owner can be told
// on), in tx, that the prospect wrote: one notice per message, threaded
// by record and recipient, so a burst is one message updated in place.
// Email is left out: the owner is told in chat, and the message itself
// is in the team's mailbox already.
func (s *Service) prospectWrote(ctx context.Context, tx Tx, lead *Lead, deal *Deal, act *Activity) error {
	n := Notice{Kind: NoticeProspectWrote, ActivityID: act.ID}
	var ref string
	switch {
	case deal != nil:
		n.DealID, n.UserID, n.TeamID, ref = deal.ID, deal.OwnerID, deal.TeamID, DealRef(deal.ID)
	case lead != nil:
		n.LeadID, n.UserID, n.TeamID, ref = lead.ID, lead.OwnerID, lead.TeamID, LeadRef(lead.ID)
	default:
		return nil
	}
	n.Key = NoticeKey("wrote", ref, act.ID)
	team := n.TeamID
	if n.UserID != 0 {
		n.TeamID = 0
		n.Thread = NoticeKey("wrote", ref, "U"+fmt.Sprint(n.UserID))
		told, err := s.Notices.AnnounceExcept(ctx, tx, n, ChannelEmail)
		if err != nil || len(told) > 0 {
			return err
		}
		// An owner who cannot be told (deactivated, no chat linked):
		// the team is.
		n.UserID = 0
	}
	if team == 0 {
		return nil
	}
	n.TeamID, n.Thread = team, NoticeKey("wrote", ref, "T"+fmt.Sprint(team))
	_, err := s.Notices.AnnounceExcept(ctx, tx, n, ChannelEmail)
	return err
}

// prospectChannel reports whether an inbound on channel is the prospect
// writing (not a rep's entry or an import).
func prospectChannel(channel string) bool {
	switch channel {
	case ChannelEmail, ChannelWebform, ChannelWebhook, ChannelTelegram, ChannelSlack:
		return true
	}
	return false
}
