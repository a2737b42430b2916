package slack

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"leadwire/bot"
	"leadwire/internal/lang"
)

// Slow commands (bot.Conversation.Slow: reports over a team) may take
// longer than the three seconds Slack waits. They are acknowledged at once
// and answered later through the command's response_url, by work the
// adapter owns and Shutdown waits for.

// slowWithin bounds the work of one slow command.
const slowWithin = 2 * time.Minute

// Slack takes at most five messages per response_url, within 30 minutes.
const (
	followUpLimit  = 5
	followUpWindow = 30 * time.Minute
)

// errFollowUpsSpent means a response_url has taken all the messages
// Slack allows; the answer goes elsewhere (a DM).
var errFollowUpsSpent = errors.New("response_url: five follow-ups already sent")

// working is the acknowledgement of a slow command.
func working(p *lang.Printer) bot.Reply {
	return bot.Reply{Ephemeral: true, Text: p.T("chat.working"), Lang: p.Lang()}
}

// restarting answers a slow command that arrives while leadwire stops.
func restarting(p *lang.Printer) bot.Reply {
	return bot.Reply{Tone: bot.ToneWarn, Ephemeral: true, Text: p.T("chat.restarting"), Lang: p.Lang()}
}

// followUp is a message posted to a response_url after the request was
// answered: a new message, never a replacement of the acknowledgement.
type followUp struct {
	message
	ReplaceOriginal bool `json:"replace_original"`
}

// budget counts the messages sent to each response_url, so that none is
// sent more than Slack accepts.
type budget struct {
	mu    sync.Mutex
	sent  map[string][]time.Time
	sweep time.Time
}

func newBudget() *budget { return &budget{sent: map[string][]time.Time{}} }

// take spends one message of url's budget and reports whether there was
// one left.
func (b *budget) take(url string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.sweep) > followUpWindow {
		for u, times := range b.sent {
			if now.Sub(times[len(times)-1]) > followUpWindow {
				delete(b.sent, u)
			}
		}
		b.sweep = now
	}
	times := b.sent[url]
	for len(times) > 0 && now.Sub(times[0]) > followUpWindow {
		times = times[1:]
	}
	if len(times) >= followUpLimit {
		b.sent[url] = times
		return false
	}
	b.sent[url] = append(times, now)
	return true
}

// work is the slow commands running: Shutdown waits for them.
type work struct {
	mu     sync.Mutex
	wg     sync.WaitGroup
	closed bool
	stop   chan struct{} // closed when Shutdown stops waiting
}

func newWork() *work { return &work{stop: make(chan struct{})} }

// start runs f in a goroutine the adapter owns, with a context that ends
// after slowWithin or when Shutdown gives up waiting. It reports false,
// running nothing, once Shutdown has begun.
func (w *work) start(parent context.Context, f func(ctx context.Context)) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false
	}
	w.wg.Add(1)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), slowWithin)
	go func() {
		defer w.wg.Done()
		defer cancel()
		go func() {
			select {
			case <-w.stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		f(ctx)
	}()
	return true
}

// Shutdown stops taking slow commands and waits for the running ones to
// post their answers. When ctx ends first, it cancels them and returns
// ctx's error. Call it after the HTTP server and Socket Mode have stopped.
func (a *Adapter) Shutdown(ctx context.Context) error {
	w := a.work
	w.mu.Lock()
	if !w.closed {
		w.closed = true
	}
	w.mu.Unlock()
	done := make(chan struct{})
	go func() {
		w.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		w.mu.Lock()
		select {
		case <-w.stop:
		default:
			close(w.stop)
		}
		w.mu.Unlock()
		<-done
		return fmt.Errorf("slack: slow commands cut short: %w", ctx.Err())
	}
}

// slow acknowledges a slow command and answers it in the background:
// through the response_url, or in a DM once that is spent.
func (a *Adapter) slow(ctx context.Context, cmd slack.SlashCommand) bot.Reply {
	u, err := a.user(ctx, cmd.UserID)
	switch {
	case err != nil:
		a.log.Error("slack user lookup failed", "slack", cmd.UserID, "err", err)
		return trouble(a.conv.Printer(nil, ""))
	case u == nil:
		return bot.Unknown("slack", cmd.UserID)
	}
	started := a.work.start(ctx, func(ctx context.Context) {
		if a.slowHook != nil {
			a.slowHook(ctx)
		}
		reply := a.conv.Handle(ctx, u, cmd.Text)
		if err := a.answerLater(ctx, cmd.ResponseURL, cmd.UserID, toMessage(reply)); err != nil {
			a.log.Warn("slack slow answer failed", "slack", cmd.UserID, "err", err)
		}
	})
	if !started {
		return restarting(a.conv.Printer(u, ""))
	}
	return working(a.conv.Printer(u, ""))
}

// answerLater posts a follow-up to a response_url, or to the user in a DM
// when the response_url has none left or there is none.
func (a *Adapter) answerLater(ctx context.Context, url, slackID string, m message) error {
	err := errFollowUpsSpent
	if url != "" {
		err = a.respond(ctx, url, followUp{message: m})
	}
	if !errors.Is(err, errFollowUpsSpent) || slackID == "" {
		return err
	}
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)}
	if _, _, err := a.api.PostMessageContext(ctx, slackID, opts...); err != nil {
		return fmt.Errorf("chat.postMessage to %s: %w", slackID, err)
	}
	return nil
}
