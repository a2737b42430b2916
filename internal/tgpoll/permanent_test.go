package tgpoll

import (
	"errors"
	"fmt"
	"testing"

	tg "github.com/go-telegram/bot"
)

func TestPermanentTellsAChatThatIsGoneFromAHiccup(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"a bot the user blocked is final", fmt.Errorf("%w, Forbidden: bot was blocked by the user", tg.ErrorForbidden), true},
		{"a chat not found is final", fmt.Errorf("%w, Bad Request: chat not found", tg.ErrorBadRequest), true},
		{"a deactivated user is final", fmt.Errorf("%w, Bad Request: user is deactivated", tg.ErrorBadRequest), true},
		{"an invalid peer is final", fmt.Errorf("%w, Bad Request: PEER_ID_INVALID", tg.ErrorBadRequest), true},
		{"another bad request is retried", fmt.Errorf("%w, Bad Request: message is too long", tg.ErrorBadRequest), false},
		{"a network failure is retried", errors.New("connection reset by peer"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Permanent(tc.err); got != tc.want {
				t.Errorf("Permanent(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
