package hooks_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"leadwire/connectors/hooks"
	"leadwire/core"
	"leadwire/internal/hooktest"
	"leadwire/internal/secretbox"
	"leadwire/internal/view"
	"leadwire/internal/wait"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// seedEvents subscribes rcv to lead.claimed and writes records×per events
// into the outbox, the events of each record numbered (hooktest.Seq) and
// interleaved with the others', as a busy pipeline writes them. It
// returns the event ids.
func seedEvents(t testing.TB, db *storage.DB, svc *core.Service, box core.Sealer, rcv *hooktest.Receiver, records, per int) []string {
	t.Helper()
	ctx := context.Background()
	operator := &core.User{Name: "operator", Role: core.RoleAdmin, Active: true}
	h, secret, err := svc.Hooks.Add(ctx, operator, box, core.HookInput{URL: rcv.URL + "/hook", Events: []core.EventType{core.EventLeadClaimed}, NewSecret: hooks.NewSecret})
	if err != nil {
		t.Fatal(err)
	}
	rcv.Secret = secret
	var ids []string
	now := time.Now().UTC()
	const batch = 1000
	n := records * per
	for start := 0; start < n; start += batch {
		err := db.Update(ctx, func(tx core.Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				rec, seq := int64(i%records+1), i/records
				data, _ := json.Marshal(core.EventData{Lead: &core.Lead{ID: rec, Status: core.LeadClaimed, SourceChannel: core.ChannelWebform,
					Subject: hooktest.Seq(seq), CreatedAt: now}})
				e := &core.HookEvent{ID: core.NewEventID(), Type: core.EventLeadClaimed, Record: "L" + strconv.FormatInt(rec, 10), At: now, Data: data}
				if err := tx.AddHookEvent(ctx, e, []int64{h.ID}); err != nil {
					return err
				}
				ids = append(ids, e.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// TestTenThousandEventsReachAReceiverThatRefusesHalf delivers 10,000
// events of 1,000 records to a receiver that refuses the first try of
// each (half its requests): every event arrives, each record's in order,
// and the time it took is printed (no limit is asserted).
func TestTenThousandEventsReachAReceiverThatRefusesHalf(t *testing.T) {
	if testing.Short() {
		t.Skip("delivers 10,000 events")
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		for _, failFirst := range []bool{false, true} {
			name := "a receiver that takes every event"
			if failFirst {
				name = "a receiver that refuses the first try of each"
			}
			t.Run(name, func(t *testing.T) {
				svc := core.NewService(db, nil, core.DefaultSettings(), nil)
				box := secretbox.New(secretbox.NewKey())
				rcv := hooktest.New(t)
				rcv.FailFirst = failFirst
				ids := seedEvents(t, db, svc, box, rcv, 1000, 10)
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				start := time.Now()
				go func() {
					defer close(done)
					core.NewHookDispatcher(svc, box, hooks.NewSender(true), view.EventBody, 16).Run(ctx, 50*time.Millisecond)
				}()
				ok := wait.Until(5*time.Minute, func() bool { return rcv.Stats().Events >= len(ids) })
				took := time.Since(start)
				cancel()
				<-done
				st := rcv.Stats()
				if !ok {
					t.Fatalf("%d of %d events arrived: %+v", st.Events, len(ids), st)
				}
				for _, id := range ids {
					if !rcv.Taken(id) {
						t.Fatalf("event %s was lost", id)
					}
				}
				if len(st.OutOfOrder) > 0 || st.BadSig > 0 {
					t.Errorf("out of order %v; bad signatures %d", st.OutOfOrder[:min(5, len(st.OutOfOrder))], st.BadSig)
				}
				t.Logf("%s: %d events of 1,000 records delivered in %s (%.0f events/s); %d requests, %d refused, %d duplicates",
					db.Dialect(), st.Events, took.Round(time.Millisecond), float64(st.Events)/took.Seconds(), st.Requests, st.Refused, st.Duplicates)
			})
		}
	})
}

// BenchmarkHookDelivery delivers 10,000 events of 1,000 records from the
// outbox to a local receiver on SQLite, each op; run it with -benchtime
// 1x. It reports events/s and the repeats the receiver flagged.
func BenchmarkHookDelivery(b *testing.B) {
	for _, failFirst := range []bool{false, true} {
		name := "all-taken"
		if failFirst {
			name = "half-refused"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				db := storagetest.SQLite(b)
				svc := core.NewService(db, nil, core.DefaultSettings(), nil)
				box := secretbox.New(secretbox.NewKey())
				rcv := hooktest.New(b)
				rcv.FailFirst = failFirst
				ids := seedEvents(b, db, svc, box, rcv, 1000, 10)
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				b.StartTimer()
				start := time.Now()
				go func() {
					defer close(done)
					core.NewHookDispatcher(svc, box, hooks.NewSender(true), view.EventBody, 16).Run(ctx, 50*time.Millisecond)
				}()
				ok := wait.Until(5*time.Minute, func() bool { return rcv.Stats().Events >= len(ids) })
				took := time.Since(start)
				b.StopTimer()
				cancel()
				<-done
				st := rcv.Stats()
				if !ok || len(st.OutOfOrder) > 0 {
					b.Fatalf("%d of %d events arrived, %d out of order", st.Events, len(ids), len(st.OutOfOrder))
				}
				b.ReportMetric(float64(st.Events)/took.Seconds(), "events/s")
				b.ReportMetric(took.Seconds(), "s/10000-events")
				b.ReportMetric(float64(st.Duplicates), "duplicates")
			}
		})
	}
}
