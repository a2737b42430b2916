// Package tgpoll reads a Telegram bot's updates by long polling
// (getUpdates), keeping the offset as a connector checkpoint so a restart
// neither replays a handled update nor skips an unhandled one, or receives
// them on a webhook. Both of leadwire's bots use it: the reps' bot
// (bot/telegram) and the prospects' intake bot (connectors/chat).
package tgpoll

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"leadwire/core"
)

// HandleWithin bounds the handling of one update, which goes on through a
// shutdown so the offset saved after it is true.
const HandleWithin = 30 * time.Second

// Config is one bot's polling.
type Config struct {
	APIURL  string // Bot API server, without a trailing slash
	Token   string
	Timeout time.Duration // how long one getUpdates waits for updates
	// AllowedUpdates are the update kinds asked for, e.g. "message".
	AllowedUpdates []string
	HTTP           *http.Client // its timeout must be past Timeout
	Log            *slog.Logger

	// Checkpoint names where the offset is kept; its Value is ignored.
	Checkpoint core.Checkpoint
	// Load reads the saved offset ("" when none): Store.LoadCheckpoint.
	Load func(ctx context.Context, connector, key string) (string, error)
	// Save stores the offset: Service.Checkpoint.
	Save func(ctx context.Context, cp core.Checkpoint) error
	// Handle acts on one update. An error means the update was not
	// handled and must come again: polling pauses and asks for it anew.
	Handle func(ctx context.Context, u *models.Update) error
	// SetError, when set, records a token Telegram refuses (401: revoked
	// or mistyped) as the connector's error, so the admins are alerted,
	// and clears it (nil) after the next successful poll:
	// Service.ConnectorError. TokenKey names the config key of the token
	// in the error ("telegram.bot_token").
	SetError func(ctx context.Context, connector string, err error) error
	TokenKey string
	// Statuses tells whether an earlier run left an error to clear:
	// Store.ConnectorStatuses.
	Statuses func(ctx context.Context) ([]core.ConnectorStatus, error)
}

// leftError reports whether the connector has an error recorded.
func (c *Config) leftError(ctx context.Context) (bool, error) {
	if c.Statuses == nil || c.SetError == nil {
		return false, nil
	}
	statuses, err := c.Statuses(ctx)
	if err != nil {
		return false, err
	}
	for _, s := range statuses {
		if s.Connector == c.Checkpoint.Connector {
			return s.LastError != "", nil
		}
	}
	return false, nil
}

// Run reads updates until ctx ends, handling each in turn and saving the
// offset after it. Errors of the Bot API, and updates Handle fails, are
// logged and retried with a growing pause (a 429's retry_after when
// given); Run returns nil when ctx ends.
func Run(ctx context.Context, c Config) error {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	cp := c.Checkpoint
	saved, err := c.Load(ctx, cp.Connector, cp.Key)
	if err != nil {
		return fmt.Errorf("%s: %w", cp.Connector, err)
	}
	var offset int64
	if saved != "" {
		if offset, err = strconv.ParseInt(saved, 10, 64); err != nil {
			return fmt.Errorf("%s: bad saved offset %q: %w", cp.Connector, saved, err)
		}
	}
	// A previous run may have left an error behind: the first successful
	// poll clears it.
	failing, err := c.leftError(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", cp.Connector, err)
	}
	var pause time.Duration
	grow := func() { pause = min(max(2*pause, time.Second), time.Minute) }
	for {
		if pause > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(pause):
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		updates, retry, err := c.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			grow()
			if retry > 0 {
				pause = retry
			}
			var ae *apiError
			if errors.As(err, &ae) && ae.Code == http.StatusUnauthorized && c.SetError != nil {
				c.Log.Error("telegram refused the bot token; check "+c.TokenKey, "bot", cp.Connector, "err", err, "retry_in", pause)
				refused := fmt.Errorf("telegram refused the bot token (401 Unauthorized): check %s in the config; a revoked token needs a new one from @BotFather", c.TokenKey)
				if rerr := c.SetError(ctx, cp.Connector, refused); rerr != nil && ctx.Err() == nil {
					c.Log.Warn("record telegram error", "bot", cp.Connector, "err", rerr)
				}
				failing = true
				continue
			}
			c.Log.Warn("telegram getUpdates failed", "bot", cp.Connector, "err", err, "retry_in", pause)
			continue
		}
		pause = 0
		if failing {
			if err := c.SetError(ctx, cp.Connector, nil); err != nil {
				c.Log.Warn("clear telegram error", "bot", cp.Connector, "err", err)
			} else {
				failing = false
			}
		}
		for _, u := range updates {
			hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), HandleWithin)
			if err := c.Handle(hctx, u); err != nil {
				cancel()
				grow()
				c.Log.Error("telegram update not handled; asking for it again", "bot", cp.Connector,
					"update", u.ID, "err", err, "retry_in", pause)
				break
			}
			offset = u.ID + 1
			next := cp
			next.Value = strconv.FormatInt(offset, 10)
			err := c.Save(hctx, next)
			cancel()
			if err != nil {
				// The update would come again after a restart; the next
				// save covers it.
				c.Log.Error("telegram offset not saved", "bot", cp.Connector, "offset", offset, "err", err)
			}
			if ctx.Err() != nil {
				return nil
			}
		}
	}
}

// apiError is a Bot API refusal.
type apiError struct {
	Code        int    `json:"error_code"`
	Description string `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Description) }

// getUpdates asks for the updates from offset on, waiting up to the poll
// timeout. The library's own poller moves its offset before an update is
// handled, so leadwire asks itself.
func (c *Config) getUpdates(ctx context.Context, offset int64) ([]*models.Update, time.Duration, error) {
	body, _ := json.Marshal(map[string]any{
		"offset":          offset,
		"timeout":         int(c.Timeout / time.Second),
		"allowed_updates": c.AllowedUpdates,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.APIURL+"/bot"+c.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		var uerr interface{ Unwrap() error }
		if errors.As(err, &uerr) {
			err = uerr.Unwrap() // the URL holds the token
		}
		return nil, 0, fmt.Errorf("getUpdates: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, 0, fmt.Errorf("getUpdates: %w", err)
	}
	var out struct {
		OK     bool             `json:"ok"`
		Result []*models.Update `json:"result"`
		apiError
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, 0, fmt.Errorf("getUpdates: %s: %w", resp.Status, err)
	}
	if !out.OK {
		return nil, time.Duration(out.Parameters.RetryAfter) * time.Second, fmt.Errorf("getUpdates: %w", &out.apiError)
	}
	return out.Result, 0, nil
}

// DefaultAPIURL is Telegram's own Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// NewBot returns the go-telegram client both of leadwire's bots use, with
// their shared defaults filled into the arguments: Telegram's server when
// *apiURL is "" (a trailing slash dropped), a 30 s long poll, and an HTTP
// client whose timeout outlasts it.
func NewBot(token string, apiURL *string, pollTimeout *time.Duration, client **http.Client) (*tg.Bot, error) {
	if *pollTimeout <= 0 {
		*pollTimeout = 30 * time.Second
	}
	if *client == nil {
		*client = &http.Client{Timeout: *pollTimeout + 15*time.Second}
	}
	*apiURL = strings.TrimRight(cmp.Or(*apiURL, DefaultAPIURL), "/")
	return tg.New(token, tg.WithServerURL(*apiURL), tg.WithSkipGetMe(), tg.WithHTTPClient(*pollTimeout, *client))
}
