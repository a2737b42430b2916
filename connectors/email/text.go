package email

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Patterns of what mail clients put below the new text of a message.
var (
	// "On Tue, 12 Mar 2024 at 10:15, Jan <jan@x.pl> wrote:" and its
	// translations: Gmail, Apple Mail, Thunderbird and Outlook on the web.
	replyHeader = regexp.MustCompile(`(?i)^\s*(on|am|le|w dniu|dnia|el|il|op|em|den|dne|på|pada|vào|в|در|เมื่อ)\s.*\s?(wrote|schrieb|a écrit|pisze|napisał\(a\)|napisała|napisał|escribió|ha scritto|schreef|escreveu|skrev|napsal|menulis|đã viết|viết|написал\(а\)|написала|написал|kirjoitti|írta|yazdı|نوشت|เขียนว่า)\s*[:：]\s*$`)
	replyStart  = regexp.MustCompile(`(?i)^\s*(on|am|le|w dniu|dnia|el|il|op|em|den|dne|på|pada|vào|в|در|เมื่อ)\s`)
	// "Jan <jan@x.pl> 于2024年3月12日周二 10:15写道：" (Chinese Gmail).
	replyHeaderCJK = regexp.MustCompile(`@.*(写道|寫道)\s*[:：]?\s*$`)
	// "пн, 12 мар. 2024 г. в 10:15, Jan <jan@x.pl>:" and other languages
	// without a verb, when quoted lines follow.
	addressColon = regexp.MustCompile(`<[^<>@\s]+@[^<>\s]+>\s*[:：]\s*$`)

	originalMessage = regexp.MustCompile(`(?i)^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|oryginalna wiadomość|wiadomość oryginalna|mensaje original|messaggio originale|oorspronkelijk bericht|originalmeddelande|исходное сообщение|původní zpráva|thư gốc)\s*-{2,}\s*$`)
	underscores     = regexp.MustCompile(`^\s*_{20,}\s*$`)

	// Outlook's reply block: "From: ..." followed by "Sent: ..." or "Date: ...".
	headerFrom = regexp.MustCompile(`(?i)^\s*\*?(from|von|de|od|van|da|från|fra|от|lähettäjä|từ|feladó|kimden)\s*:\*?\s*\S`)
	headerSent = regexp.MustCompile(`(?i)^\s*\*?(sent|date|gesendet|datum|envoyé|wysłano|wysłane|data|verzonden|enviado|inviato|skickat|sendt|отправлено|дата|đã gửi|ngày|elküldve|gönderildi|tarih)\s*:`)

	mobileSignature = regexp.MustCompile(`(?i)^\s*(sent from my |sent from mail for |sent from yahoo mail|sent from outlook|get outlook for |sent with |sent via |von meinem .* gesendet|gesendet von meinem|envoyé de mon|enviado desde mi|enviado do meu|inviato da|verzonden vanaf|wysłane z|wysłano z|отправлено с|gửi từ)`)
)

// snippet is text without quoted replies and signature, at most limit
// runes. When trimming leaves nothing (a bare forward, a reply above
// nothing), it is the whole text, so a lead never arrives empty.
func snippet(text string, limit int) string {
	lines := strings.Split(text, "\n")
	var out []string
	fwd := false
	kept := 0 // bytes kept: past the cap, later lines cannot show
	for i := 0; i < len(lines) && kept <= 4*limit; i++ {
		l := lines[i]
		if l == "-- " || strings.TrimRight(l, " \t") == "--" {
			break
		}
		trimmed := strings.TrimSpace(l)
		if strings.HasPrefix(trimmed, ">") {
			continue
		}
		if len(trimmed) < 80 && strings.ContainsAny(trimmed, "-:") && isForwardMarker(trimmed) {
			fwd = true
		}
		if trimmed != "" && ends(lines, i, trimmed, fwd) {
			break
		}
		out = append(out, strings.TrimRight(l, " \t\r"))
		kept += len(l)
	}
	s := tidy(strings.Join(out, "\n"))
	if s == "" {
		s = tidy(text)
	}
	return capRunes(s, limit)
}

// forwardMarkers start a forwarded message, in lower case.
var forwardMarkers = []string{
	"forwarded message", "forwarded by", "weitergeleitete nachricht", "message transféré",
	"wiadomość przekazana", "mensaje reenviado", "messaggio inoltrato", "doorgestuurd bericht",
	"пересылаемое сообщение", "thư đã chuyển tiếp",
}

// isForwardMarker reports whether a line opens a forwarded message, whose
// "From:"/"Date:" block is the lead, not a quoted reply.
func isForwardMarker(t string) bool {
	t = strings.ToLower(t)
	for _, m := range forwardMarkers {
		if strings.Contains(t, m) {
			return true
		}
	}
	return false
}

// ends reports whether lines[i], trimmed to t, starts what mail clients
// put below the new text. Cheap tests guard each pattern: this runs on
// every line.
func ends(lines []string, i int, t string, fwd bool) bool {
	colon := strings.IndexByte(t[:min(len(t), 24)], ':')
	switch {
	case isReplyHeader(lines, i):
		return true
	case strings.HasPrefix(t, "--"):
		return originalMessage.MatchString(t)
	case strings.HasPrefix(t, "__"):
		return underscores.MatchString(t) && nextIsHeader(lines, i+1)
	case colon > 0 && !fwd && headerFrom.MatchString(t):
		return sentFollows(lines, i+1)
	}
	return len(t) < 80 && mobileSignature.MatchString(t)
}

// isReplyHeader reports whether lines[i] starts an "On ... wrote:" line,
// which Gmail wraps over up to three lines when the name is long.
func isReplyHeader(lines []string, i int) bool {
	l := strings.TrimRight(lines[i], " \t\r")
	if len(l) > 400 {
		return false
	}
	if endsWithColon(l) {
		if replyHeader.MatchString(l) || replyHeaderCJK.MatchString(l) ||
			addressColon.MatchString(l) && nextIsQuoted(lines, i+1) {
			return true
		}
	} else if strings.HasSuffix(l, "写道") || strings.HasSuffix(l, "寫道") {
		return replyHeaderCJK.MatchString(l)
	}
	if !replyStart.MatchString(l) {
		return false
	}
	joined := l
	for j := i + 1; j < len(lines) && j <= i+2; j++ {
		joined += " " + strings.TrimSpace(lines[j])
		if len(joined) > 400 {
			return false
		}
		if endsWithColon(joined) && replyHeader.MatchString(joined) {
			return true
		}
	}
	return false
}

func endsWithColon(s string) bool {
	return strings.HasSuffix(s, ":") || strings.HasSuffix(s, "：")
}

// sentFollows reports whether a "Sent:"/"Date:" line comes within the four
// lines from i, completing an Outlook reply block.
func sentFollows(lines []string, i int) bool {
	for j := i; j < len(lines) && j < i+4; j++ {
		if headerSent.MatchString(lines[j]) {
			return true
		}
	}
	return false
}

// nextIsHeader reports whether the first non-blank line from i is a
// "From:" line.
func nextIsHeader(lines []string, i int) bool {
	for ; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "" {
			return headerFrom.MatchString(lines[i])
		}
	}
	return false
}

// nextIsQuoted reports whether the first non-blank line from i is quoted.
func nextIsQuoted(lines []string, i int) bool {
	for ; i < len(lines); i++ {
		if t := strings.TrimSpace(lines[i]); t != "" {
			return strings.HasPrefix(t, ">")
		}
	}
	return false
}

// capRunes cuts s to at most limit runes, ending with "…" when cut.
func capRunes(s string, limit int) string {
	if limit <= 0 || utf8.RuneCountInString(s) <= limit {
		return s
	}
	n := 0
	for i := range s {
		if n == limit-1 {
			return strings.TrimRight(s[:i], " \n") + "…"
		}
		n++
	}
	return s
}
