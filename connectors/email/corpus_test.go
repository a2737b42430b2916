package email

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// findCorpus finds shared/corpus/email by walking up from the package
// directory: the corpus lives beside the repository, not in it.
func findCorpus() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		c := filepath.Join(dir, "shared", "corpus", "email")
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			return c, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// readCorpus returns every file under the corpus, relative path → bytes.
func readCorpus() (map[string][]byte, error) {
	root, ok := findCorpus()
	if !ok {
		return nil, nil
	}
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	return files, err
}

// corpusFiles returns the corpus files, skipping when there are none.
func corpusFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := readCorpus()
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Skip("no files under shared/corpus/email above the package directory")
	}
	return files
}

// wellFormedWord is an RFC 2047 encoded word as a mailer should write it.
var wellFormedWord = regexp.MustCompile(`=\?[A-Za-z0-9_.:*-]+\?[BbQq]\?[^?\s]*\?=`)

func TestCorpusParsesSanely(t *testing.T) {
	files := corpusFiles(t)
	parsed, notMail := 0, []string{}
	for name, raw := range files {
		expectNotMail := len(bytes.TrimSpace(raw)) == 0 || name == "mikel-mail/LICENSE" || name == "mikel-mail/SOURCE.txt"
		t.Run(name, func(t *testing.T) {
			m, err := parse(raw, ParseOptions{}) // no recover: a panic fails the test
			if err != nil {
				if !errors.Is(err, ErrNotMail) {
					t.Fatalf("error does not wrap ErrNotMail: %v", err)
				}
				notMail = append(notMail, name+": "+err.Error())
				if !expectNotMail {
					t.Errorf("a corpus message was refused: %v", err)
				}
				return
			}
			if expectNotMail {
				t.Errorf("not a message, yet parsed")
			}
			parsed++
			checkMessage(t, m, ParseOptions{}.withDefaults())
			if m.From.Address == "" && m.From.Name == "" && hasHeader(raw, "From") {
				t.Errorf("From header present but From is empty")
			}
			if wellFormedWord.MatchString(rawHeader(raw, "Subject")) && wellFormedWord.MatchString(m.Subject) {
				t.Errorf("subject still has encoded words: %q", m.Subject)
			}
			v := Classify(m, ClassifyOptions{})
			in := ToInbound(m, v, "inbox", "")
			if in.ExternalID == "" || !utf8.ValidString(in.Metadata["attachments"]) {
				t.Errorf("inbound: %+v", in)
			}
			t.Logf("from=%q subject=%q date=%s text=%dB attachments=%d verdict=%s/%s warnings=%q",
				m.From, m.Subject, m.Date.Format(time.DateOnly), len(m.Text), len(m.Attachments), v.Kind, v.Reason, m.Warnings)
		})
	}
	t.Logf("corpus: %d files, %d parsed, %d not mail: %q", len(files), parsed, len(notMail), notMail)
}

func TestCorpusMisnamedCharsetsDecode(t *testing.T) {
	files := corpusFiles(t)
	tests := []struct {
		name, file, subject, text string
	}{
		{"a Big5 spam a relay sent on as Latin-1 in UTF-8 is read as Big5",
			"mikel-mail/error_emails/content_transfer_encoding_empty.eml", "(大補泡麵專賣) 大家說英語 每日聽MP3 (2004年6月份) 繁體中文光碟版", "軟體帝國更新迅速"},
		{"UTF-8 under X-UNKNOWN stays UTF-8",
			"mikel-mail/plain_emails/raw_email10.eml", "", "Envoyé par le service de messagerie texte de Bell Mobilité."},
		{"Korean under ks_c_5601-1987 is read as EUC-KR",
			"mikel-mail/multi_charset/ks_c_5601-1987.eml", "test", "스티해"},
		{"Japanese under Shift_JIS",
			"mikel-mail/multi_charset/japanese_shift_jis.eml", "test", "このメールはテスト用のメールです。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, ok := files[tt.file]
			if !ok {
				t.Skipf("%s is not in the corpus", tt.file)
			}
			m, err := parse(raw, ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(m.Subject, tt.subject) || !strings.Contains(m.Text, tt.text) {
				t.Errorf("subject %q, text %q; want %q and %q in them", m.Subject, m.Text, tt.subject, tt.text)
			}
		})
	}
}

// checkMessage asserts what holds for every parsed message.
func checkMessage(t testing.TB, m *Message, o ParseOptions) {
	t.Helper()
	strs := []string{m.MessageID, m.From.Name, m.From.Address, m.Subject, m.Text, m.Snippet}
	for _, a := range append(append([]Address{}, m.ReplyTo...), m.To...) {
		strs = append(strs, a.Name, a.Address)
	}
	for _, a := range m.Attachments {
		strs = append(strs, a.Name, a.ContentType)
	}
	for _, vs := range m.Headers {
		strs = append(strs, vs...)
	}
	strs = append(append(append(strs, m.InReplyTo...), m.References...), m.Warnings...)
	for _, s := range strs {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			t.Fatalf("invalid UTF-8 or NUL in %q", s)
		}
	}
	if m.MessageID == "" {
		t.Error("empty MessageID")
	}
	if n := utf8.RuneCountInString(m.Snippet); n > o.MaxSnippet {
		t.Errorf("snippet has %d runes, cap %d", n, o.MaxSnippet)
	}
	if len(m.Text) > o.MaxText {
		t.Errorf("text has %d bytes, cap %d", len(m.Text), o.MaxText)
	}
	if o.MaxRaw >= 0 && len(m.Raw) > o.MaxRaw || m.Truncated != (len(m.Raw) < m.Size) {
		t.Errorf("raw %d bytes of %d, truncated %v, cap %d", len(m.Raw), m.Size, m.Truncated, o.MaxRaw)
	}
	if !m.Date.IsZero() && m.Date.Location() != time.UTC {
		t.Errorf("date not in UTC: %v", m.Date)
	}
	if strings.TrimSpace(m.Text) != "" && strings.TrimSpace(m.Snippet) == "" {
		t.Errorf("text without snippet")
	}
}

// hasHeader reports whether the header block of raw has the field.
func hasHeader(raw []byte, key string) bool {
	return rawHeader(raw, key) != "" || regexp.MustCompile(`(?im)^`+key+`\s*:`).Match(headerBlock(raw))
}

// rawHeader returns the unfolded raw value of a top-level field.
func rawHeader(raw []byte, key string) string {
	re := regexp.MustCompile(`(?im)^` + key + `:[ \t]*(.*(?:\r?\n[ \t].*)*)`)
	m := re.FindSubmatch(headerBlock(raw))
	if m == nil {
		return ""
	}
	return strings.Join(strings.Fields(string(m[1])), " ")
}

func headerBlock(raw []byte) []byte {
	s := string(raw)
	if i := strings.Index(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n"); i >= 0 {
		return []byte(strings.ReplaceAll(s, "\r\n", "\n")[:i])
	}
	return raw
}

func FuzzParse(f *testing.F) {
	files, err := readCorpus()
	if err != nil {
		f.Fatal(err)
	}
	for _, raw := range files {
		f.Add(raw)
	}
	f.Add([]byte("From: a@b.c\r\nSubject: =?utf-8?B?w6k=?=\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--x--\r\n"))
	f.Add([]byte("Subject: x\n\n"))
	o := ParseOptions{MaxRaw: 4096, MaxText: 8192, MaxSnippet: 300}.withDefaults()
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := parse(raw, o) // no recover: the fuzzer must see panics
		if err != nil {
			if !errors.Is(err, ErrNotMail) || m != nil {
				t.Fatalf("unexpected error %v (message %v)", err, m != nil)
			}
			return
		}
		checkMessage(t, m, o)
		v := Classify(m, ClassifyOptions{InternalDomains: []string{"example.com"}})
		if v.Kind == Lead && !valid(v.Contact.Address) {
			t.Fatalf("lead with unusable contact %q", v.Contact.Address)
		}
		_ = ToInbound(m, v, "inbox", "")
	})
}

func BenchmarkParse(b *testing.B) {
	files := corpusFiles(b)
	var raws [][]byte
	var size int64
	for _, raw := range files {
		raws = append(raws, raw)
		size += int64(len(raw))
	}
	b.SetBytes(size / int64(len(raws)))
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		_, _ = parse(raws[n%len(raws)], ParseOptions{})
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
}
