package tgpoll

import (
	"errors"
	"strings"

	tg "github.com/go-telegram/bot"
)

// Permanent reports whether err is an answer of the Bot API that sending
// to the same chat again cannot change: the user blocked the bot or never
// started it (403), or the chat is gone or was never there (400 "chat not
// found", "user is deactivated", PEER_ID_INVALID). It is the one list both
// bots go by: the reps' bot for notices, the intake bot for replies to
// prospects.
func Permanent(err error) bool {
	if errors.Is(err, tg.ErrorForbidden) {
		return true
	}
	if !errors.Is(err, tg.ErrorBadRequest) {
		return false
	}
	msg := err.Error()
	for _, gone := range []string{"chat not found", "user is deactivated", "PEER_ID_INVALID"} {
		if strings.Contains(msg, gone) {
			return true
		}
	}
	return false
}
