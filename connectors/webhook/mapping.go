package webhook

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"leadwire/core"
)

// Targets a JSON path can be mapped onto. metadata.KEY keeps a value as
// lead metadata under KEY; first_name and last_name are joined into name
// when no name is given.
var Targets = []string{"name", "first_name", "last_name", "email", "phone", "company", "handle",
	"subject", "message", "external_id", "team", "metadata.KEY"}

// CheckTarget reports whether a mapping may write to target.
func CheckTarget(target string) error {
	if key, ok := strings.CutPrefix(target, "metadata."); ok {
		if key == "" || len(key) > maxMetadataKey {
			return fmt.Errorf("metadata target %q needs a key of 1 to %d characters, like metadata.plan", target, maxMetadataKey)
		}
		return nil
	}
	if !slices.Contains(Targets[:len(Targets)-1], target) {
		return fmt.Errorf("unknown target %q; map onto one of %s", target, strings.Join(Targets, ", "))
	}
	return nil
}

// nativeMapping reads leadwire's own schema (schema.json): every source
// understands it, and a source's mapping is applied over it.
var nativeMapping = mustMapping(map[string]string{
	"contact.name":    "name",
	"contact.email":   "email",
	"contact.phone":   "phone",
	"contact.company": "company",
	"contact.handle":  "handle",
	"subject":         "subject",
	"message":         "message",
	"external_id":     "external_id",
	"team":            "team",
})

// Mapping is a compiled set of path → target rules.
type Mapping []rule

type rule struct {
	path   Path
	target string
}

// NewMapping compiles a mapping of JSON paths onto targets. Two paths
// onto one target are refused: which would win is not obvious.
func NewMapping(m map[string]string) (Mapping, error) {
	out := make(Mapping, 0, len(m))
	seen := map[string]string{}
	paths := make([]string, 0, len(m))
	for p := range m {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		target := strings.TrimSpace(m[p])
		if err := CheckTarget(target); err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		if other, dup := seen[target]; dup {
			return nil, fmt.Errorf("%s and %s both map onto %s; keep one", other, p, target)
		}
		seen[target] = p
		path, err := ParsePath(p)
		if err != nil {
			return nil, err
		}
		out = append(out, rule{path: path, target: target})
	}
	return out, nil
}

func mustMapping(m map[string]string) Mapping {
	out, err := NewMapping(m)
	if err != nil {
		panic(err)
	}
	return out
}

// Metadata bounds: a lead keeps this many metadata keys, each key and
// value cut to these many characters.
const (
	maxMetadata      = 50
	maxMetadataKey   = 64
	maxMetadataValue = 2000
)

// fields is what mapping found in a payload.
type fields struct {
	values   map[string]string // target → text
	metadata map[string]string
}

// apply reads the mapping's targets out of doc into f; a mapped value that
// is present overrides what an earlier mapping found.
func (m Mapping) apply(doc any, f *fields) error {
	for _, r := range m {
		v, ok := r.path.Lookup(doc)
		if !ok || v == nil {
			continue
		}
		text, isScalar := valueText(v)
		if !isScalar && !strings.HasPrefix(r.target, "metadata.") {
			return fmt.Errorf("%s holds %s, not text; map a value inside it", r.path, kindOf(v))
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if key, ok := strings.CutPrefix(r.target, "metadata."); ok {
			f.metadata[key] = core.Clean(text, maxMetadataValue)
			continue
		}
		f.values[r.target] = text
	}
	return nil
}

// valueText turns a JSON value into text: scalars as written, lists of
// scalars joined with ", " (a multiple choice), anything else as JSON
// (isScalar false).
func valueText(v any) (text string, isScalar bool) {
	if s, ok := scalarText(v); ok {
		return s, true
	}
	if arr, ok := v.([]any); ok {
		parts := make([]string, 0, len(arr))
		for _, item := range arr {
			s, ok := scalarText(item)
			if !ok {
				parts = nil
				break
			}
			parts = append(parts, s)
		}
		if parts != nil || len(arr) == 0 {
			return strings.Join(parts, ", "), true
		}
	}
	b, _ := json.Marshal(v)
	return string(b), false
}

func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list of objects"
	}
	return "no text"
}

// nativeMetadata keeps the "metadata" object of leadwire's own schema.
func nativeMetadata(doc any, f *fields) {
	obj, _ := doc.(map[string]any)
	md, _ := obj["metadata"].(map[string]any)
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if len(f.metadata) >= maxMetadata {
			f.metadata["fields_dropped"] = fmt.Sprint(len(keys) - maxMetadata + 1)
			return
		}
		if md[k] == nil {
			continue
		}
		text, _ := valueText(md[k])
		if key := core.Clean(k, maxMetadataKey); key != "" {
			f.metadata[key] = core.Clean(text, maxMetadataValue)
		}
	}
}

// inbound builds the inbound of a delivery from what the mappings found.
func (f *fields) inbound(source, team string) core.Inbound {
	in := core.Inbound{
		Channel:    core.ChannelWebhook,
		Source:     source,
		ExternalID: strings.TrimSpace(f.values["external_id"]),
		Name:       f.values["name"],
		Email:      f.values["email"],
		Phone:      f.values["phone"],
		Company:    f.values["company"],
		Handle:     f.values["handle"],
		Subject:    f.values["subject"],
		Text:       f.values["message"],
		Team:       team,
	}
	if in.Name == "" {
		in.Name = strings.TrimSpace(f.values["first_name"] + " " + f.values["last_name"])
	}
	if t := strings.TrimSpace(f.values["team"]); t != "" {
		in.Team = t
	}
	if len(f.metadata) > 0 {
		in.Metadata = f.metadata
	}
	return in
}
