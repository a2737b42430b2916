package webform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"leadwire/core"
	"leadwire/internal/problem"
)

// Limits bound what one submission may make the server read and keep.
type Limits struct {
	MaxBytes  int64 // the body; 0: 64 KiB, or 1 MiB for multipart
	MaxFields int   // values posted, files included; 0: DefaultMaxFields
}

// Default limits.
const (
	DefaultMaxBytes          = 64 << 10
	DefaultMaxMultipartBytes = 1 << 20
	DefaultMaxFields         = 100
)

// maxValue bounds one field's value: a message, not a document.
const maxValue = 32 << 10

func (l Limits) maxBytes(multipartBody bool) int64 {
	switch {
	case l.MaxBytes > 0:
		return l.MaxBytes
	case multipartBody:
		return DefaultMaxMultipartBytes
	}
	return DefaultMaxBytes
}

func (l Limits) maxFields() int {
	if l.MaxFields > 0 {
		return l.MaxFields
	}
	return DefaultMaxFields
}

// Values is a decoded submission: each posted name with its values in the
// order posted. Names and values are valid UTF-8.
type Values map[string][]string

// File is a file field of a multipart submission. Files are not stored;
// the lead notes that one was sent.
type File struct {
	Field, Name, Type string
	Size              int64
}

// Submission is a decoded form body.
type Submission struct {
	Values Values
	Files  []File
}

// refusal is an answer other than success: an HTTP status, a message for
// the sender and, for 422, what is wrong with each field.
type refusal struct {
	status     int
	message    string
	fields     map[string]string // posted field name → what is wrong
	retryAfter int               // seconds, for 429
}

func (r *refusal) Error() string { return r.message }

func refuse(status int, format string, args ...any) *refusal {
	return &refusal{status: status, message: fmt.Sprintf(format, args...)}
}

// mediaKind tells the three bodies a form may post apart.
type mediaKind int

const (
	mediaUnsupported mediaKind = iota
	mediaURLEncoded
	mediaMultipart
	mediaJSON
)

// mediaOf reads a Content-Type header; boundary is set for multipart.
func mediaOf(contentType string) (kind mediaKind, boundary string) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return mediaUnsupported, ""
	}
	switch {
	case mt == "application/x-www-form-urlencoded":
		return mediaURLEncoded, ""
	case mt == "multipart/form-data":
		if params["boundary"] == "" {
			return mediaUnsupported, ""
		}
		return mediaMultipart, params["boundary"]
	case mt == "application/json", strings.HasSuffix(mt, "+json"):
		return mediaJSON, ""
	}
	return mediaUnsupported, ""
}

// Decode reads a form body of the content type from body, which must
// already be bounded (http.MaxBytesReader): an *http.MaxBytesError from it
// becomes a 413. Any other problem is a *refusal naming it: 400 for a
// malformed body, 413 past the field or value limits, 415 for a type that
// is not urlencoded, multipart or JSON.
func Decode(contentType string, body io.Reader, lim Limits) (*Submission, error) {
	kind, boundary := mediaOf(contentType)
	var sub *Submission
	var err error
	switch kind {
	case mediaURLEncoded:
		sub, err = decodeURLEncoded(body, lim)
	case mediaMultipart:
		sub, err = decodeMultipart(body, boundary, lim)
	case mediaJSON:
		sub, err = decodeJSON(body, lim)
	default:
		return nil, refuse(http.StatusUnsupportedMediaType,
			"unsupported content type %s; post application/x-www-form-urlencoded, multipart/form-data or application/json", problem.Quote(contentType, 100))
	}
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return nil, refuse(http.StatusRequestEntityTooLarge, "the form is larger than %d bytes", mbe.Limit)
	}
	return sub, err
}

// add appends a value, refusing the field past the limits.
func (s *Submission) add(name, value string, lim Limits, count *int) error {
	*count++
	if *count > lim.maxFields() {
		return refuse(http.StatusRequestEntityTooLarge, "the form posts more than %d fields", lim.maxFields())
	}
	if len(value) > maxValue {
		return refuse(http.StatusRequestEntityTooLarge, "field %s is longer than %d bytes", problem.Quote(name, 64), maxValue)
	}
	name = strings.ToValidUTF8(name, "\uFFFD")
	s.Values[name] = append(s.Values[name], strings.ToValidUTF8(value, "\uFFFD"))
	return nil
}

func decodeURLEncoded(body io.Reader, lim Limits) (*Submission, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	sub := &Submission{Values: Values{}}
	n := 0
	// Parsed here rather than by url.ParseQuery so that the field limit
	// holds while parsing and a bad escape names its field.
	for len(data) > 0 {
		var pair []byte
		pair, data, _ = bytes.Cut(data, []byte("&"))
		if len(pair) == 0 {
			continue
		}
		k, v, _ := bytes.Cut(pair, []byte("="))
		key, err := url.QueryUnescape(string(k))
		if err != nil {
			return nil, refuse(http.StatusBadRequest, "malformed form body: bad %%-escape in a field name")
		}
		value, err := url.QueryUnescape(string(v))
		if err != nil {
			return nil, refuse(http.StatusBadRequest, "malformed form body: bad %%-escape in field %s", problem.Quote(key, 64))
		}
		if err := sub.add(key, value, lim, &n); err != nil {
			return nil, err
		}
	}
	return sub, nil
}

func decodeMultipart(body io.Reader, boundary string, lim Limits) (*Submission, error) {
	mr := multipart.NewReader(body, boundary)
	sub := &Submission{Values: Values{}}
	n := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return sub, nil
		}
		if err != nil {
			return nil, malformedMultipart(err)
		}
		name := part.FormName()
		if name == "" {
			part.Close()
			continue
		}
		if part.FileName() != "" {
			n++
			if n > lim.maxFields() {
				return nil, refuse(http.StatusRequestEntityTooLarge, "the form posts more than %d fields", lim.maxFields())
			}
			size, err := io.Copy(io.Discard, part)
			if err != nil {
				return nil, malformedMultipart(err)
			}
			sub.Files = append(sub.Files, File{Field: strings.ToValidUTF8(name, "\uFFFD"),
				Name: strings.ToValidUTF8(part.FileName(), "\uFFFD"), Type: part.Header.Get("Content-Type"), Size: size})
			continue
		}
		value, err := io.ReadAll(io.LimitReader(part, maxValue+1))
		if err != nil {
			return nil, malformedMultipart(err)
		}
		if err := sub.add(name, string(value), lim, &n); err != nil {
			return nil, err
		}
	}
}

func malformedMultipart(err error) error {
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return err
	}
	return refuse(http.StatusBadRequest, "malformed multipart body: %v", err)
}

func decodeJSON(body io.Reader, lim Limits) (*Submission, error) {
	dec := json.NewDecoder(body)
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return nil, err
		}
		if errors.Is(err, io.EOF) {
			return nil, refuse(http.StatusBadRequest, "malformed JSON body: it is empty; post an object such as {\"email\": \"anna@example.com\"}")
		}
		return nil, refuse(http.StatusBadRequest, "malformed JSON body: %v; post an object such as {\"email\": \"anna@example.com\"}", err)
	}
	if obj == nil {
		return nil, refuse(http.StatusBadRequest, "malformed JSON body: want an object of fields, not null")
	}
	if _, err := dec.Token(); err != io.EOF {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return nil, err
		}
		return nil, refuse(http.StatusBadRequest, "malformed JSON body: more follows the object; post one object")
	}
	sub := &Submission{Values: Values{}}
	n := 0
	for key, v := range obj {
		vals, ok := jsonValues(v)
		if !ok {
			return nil, &refusal{status: http.StatusUnprocessableEntity, message: "a field holds an object",
				fields: map[string]string{core.Clean(key, 64): "want text, a number, true or false, or a list of them"}}
		}
		for _, s := range vals {
			if err := sub.add(key, s, lim, &n); err != nil {
				return nil, err
			}
		}
	}
	return sub, nil
}

// jsonValues turns a JSON field into text values; false for objects and
// nested lists.
func jsonValues(v any) ([]string, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case string:
		return []string{x}, true
	case json.Number:
		return []string{x.String()}, true
	case bool:
		if x {
			return []string{"true"}, true
		}
		return []string{"false"}, true
	case []any:
		var out []string
		for _, item := range x {
			if _, isList := item.([]any); isList {
				return nil, false
			}
			vals, ok := jsonValues(item)
			if !ok {
				return nil, false
			}
			out = append(out, vals...)
		}
		return out, true
	}
	return nil, false
}
