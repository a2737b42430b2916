package email

import (
	"fmt"
	"slices"
	"strings"

	"leadwire/core"
)

// ToInbound maps a message and its verdict to what core.Capture takes.
// source is the mailbox name and team a routing hint ("" for the default
// team). The text is the snippet: the new part of the message, not the
// thread it quotes.
func ToInbound(m *Message, v Verdict, source, team string) core.Inbound {
	in := core.Inbound{
		Channel:    core.ChannelEmail,
		Source:     source,
		ExternalID: m.MessageID,
		Name:       v.Contact.Name,
		Email:      v.Contact.Address,
		Subject:    m.Subject,
		Text:       m.Snippet,
		Raw:        m.Raw,
		ReceivedAt: m.Date,
		Locale:     m.Language,
		Team:       team,
		Metadata:   map[string]string{"message_id": m.MessageID},
	}
	in.References = threadRefs(m)
	if len(m.Attachments) > 0 {
		in.Metadata["attachments"] = attachmentSummary(m.Attachments)
	}
	if v.Reason == ReasonFormRelay {
		in.Metadata["relayed_by"] = m.From.Address
	}
	return in
}

// maxRefs bounds the message ids handed to core, which looks each up.
const maxRefs = 20

// threadRefs lists the ids a message replies to, nearest first: its
// parent (In-Reply-To), then References from the newest back, deduplicated
// and capped, so that a long thread costs core a bounded number of look-ups.
func threadRefs(m *Message) []string {
	ids := slices.Clone(m.InReplyTo)
	for i := len(m.References) - 1; i >= 0; i-- {
		ids = append(ids, m.References[i])
	}
	var out []string
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
			if len(out) == maxRefs {
				break
			}
		}
	}
	return out
}

// attachmentSummary lists attachments as "offer.pdf (application/pdf,
// 120 KB), logo.png (image/png, 3 KB)".
func attachmentSummary(as []Attachment) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		name := a.Name
		if name == "" {
			name = "unnamed"
		}
		parts = append(parts, fmt.Sprintf("%s (%s, %s)", name, a.ContentType, humanSize(a.Size)))
	}
	return strings.Join(parts, ", ")
}

// humanSize formats a byte count in B, KB or MB (powers of 1024).
func humanSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d KB", (n+512)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}
