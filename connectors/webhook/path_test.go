package webhook_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"leadwire/connectors/webhook"
)

const tallyLike = `{"eventId":"e1","data":{"fields":[
	{"key":"q1","label":"Email","type":"INPUT_EMAIL","value":"zofia@polimex.pl"},
	{"key":"q2","label":"Seats","type":"INPUT_NUMBER","value":25},
	{"key":"q3","label":"Opt in","value":true,"meta":{"ref":"x.y"}},
	{"key":"q4","label":"Interests","value":["a","b"]}]},
	"list":[[1,2],[3,4]]}`

func doc(t testing.TB, s string) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPaths(t *testing.T) {
	d := doc(t, tallyLike)
	tests := []struct {
		name, path string
		want       string // printed value, or "none"
	}{
		{"a dotted path reads nested keys", "eventId", "e1"},
		{"an index reads an array item", "data.fields[1].value", "25"},
		{"a match finds the item by a value inside it", "data.fields[label=Email].value", "zofia@polimex.pl"},
		{"a match compares numbers and booleans as text", "data.fields[value=true].key", "q3"},
		{"a match may look deeper into the item", "data.fields[meta.ref=x.y].label", "Opt in"},
		{"indices chain", "list[1][0]", "3"},
		{"a missing key leads nowhere", "data.nope", "none"},
		{"an index past the end leads nowhere", "data.fields[9].value", "none"},
		{"an unmatched match leads nowhere", "data.fields[label=Phone].value", "none"},
		{"a key into an array leads nowhere", "data.fields.value", "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := webhook.ParsePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			v, ok := p.Lookup(d)
			got := "none"
			if ok {
				got = fmt.Sprint(v)
			}
			if got != tt.want {
				t.Errorf("%s = %s, want %s", tt.path, got, tt.want)
			}
		})
	}
	t.Run("a top-level array is indexed from the start", func(t *testing.T) {
		p, _ := webhook.ParsePath("[1].email")
		if v, ok := p.Lookup(doc(t, `[{"email":"a"},{"email":"b"}]`)); !ok || v != "b" {
			t.Errorf("got %v %v", v, ok)
		}
	})
	for _, bad := range []string{"", "a..b", ".a", "a.", "a[", "a[x]", "a[-1]", "a]", "a[b=[c]]", "a[1]b"} {
		t.Run("a malformed path is refused: "+bad, func(t *testing.T) {
			if _, err := webhook.ParsePath(bad); err == nil {
				t.Errorf("ParsePath(%q) took it", bad)
			}
		})
	}
}

func TestMappingTargets(t *testing.T) {
	for _, ok := range []string{"email", "first_name", "metadata.plan", "external_id", "team"} {
		if err := webhook.CheckTarget(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"Email", "metadata.", "owner", "metadata.KEY.x" + string(make([]byte, 80))} {
		if err := webhook.CheckTarget(bad); err == nil {
			t.Errorf("%q was taken", bad)
		}
	}
	if _, err := webhook.NewMapping(map[string]string{"a.email": "email", "b.email": "email"}); err == nil {
		t.Error("two paths onto one target were taken")
	}
}

// FuzzPath parses arbitrary paths and looks them up in arbitrary JSON: no
// panic, and a path that parses prints back as written.
func FuzzPath(f *testing.F) {
	f.Add("data.fields[label=Email].value", tallyLike)
	f.Add("form_response.answers[field.ref=email].email", `{"form_response":{"answers":[{"field":{"ref":"email"},"email":"a@b"}]}}`)
	f.Add("[0][1].a", `[[1,{"a":2}]]`)
	f.Add("a[b[c=d]=e]", `{}`)
	f.Add("a[x.y.z.w=1]", `{"a":[{"x":{"y":{"z":{"w":1}}}}]}`)
	f.Fuzz(func(t *testing.T, path, body string) {
		p, err := webhook.ParsePath(path)
		if err != nil {
			return
		}
		if p.String() != path {
			t.Errorf("String() = %q, want %q", p.String(), path)
		}
		d := json.NewDecoder(bytes.NewReader([]byte(body)))
		d.UseNumber()
		var v any
		if d.Decode(&v) == nil {
			p.Lookup(v)
		}
	})
}
