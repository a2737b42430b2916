package slack

import (
	"errors"
	"fmt"
	"testing"

	"github.com/slack-go/slack"

	"leadwire/core"
)

// TestSlacksPermanentErrorsAreUndeliverableOnEveryPath: a notice and a
// rep's reply to a prospect go by the same list of Slack's answers that
// retrying cannot change, as Slack's Web API reference lists them for
// chat.postMessage and the DM it opens.
func TestSlacksPermanentErrorsAreUndeliverableOnEveryPath(t *testing.T) {
	permanentCodes := []string{
		"channel_not_found", "not_in_channel", "is_archived", "thread_not_found", "cannot_reply_to_message",
		"user_not_found", "users_not_found", "user_disabled", "cannot_dm_bot", "messages_tab_disabled",
		"restricted_action", "restricted_action_read_only_channel", "restricted_action_thread_only_channel",
		"restricted_action_non_threadable_channel", "ekm_access_denied", "no_permission", "access_denied",
		"team_access_not_granted", "msg_too_long", "no_text", "too_many_attachments", "invalid_blocks",
		"invalid_blocks_format", "invalid_metadata_format", "invalid_metadata_schema", "metadata_too_large",
		"as_user_not_supported", "not_authed", "invalid_auth", "account_inactive", "token_revoked",
		"token_expired", "missing_scope", "not_allowed_token_type",
	}
	transientCodes := []string{"internal_error", "fatal_error", "request_timeout", "service_unavailable",
		"team_added_to_org", "org_login_required", "ratelimited"}
	api := newAPI(t)
	a := New(nil, nil, Options{BotToken: "xoxb-test", APIURL: api.APIURL()})
	check := func(t *testing.T, code string, want bool) {
		t.Helper()
		api.Refuse("chat.postMessage", code)
		err := a.PostThread(t.Context(), "C0INTAKE", "1793610000.000100", "hello")
		if err == nil {
			t.Fatal("the post went through")
		}
		if got := errors.Is(err, core.ErrUndeliverable); got != want {
			t.Errorf("a reply to a prospect: undeliverable %v, want %v (%v)", got, want, err)
		}
		if got := errors.Is(noticeError(fmt.Errorf("slack notice n1: %w", slack.SlackErrorResponse{Err: code})), core.ErrUndeliverable); got != want {
			t.Errorf("a notice: undeliverable %v, want %v", got, want)
		}
		if Permanent(code) != want {
			t.Errorf("Permanent(%q) = %v", code, !want)
		}
	}
	for _, code := range permanentCodes {
		t.Run(code+" is final for replies and notices alike", func(t *testing.T) { check(t, code, true) })
	}
	for _, code := range transientCodes {
		t.Run(code+" is retried", func(t *testing.T) { check(t, code, false) })
	}
}
