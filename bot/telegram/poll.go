package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"

	"leadwire/core"
)

// handleWithin bounds the handling of one update, which goes on through a
// shutdown so the offset saved after it is true.
const handleWithin = 30 * time.Second

// Poll reads updates with getUpdates until ctx ends, handling each in turn
// and saving the offset after it (checkpoint CheckpointConnector /
// CheckpointKey), so a restart neither replays a handled update nor skips
// an unhandled one. Errors of the Bot API are logged and retried with a
// growing pause (a 429's retry_after when given); a token Telegram refuses
// (401: revoked or mistyped) is also recorded as the connector's error
// (CheckpointConnector), so the admins are alerted, and cleared by the
// next successful poll. Poll returns nil when ctx ends.
func (a *Adapter) Poll(ctx context.Context) error {
	saved, err := a.svc.Store().LoadCheckpoint(ctx, CheckpointConnector, CheckpointKey)
	if err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
	var offset int64
	if saved != "" {
		if offset, err = strconv.ParseInt(saved, 10, 64); err != nil {
			return fmt.Errorf("telegram: bad saved offset %q: %w", saved, err)
		}
	}
	var pause time.Duration
	// A previous run may have left an error behind: the first successful
	// poll clears it.
	failing, err := a.leftError(ctx)
	if err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
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
		updates, retry, err := a.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			pause = min(max(2*pause, time.Second), time.Minute)
			if retry > 0 {
				pause = retry
			}
			var ae *apiError
			if errors.As(err, &ae) && ae.Code == http.StatusUnauthorized {
				a.log.Error("telegram refused the bot token; check telegram.bot_token", "err", err, "retry_in", pause)
				if rerr := a.svc.ConnectorError(ctx, CheckpointConnector, errTokenRefused); rerr != nil && ctx.Err() == nil {
					a.log.Warn("record telegram error", "err", rerr)
				}
				failing = true
				continue
			}
			a.log.Warn("telegram getUpdates failed", "err", err, "retry_in", pause)
			continue
		}
		pause = 0
		if failing {
			if err := a.svc.ConnectorError(ctx, CheckpointConnector, nil); err != nil {
				a.log.Warn("clear telegram error", "err", err)
			} else {
				failing = false
			}
		}
		for _, u := range updates {
			hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleWithin)
			a.HandleUpdate(hctx, u)
			offset = u.ID + 1
			err := a.svc.Checkpoint(hctx, core.Checkpoint{Connector: CheckpointConnector, Key: CheckpointKey,
				Value: strconv.FormatInt(offset, 10)})
			cancel()
			if err != nil {
				// The update would come again after a restart; the next
				// save covers it.
				a.log.Error("telegram offset not saved", "offset", offset, "err", err)
			}
			if ctx.Err() != nil {
				return nil
			}
		}
	}
}

// leftError reports whether the connector has an error recorded.
func (a *Adapter) leftError(ctx context.Context) (bool, error) {
	statuses, err := a.svc.Store().ConnectorStatuses(ctx)
	if err != nil {
		return false, err
	}
	for _, s := range statuses {
		if s.Connector == CheckpointConnector {
			return s.LastError != "", nil
		}
	}
	return false, nil
}

// errTokenRefused is the connector error of a bot token Telegram refuses.
var errTokenRefused = errors.New("telegram refused the bot token (401 Unauthorized): check telegram.bot_token in the config; a revoked token needs a new one from @BotFather")

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
func (a *Adapter) getUpdates(ctx context.Context, offset int64) ([]*models.Update, time.Duration, error) {
	body, _ := json.Marshal(map[string]any{
		"offset":          offset,
		"timeout":         int(a.opts.PollTimeout / time.Second),
		"allowed_updates": []string{"message", "callback_query"},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.opts.APIURL+"/bot"+a.opts.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
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
