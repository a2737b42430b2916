package slack

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestSlashCommands(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, false)
		lead := w.lead("Bangkok", "Somsak", "somsak@siam.example")
		deal := w.deal("Bangkok", "niran", "ploy@siam.example")
		ref, dref := core.LeadRef(lead), core.DealRef(deal)
		cases := []struct {
			name, who, text, wantType string
			want, not                 []string
		}{
			{"help is for the asker only", "U0NIRAN", "help", "ephemeral", []string{"/lw "}, nil},
			{"a lead shows as a card with Claim", "U0NIRAN", "lead " + ref, "ephemeral",
				[]string{`"action_id":"claim:` + ref + `"`, "Somsak"}, nil},
			{"claiming is shown to the channel", "U0PIM", "claim " + ref, "in_channel", []string{"claimed by Pim Jaidee"}, nil},
			{"a typo is answered with the right word", "U0NIRAN", "dael " + dref, "ephemeral", []string{"deal"}, nil},
			{"someone not in leadwire is told how to get access and nothing else", "U0STRANGER", "deal " + dref, "ephemeral",
				[]string{"not a leadwire user", "--slack U0STRANGER"}, []string{"Somsak", "Proposal", "action_id"}},
			{"a rep of another team cannot see the deal", "U0ZOFIA", "deal " + dref, "ephemeral", nil, []string{"ploy@siam.example", "action_id"}},
			{"a rep of another team cannot move the deal", "U0ZOFIA", "move " + dref + " proposal", "ephemeral", nil, []string{"moved"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				typ, body := reply(t, w.command(c.who, c.text))
				if typ != c.wantType {
					t.Errorf("response_type %q, want %q", typ, c.wantType)
				}
				for _, s := range c.want {
					if !strings.Contains(body, s) {
						t.Errorf("want %q in %s", s, body)
					}
				}
				for _, s := range c.not {
					if strings.Contains(body, s) {
						t.Errorf("do not want %q in %s", s, body)
					}
				}
			})
		}
		d, err := db.DealByID(w.ctx, deal)
		if err != nil {
			t.Fatal(err)
		}
		if p, _ := db.PipelineByID(w.ctx, d.PipelineID); p.Stage(d.StageID).Name != "Prospecting" {
			t.Errorf("the deal moved to %s", p.Stage(d.StageID).Name)
		}
	})
}

func TestButtons(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, false)
		lead := w.lead("Bangkok", "Somsak", "somsak@siam.example")
		deal := w.deal("Bangkok", "niran", "ploy@siam.example")
		ref, dref := core.LeadRef(lead), core.DealRef(deal)

		t.Run("a stranger's press gets the access answer and changes nothing", func(t *testing.T) {
			rec := w.interaction(w.pressIn("U0STRANGER", "C0BKK", "1793610000.000100", "claim:"+ref))
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "response" || !strings.Contains(calls[0].Raw, "not a leadwire user") ||
				strings.Contains(calls[0].Raw, "Somsak") {
				t.Fatalf("calls %v: %+v", methods(calls), calls)
			}
			if l, _ := db.LeadByID(w.ctx, lead); l.OwnerID != 0 {
				t.Fatal("the lead was claimed")
			}
		})
		t.Run("claim in the channel updates the card in place with the owner", func(t *testing.T) {
			w.interaction(w.pressIn("U0PIM", "C0BKK", "1793610000.000100", "claim:"+ref))
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "chat.update" {
				t.Fatalf("calls %v", methods(calls))
			}
			c := calls[0]
			if c.Param("channel") != "C0BKK" || c.Param("ts") != "1793610000.000100" || !strings.Contains(c.Param("blocks"), "claimed by Pim Jaidee") {
				t.Fatalf("chat.update %v", c.Form)
			}
			if strings.Contains(c.Param("blocks"), `"claim:`) {
				t.Error("the claimed card still offers Claim")
			}
		})
		t.Run("a rep of another team cannot move the deal through a button", func(t *testing.T) {
			w.interaction(w.pressIn("U0ZOFIA", "C0BKK", "1793610000.000200", "won:"+dref))
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "response" || strings.Contains(calls[0].Raw, `"replace_original":true`) {
				t.Fatalf("calls %v: %+v", methods(calls), calls)
			}
			if d, _ := db.DealByID(w.ctx, deal); d.Status != core.DealOpen {
				t.Fatalf("deal is %s", d.Status)
			}
		})
		t.Run("a press on an ephemeral card replaces it through response_url", func(t *testing.T) {
			p := w.pressIn("U0NIRAN", "C0BKK", "1793610000.000300", fmt.Sprintf("remind:%s:tomorrow", dref))
			p["container"].(map[string]any)["is_ephemeral"] = true
			w.interaction(p)
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "response" || !strings.Contains(calls[0].Raw, `"replace_original":true`) {
				t.Fatalf("calls %v: %+v", methods(calls), calls)
			}
		})
		t.Run("Lost opens a modal asking the reason", func(t *testing.T) {
			w.interaction(w.pressIn("U0NIRAN", "C0BKK", "1793610000.000400", "lost:"+dref))
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "views.open" {
				t.Fatalf("calls %v", methods(calls))
			}
			view := calls[0].Param("view")
			if !strings.Contains(view, `"callback_id":"lost"`) || !strings.Contains(view, `lost:`+dref+`:`) {
				t.Fatalf("view %s", view)
			}
			if d, _ := db.DealByID(w.ctx, deal); d.Status != core.DealOpen {
				t.Fatal("opening the modal lost the deal")
			}
		})
		t.Run("submitting the modal loses the deal and updates the card", func(t *testing.T) {
			meta := fmt.Sprintf(`{"ref":%q,"channel":"C0BKK","ts":"1793610000.000400"}`, dref)
			rec := w.interaction(map[string]any{"type": "view_submission", "user": map[string]any{"id": "U0NIRAN"},
				"view": map[string]any{"id": "V0001", "type": "modal", "callback_id": "lost", "private_metadata": meta,
					"state": map[string]any{"values": map[string]any{
						"reason": map[string]any{"reason": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "lost:" + dref + ":price"}}},
						"custom": map[string]any{"custom": map[string]any{"type": "plain_text_input", "value": nil}},
					}}}})
			if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "errors") {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "chat.update" || calls[0].Param("ts") != "1793610000.000400" {
				t.Fatalf("calls %v", methods(calls))
			}
			d, _ := db.DealByID(w.ctx, deal)
			if d.Status != core.DealLost {
				t.Fatalf("deal is %s", d.Status)
			}
		})
		t.Run("submitting the modal without a reason keeps it open", func(t *testing.T) {
			rec := w.interaction(map[string]any{"type": "view_submission", "user": map[string]any{"id": "U0NIRAN"},
				"view": map[string]any{"callback_id": "lost", "private_metadata": fmt.Sprintf(`{"ref":%q}`, dref),
					"state": map[string]any{"values": map[string]any{}}}})
			if !strings.Contains(rec.Body.String(), `"response_action":"errors"`) {
				t.Fatalf("body %s", rec.Body)
			}
		})
	})
}

func TestEvents(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	deal := w.deal("Bangkok", "niran", "ploy@siam.example")
	dref := core.DealRef(deal)

	t.Run("url_verification is answered with the challenge", func(t *testing.T) {
		rec := w.send("/slack/events", "application/json", `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`, nil)
		if rec.Code != http.StatusOK || rec.Body.String() != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
			t.Fatalf("%d %q", rec.Code, rec.Body)
		}
	})
	t.Run("a mention is answered in its thread", func(t *testing.T) {
		w.event("Ev001", map[string]any{"type": "app_mention", "user": "U0NIRAN", "text": "<@U0BOT> won " + dref,
			"ts": "1793610000.000500", "channel": "C0BKK", "event_ts": "1793610000.000500"}, nil)
		calls := w.api.take()
		if len(calls) != 1 || calls[0].Method != "chat.postMessage" || calls[0].Param("thread_ts") != "1793610000.000500" ||
			calls[0].Param("channel") != "C0BKK" {
			t.Fatalf("calls %v %+v", methods(calls), calls)
		}
		if d, _ := w.db.DealByID(w.ctx, deal); d.Status != core.DealWon {
			t.Fatalf("deal is %s", d.Status)
		}
	})
	t.Run("a retried event is not acted on twice", func(t *testing.T) {
		rec := w.event("Ev001", map[string]any{"type": "app_mention", "user": "U0NIRAN", "text": "<@U0BOT> won " + dref,
			"ts": "1793610000.000500", "channel": "C0BKK"}, http.Header{"X-Slack-Retry-Num": {"1"}, "X-Slack-Retry-Reason": {"http_timeout"}})
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("calls %v", methods(calls))
		}
	})
	t.Run("a read asked by mention is shown to the asker only", func(t *testing.T) {
		w.event("Ev002", map[string]any{"type": "app_mention", "user": "U0NIRAN", "text": "<@U0BOT> deal " + dref,
			"ts": "1793610000.000600", "channel": "C0BKK"}, nil)
		calls := w.api.take()
		if len(calls) != 1 || calls[0].Method != "chat.postEphemeral" || calls[0].Param("user") != "U0NIRAN" {
			t.Fatalf("calls %v", methods(calls))
		}
	})
	t.Run("a direct message is answered in the DM", func(t *testing.T) {
		w.event("Ev003", map[string]any{"type": "message", "channel_type": "im", "user": "U0NIRAN", "text": "deals",
			"ts": "1793610000.000700", "channel": "D0NIRAN"}, nil)
		calls := w.api.take()
		if len(calls) != 1 || calls[0].Method != "chat.postMessage" || calls[0].Param("channel") != "D0NIRAN" {
			t.Fatalf("calls %v", methods(calls))
		}
	})
	t.Run("opening App Home publishes the pipeline and today's tasks", func(t *testing.T) {
		w.event("Ev006", map[string]any{"type": "app_home_opened", "user": "U0NIRAN", "channel": "D0NIRAN", "tab": "home"}, nil)
		calls := w.api.take()
		if len(calls) != 1 || calls[0].Method != "views.publish" || calls[0].Param("user_id") != "U0NIRAN" ||
			!strings.Contains(calls[0].Param("view"), `"type":"home"`) {
			t.Fatalf("calls %+v", calls)
		}
	})
	t.Run("the bot's own messages are not answered", func(t *testing.T) {
		w.event("Ev004", map[string]any{"type": "message", "channel_type": "im", "bot_id": "B0LW", "user": "U0BOT", "text": "deals",
			"ts": "1793610000.000800", "channel": "D0NIRAN"}, nil)
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("calls %v", methods(calls))
		}
	})
	t.Run("a stranger's DM gets the access answer only", func(t *testing.T) {
		w.event("Ev005", map[string]any{"type": "message", "channel_type": "im", "user": "U0STRANGER", "text": "deals",
			"ts": "1793610000.000900", "channel": "D0STRANGER"}, nil)
		calls := w.api.take()
		if len(calls) != 1 || !strings.Contains(calls[0].Param("blocks"), "not a leadwire user") || strings.Contains(calls[0].Param("blocks"), "Somsak") {
			t.Fatalf("calls %+v", calls)
		}
	})
}

func TestAutoProvision(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, true)
		w.api.Email("ada@example.com", "U0ADA")
		_, body := reply(t, w.command("U0ADA", "help"))
		if strings.Contains(body, "not a leadwire user") {
			t.Fatalf("ada was not provisioned: %s", body)
		}
		u, err := db.UserByEmail(w.ctx, "ada@example.com")
		if err != nil || u.SlackID != "U0ADA" {
			t.Fatalf("ada = %+v, %v", u, err)
		}
		if got := methods(w.api.take()); len(got) != 1 || got[0] != "users.lookupByEmail" {
			t.Errorf("calls %v", got)
		}
		t.Run("a Slack user with no leadwire email match stays unknown", func(t *testing.T) {
			_, body := reply(t, w.command("U0NOBODY", "deals"))
			if !strings.Contains(body, "not a leadwire user") {
				t.Fatalf("body %s", body)
			}
			w.api.take()
			reply(t, w.command("U0NOBODY", "deals mine"))
			if calls := w.api.take(); len(calls) != 0 {
				t.Errorf("looked up again at once: %v", methods(calls))
			}
		})
	})
}

// TestHandleNewLead: a new lead is a notice (core.NoticeNewLead) to its
// team, delivered by the notice sender through the Slack notifier.
func TestHandleNewLead(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, false)
		now := start
		w.adapter.now = func() time.Time { now = now.Add(2 * time.Second); return now } // never paced
		lead := w.lead("Bangkok", "Somsak", "somsak@siam.example")
		l, err := w.db.LeadByID(w.ctx, lead)
		if err != nil {
			t.Fatal(err)
		}
		notice := func(id int64) core.NotifyJob {
			return core.NotifyJob{Channel: core.ChannelSlack, Notice: core.Notice{Kind: core.NoticeNewLead, TeamID: l.TeamID, LeadID: id,
				Key: core.NoticeKey(string(core.NoticeNewLead), core.LeadRef(id))}}
		}
		job := notice(lead)
		worker := w.svc.Notices.NewNoticeSender(map[string]core.Notifier{core.ChannelSlack: w.adapter}, nil).Handle

		t.Run("a 429 snoozes the job for Retry-After", func(t *testing.T) {
			w.api.Limit(1, 30*time.Second)
			err := worker(w.ctx, job, core.JobInfo{Attempt: 1})
			if after, ok := core.RetryAfterOf(err); !ok || after.Seconds() != 30 {
				t.Fatalf("err = %v", err)
			}
			w.api.take()
		})
		t.Run("the lead is posted to the team's channel with Claim", func(t *testing.T) {
			if err := worker(w.ctx, job, core.JobInfo{Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "chat.postMessage" || calls[0].Param("channel") != "C0BKK" ||
				!strings.Contains(calls[0].Param("blocks"), `"claim:`+core.LeadRef(lead)+`"`) ||
				!strings.Contains(calls[0].Param("metadata"), `"key":"new_lead:`+core.LeadRef(lead)+`"`) {
				t.Fatalf("calls %+v", calls)
			}
		})
		t.Run("delivered again, it finds the card in the channel by its key and posts nothing", func(t *testing.T) {
			again := core.JobInfo{Attempt: 2, CreatedAt: start.Add(-time.Hour)}
			if err := worker(w.ctx, job, again); err != nil {
				t.Fatal(err)
			}
			calls := w.api.take()
			if got := strings.Join(methods(calls), ","); got != "conversations.history" || calls[0].Param("channel") != "C0BKK" {
				t.Fatalf("calls %s", got)
			}
		})
		t.Run("a lead gone from the database cancels the job", func(t *testing.T) {
			if err := worker(w.ctx, notice(999999), core.JobInfo{Attempt: 1}); !core.IsPermanent(err) {
				t.Fatalf("err = %v", err)
			}
		})
	})
}
