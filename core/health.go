package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultSilentAfter is how long a watched connector may go without a
// sync before the admins are told it has gone silent.
const DefaultSilentAfter = time.Hour

// DefaultFailingAfter is how long a failing connector may go without a
// good sync before the admins are told: a timeout that the next attempt
// mends is no news.
const DefaultFailingAfter = 5 * time.Minute

// Alerts tune the connector health alerts.
type Alerts struct {
	// SilentAfter is how long a watched connector may go without a sync;
	// 0 means DefaultSilentAfter.
	SilentAfter time.Duration
	// FailingAfter is how long a connector must fail, with no good sync
	// meanwhile, before it is told; 0 means DefaultFailingAfter.
	FailingAfter time.Duration
	// Watched are the connectors that sync on their own, whatever arrives
	// (the configured mailboxes: "email:sales"), and so can go silent.
	// Forms, webhooks and chats sync only when something arrives: they
	// alert when they fail, never for silence.
	Watched []string
}

// CheckConnectorsJob checks the connectors' health: River runs it every
// minute on its elected leader.
type CheckConnectorsJob struct{}

// Kind implements Job.
func (CheckConnectorsJob) Kind() string { return "check_connectors" }

// Health is how a connector is doing, as the alerts see it.
type Health string

// The health states.
const (
	Healthy Health = ""
	Failing Health = "failing" // its last attempt failed (a login refused, a token revoked)
	Silent  Health = "silent"  // a watched connector has not synced past Alerts.SilentAfter
)

// HealthChange is an alert Connectors.Check raised: a connector turned
// failing or silent (To), or recovered from From (To is Healthy).
type HealthChange struct {
	Connector string
	From, To  Health
	Since     time.Time // when the trouble started (as first seen)
	Error     string    // the connector's error, when failing
	Notified  int       // notices enqueued, one per admin and channel
}

// alertState is what is kept of a connector's alert, in the settings
// under alertKey, so that it is raised once across restarts and replicas.
type alertState struct {
	Health Health    `json:"health"`
	Since  time.Time `json:"since"`
}

func alertKey(connector string) string { return "alert:connector:" + connector }

// HealthOf tells how a connector is doing at now.
func (a Alerts) HealthOf(st ConnectorStatus, now time.Time) (Health, time.Time) {
	grace := a.FailingAfter
	if grace <= 0 {
		grace = DefaultFailingAfter
	}
	if st.LastError != "" && (st.LastSync.IsZero() || now.Sub(st.LastSync) >= grace) {
		return Failing, st.ErrorAt
	}
	limit := a.SilentAfter
	if limit <= 0 {
		limit = DefaultSilentAfter
	}
	for _, w := range a.Watched {
		if w == st.Connector && !st.LastSync.IsZero() && now.Sub(st.LastSync) > limit {
			return Silent, st.LastSync
		}
	}
	return Healthy, time.Time{}
}

// Check compares each connector's health at now with what the
// admins were last told, and tells every active admin, on their chats, of
// each change: a connector that has started failing or gone silent, and
// one that has recovered. Each change is announced once: the alert state
// is saved in the transaction that enqueues its notices, and the notice
// keys name the episode. A connector that turns from failing to silent or
// back is not announced again. It returns the changes announced.
func (c *Connectors) Check(ctx context.Context, now time.Time) ([]HealthChange, error) {
	statuses, err := c.store.ConnectorStatuses(ctx)
	if err != nil {
		return nil, fmt.Errorf("check connectors: %w", err)
	}
	var (
		out  []HealthChange
		errs []error
	)
	for _, st := range statuses {
		// Most minutes nothing changes: look before taking the writer.
		ch, err := c.healthChange(ctx, c.store, st, now)
		if err != nil || ch == nil {
			errs = append(errs, err)
			continue
		}
		err = c.store.Update(ctx, func(tx Tx) error {
			var err error
			if ch, err = c.healthChange(ctx, tx, st, now); err != nil || ch == nil {
				return err
			}
			health, since := ch.To, ch.Since
			if ch.Notified, err = c.announceHealth(ctx, tx, *ch, st, now); err != nil {
				return err
			}
			state := ""
			if health != Healthy {
				b, _ := json.Marshal(alertState{Health: health, Since: since.UTC()})
				state = string(b)
			}
			return tx.PutSetting(ctx, alertKey(st.Connector), state)
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("check connector %s: %w", st.Connector, err))
		} else if ch != nil {
			out = append(out, *ch)
		}
	}
	return out, errors.Join(errs...)
}

// healthChange returns the change of the connector's health since the
// admins were last told, nil when none or when it only turned from one
// trouble to another.
func (c *Connectors) healthChange(ctx context.Context, r settingReader, st ConnectorStatus, now time.Time) (*HealthChange, error) {
	raw, err := r.Setting(ctx, alertKey(st.Connector))
	if err != nil {
		return nil, fmt.Errorf("check connector %s: %w", st.Connector, err)
	}
	var was alertState
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &was); err != nil {
			return nil, fmt.Errorf("alert state of %s: %w", st.Connector, err)
		}
	}
	health, since := c.alerts.HealthOf(st, now)
	switch {
	case health == was.Health, health != Healthy && was.Health != Healthy:
		return nil, nil
	case health != Healthy:
		return &HealthChange{Connector: st.Connector, From: Healthy, To: health, Since: since, Error: st.LastError}, nil
	}
	return &HealthChange{Connector: st.Connector, From: was.Health, To: Healthy, Since: was.Since}, nil
}

// announceHealth tells every active admin of a change, in tx; it returns
// how many notices it enqueued.
func (c *Connectors) announceHealth(ctx context.Context, tx Tx, ch HealthChange, st ConnectorStatus, now time.Time) (int, error) {
	admins, err := tx.ListUsers(ctx, UserFilter{Role: RoleAdmin})
	if err != nil {
		return 0, err
	}
	kind := string(ch.To)
	if ch.To == Healthy {
		kind = "recovered"
	}
	key := NoticeKey("alert", ch.Connector, kind, ch.Since.Unix())
	n := 0
	for _, u := range admins {
		if !u.Active {
			continue
		}
		text, msgs := healthText(ch, st, c.alerts, now, u.Location())
		used, err := c.notices.Announce(ctx, tx, Notice{Kind: NoticeAlert, UserID: u.ID, Text: text, Msgs: msgs, Key: key})
		if err != nil {
			return n, err
		}
		n += len(used)
	}
	if n == 0 {
		c.log.Warn("connector alert reaches no admin: link an admin's Slack or Telegram", "connector", ch.Connector, "health", kind)
	}
	return n, nil
}

// healthText says what happened to the connector, since when, and what to
// do about it, with times in the reader's zone: in English and as
// catalog messages.
func healthText(ch HealthChange, st ConnectorStatus, a Alerts, now time.Time, loc *time.Location) (string, []NoticeMsg) {
	at := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04 MST") }
	var b strings.Builder
	var msgs []NoticeMsg
	say := func(english string, m NoticeMsg) {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(english)
		msgs = append(msgs, m)
	}
	switch ch.To {
	case Failing:
		say(fmt.Sprintf("Connector %s is failing (first seen at %s): %s.", ch.Connector, at(ch.Since), ch.Error),
			NoticeMsg{Key: "alert.failing", Args: map[string]string{"Connector": ch.Connector, "Since": at(ch.Since), "Error": ch.Error}})
		if !st.LastSync.IsZero() {
			say(fmt.Sprintf("Its last good sync was at %s.", at(st.LastSync)), NoticeMsg{Key: "alert.last_sync", Args: map[string]string{"At": at(st.LastSync)}})
		}
		hint, key := fixHint(ch.Connector)
		if strings.HasPrefix(ch.Error, "sign-in needed") {
			// The error names the command; host and password are fine.
			hint, key = "Until someone signs in again with that command, its mail waits on the server.", "alert.hint.sign_in"
		}
		say(hint, NoticeMsg{Key: key})
		say("leadwire keeps retrying and will tell you when it recovers.", NoticeMsg{Key: "alert.retrying"})
	case Silent:
		limit := a.SilentAfter
		if limit <= 0 {
			limit = DefaultSilentAfter
		}
		// The limit as the config writes it: "1h", not "1h0m0s".
		lim := strings.TrimSuffix(strings.TrimSuffix(limit.String(), "0s"), "0m")
		say(fmt.Sprintf("Connector %s has not synced since %s (over %s, the alerts.silent_after limit).", ch.Connector, at(ch.Since), lim),
			NoticeMsg{Key: "alert.silent", Args: map[string]string{"Connector": ch.Connector, "Since": at(ch.Since), "Limit": lim}})
		say("Check that a `leadwire serve` is running and what its log says of this connector; `leadwire connectors status` shows every connector's last sync.",
			NoticeMsg{Key: "alert.silent_hint"})
	default:
		args := map[string]string{"Connector": ch.Connector, "From": string(ch.From), "Since": at(ch.Since)}
		terms := map[string]string{"From": "term.health." + string(ch.From)}
		if !st.LastSync.IsZero() {
			args["At"] = at(st.LastSync)
			say(fmt.Sprintf("Connector %s has recovered: it was %s since %s and synced again at %s.", ch.Connector, ch.From, at(ch.Since), at(st.LastSync)),
				NoticeMsg{Key: "alert.recovered_synced", Args: args, Terms: terms})
		} else {
			say(fmt.Sprintf("Connector %s has recovered: it was %s since %s.", ch.Connector, ch.From, at(ch.Since)),
				NoticeMsg{Key: "alert.recovered", Args: args, Terms: terms})
		}
	}
	return b.String(), msgs
}

// fixHint says where to look when a connector fails, and its message id.
func fixHint(connector string) (string, string) {
	switch {
	case strings.HasPrefix(connector, ChannelEmail+":"):
		return "Check the mailbox's host, username and password under email.mailboxes in the config, and that the mail server is up.", "alert.hint.email"
	case strings.HasPrefix(connector, ChannelTelegram+":"):
		return "Check telegram.bot_token in the config: a revoked token needs a new one from @BotFather.", "alert.hint.telegram"
	case strings.HasPrefix(connector, SMTPConnector("")):
		return "Check smtp.host, port, tls, username and password in the config, and that the mail server is up; digests and sequence mail wait until it takes mail again.", "alert.hint.smtp"
	}
	return "See `leadwire connectors status` and the server log.", "alert.hint.other"
}
