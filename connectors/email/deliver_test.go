package email

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"leadwire/core"
)

func TestSettleKeepsRefusedInboundsAndNeverSkipsAFailedOne(t *testing.T) {
	refused := core.Errorf(core.KindInvalid, "inbound has no email")
	broken := errors.New("database is locked")
	tests := []struct {
		name       string
		errs       []error // of the run's three inbounds; nil: stored
		wantErr    bool
		wantFailed int
		wantCP     string
	}{
		{"a refused inbound is kept and the checkpoint stays past the run", []error{nil, refused, nil}, false, 1, "1:3"},
		{"a refused last inbound moves the checkpoint past it", []error{nil, nil, refused}, false, 1, "1:3"},
		{"a failure that may heal puts the checkpoint back before it", []error{nil, broken, nil}, true, 0, "1:1"},
		{"a failure of the first puts it back before the run", []error{broken, nil, nil}, true, 0, "1:0"},
		{"a refusal before a failure is kept, the checkpoint before the failure", []error{refused, broken, nil}, true, 1, "1:1"},
		{"a canceled context fetches again rather than keeping", []error{nil, context.Canceled, nil}, true, 0, "1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.connector(Mailbox{Name: "sales", Host: "localhost", Username: "u", TLS: core.TLSNone})
			run := make([]core.Inbound, 3)
			for i := range run {
				cp := c.checkpoint("INBOX", position{1, imap.UID(i + 1)})
				run[i] = core.Inbound{Channel: core.ChannelEmail, Source: "sales", ExternalID: fmt.Sprintf("m%d@x", i),
					Email: fmt.Sprintf("p%d@prospect.example", i), Subject: "Hi", ReceivedAt: time.Now(), Checkpoint: &cp, Raw: []byte("raw")}
			}
			// What core did before settle is called: stored the inbounds
			// without an error, each moving the checkpoint.
			for i, err := range tt.errs {
				if err == nil {
					if _, err := e.svc.Capture(e.ctx, run[i]); err != nil {
						t.Fatal(err)
					}
				}
			}
			prev := c.checkpoint("INBOX", position{1, 0})
			err := c.settle(e.ctx, run, tt.errs, prev)
			if (err != nil) != tt.wantErr {
				t.Errorf("settle: %v, want an error: %v", err, tt.wantErr)
			}
			if got := e.status(c.Name()).Counts[core.CountFailed]; got != int64(tt.wantFailed) {
				t.Errorf("%d kept as failed, want %d", got, tt.wantFailed)
			}
			if got := e.checkpoint(c.Name(), "INBOX"); got != tt.wantCP {
				t.Errorf("checkpoint %q, want %q", got, tt.wantCP)
			}
		})
	}
}
