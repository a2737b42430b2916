package webform_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"leadwire/connectors/webform"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		want                    string // the values, printed
	}{
		{"urlencoded keeps repeated names in order", "application/x-www-form-urlencoded", "a=1&b=x+y&a=2&&c=%C5%82", "map[a:[1 2] b:[x y] c:[ł]]"},
		{"urlencoded with a charset parameter is urlencoded", "application/x-www-form-urlencoded; charset=UTF-8", "a=1", "map[a:[1]]"},
		{"JSON scalars become text and lists many values", "application/json", `{"a":1.50,"b":true,"c":null,"d":["x",2],"e":"ż"}`, "map[a:[1.50] b:[true] d:[x 2] e:[ż]]"},
		{"a +json type is JSON", "application/vnd.api+json", `{"a":"1"}`, "map[a:[1]]"},
		{"multipart text fields are values", "multipart/form-data; boundary=B",
			"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--B--\r\n", "map[a:[hello]]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub, err := webform.Decode(tt.contentType, strings.NewReader(tt.body), webform.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := printValues(sub.Values); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func printValues(v webform.Values) string {
	var b strings.Builder
	b.WriteString("map[")
	for i, k := range sortedKeys(v) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k + ":[" + strings.Join(v[k], " ") + "]")
	}
	b.WriteString("]")
	return b.String()
}

func sortedKeys(v webform.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// FuzzDecode throws arbitrary bodies of the three kinds at the decoder: it
// must never panic, and what it accepts is within the limits and valid
// UTF-8.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(0), []byte("a=1&b=%zz&c"))
	f.Add(uint8(0), []byte("email=a%40b.pl&msg=%C5%82%FF"))
	f.Add(uint8(1), []byte(`{"a":[1,"x",true,null],"b":{"c":1}}`))
	f.Add(uint8(1), []byte(`{"a":"\ud800"} trailing`))
	f.Add(uint8(2), []byte("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.pdf\"\r\n\r\n%PDF\r\n--B--\r\n"))
	f.Add(uint8(2), []byte("--B\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\n\xfe\r\n--B--"))
	types := []string{"application/x-www-form-urlencoded", "application/json", "multipart/form-data; boundary=B"}
	lim := webform.Limits{MaxBytes: 1 << 16, MaxFields: 20}
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		sub, err := webform.Decode(types[int(kind)%len(types)], bytes.NewReader(body), lim)
		if err != nil {
			if err.Error() == "" {
				t.Error("a refusal without a message")
			}
			return
		}
		n := len(sub.Files)
		for k, vals := range sub.Values {
			n += len(vals)
			if !utf8.ValidString(k) {
				t.Errorf("name %q is not UTF-8", k)
			}
			for _, v := range vals {
				if !utf8.ValidString(v) {
					t.Errorf("value %q is not UTF-8", v)
				}
			}
		}
		if n > lim.MaxFields {
			t.Errorf("%d fields taken, limit %d", n, lim.MaxFields)
		}
	})
}
