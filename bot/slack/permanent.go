package slack

import (
	"errors"

	"github.com/slack-go/slack"

	"leadwire/core"
)

// permanent are the error codes of chat.postMessage (and of the DM it may
// open) that Slack will answer again however often the post is retried,
// as Slack's Web API reference describes them: the place is gone or shut
// to the bot, the message itself is refused, or the token is dead or
// lacks a scope. Transient answers (ratelimited, internal_error,
// fatal_error, request_timeout, service_unavailable, a workspace in
// migration: team_added_to_org, org_login_required) are not here: they are
// retried.
var permanent = map[string]bool{
	// The channel, thread or person.
	"channel_not_found": true, "not_in_channel": true, "is_archived": true,
	"thread_not_found": true, "cannot_reply_to_message": true,
	"user_not_found": true, "users_not_found": true, "user_disabled": true,
	"cannot_dm_bot": true, "messages_tab_disabled": true,
	// What the workspace or channel allows.
	"restricted_action": true, "restricted_action_read_only_channel": true,
	"restricted_action_thread_only_channel": true, "restricted_action_non_threadable_channel": true,
	"ekm_access_denied": true, "no_permission": true, "access_denied": true,
	"team_access_not_granted": true,
	// The message.
	"msg_too_long": true, "no_text": true, "too_many_attachments": true,
	"invalid_blocks": true, "invalid_blocks_format": true,
	"invalid_metadata_format": true, "invalid_metadata_schema": true, "metadata_too_large": true,
	"as_user_not_supported": true,
	// The token.
	"not_authed": true, "invalid_auth": true, "account_inactive": true,
	"token_revoked": true, "token_expired": true, "missing_scope": true,
	"not_allowed_token_type": true,
}

// Permanent reports whether code, the "error" of a Slack Web API answer,
// is one that retrying the same post cannot change. It is the one list of
// Slack's permanent errors: notices and replies to prospects both go by it.
func Permanent(code string) bool { return permanent[code] }

// undeliverable marks err core.ErrUndeliverable when it is an answer of
// Slack's that is Permanent; anything else is returned as it is.
func undeliverable(err error) error {
	var answer slack.SlackErrorResponse
	if errors.As(err, &answer) && Permanent(answer.Err) {
		return core.Undeliverable(err)
	}
	return err
}
