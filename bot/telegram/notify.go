package telegram

import (
	"strconv"
	"strings"
)

// chatID reads a configured chat: a numeric id (-100…) or a public @name;
// nil when none.
func chatID(s string) any {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		return id
	}
	return s
}
