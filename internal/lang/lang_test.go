package lang

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func catalogFS(t *testing.T) fs.FS {
	t.Helper()
	sub, err := fs.Sub(files, "catalog")
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func TestTheEmbeddedCatalogIsWhole(t *testing.T) {
	for _, p := range Check(catalogFS(t)) {
		t.Error(p)
	}
}

// broken is the embedded catalog with one file replaced.
func broken(t *testing.T, name, text string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	for _, l := range Languages {
		buf, err := fs.ReadFile(catalogFS(t), l+".yaml")
		if err != nil {
			t.Fatal(err)
		}
		m[l+".yaml"] = &fstest.MapFile{Data: buf}
	}
	m[name] = &fstest.MapFile{Data: []byte(text)}
	return m
}

func TestCheckFindsWhatIsWrong(t *testing.T) {
	en, err := fs.ReadFile(catalogFS(t), "en.yaml")
	if err != nil {
		t.Fatal(err)
	}
	th, err := fs.ReadFile(catalogFS(t), "th.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, text, want string
	}{
		{"a file that does not parse", "pl.yaml", "usage: \"unclosed\n  - [", "pl.yaml does not parse"},
		{"a message missing in one language", "vi.yaml", strings.Replace(string(en), "help.title:", "help.titel:", 1), "vi.yaml: help.title is missing"},
		{"a message English does not have", "fa.yaml", string(en) + "\nextra.key: \"x\"\n", "fa.yaml: extra.key is not in en.yaml"},
		{"a placeholder renamed", "th.yaml", strings.Replace(string(th), "{{.Ref}}", "{{.Reference}}", 1), "has placeholders"},
		{"a placeholder dropped", "zh-Hans.yaml", strings.Replace(string(en), `lead.claimed: "{{.Ref}} is yours now."`, `lead.claimed: "is yours now."`, 1), "lead.claimed has placeholders []"},
		{"a Polish plural without its few form", "pl.yaml", polishWithoutFew(t), "ago.days (count 2)"},
		{"a template that does not parse", "vi.yaml", strings.Replace(string(en), `usage: "usage: {{.Usage}}"`, `usage: "usage: {{.Usage"`, 1), "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := Check(broken(t, tt.file, tt.text))
			if !strings.Contains(strings.Join(problems, "\n"), tt.want) {
				t.Errorf("problems %q, want one containing %q", problems, tt.want)
			}
		})
	}
}

func polishWithoutFew(t *testing.T) string {
	pl, err := fs.ReadFile(catalogFS(t), "pl.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(pl), "\n") {
		if strings.HasPrefix(line, "ago.days:") {
			line = `ago.days: {one: "{{.Count}} dzień temu", many: "{{.Count}} dni temu", other: "{{.Count}} dnia temu"}`
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func TestPickChoosesTheFirstLanguageSpoken(t *testing.T) {
	tests := []struct {
		name    string
		locales []string
		want    string
	}{
		{"a user's own language wins", []string{"th", "pl", "en"}, "th"},
		{"a region does not matter", []string{"pl-PL"}, "pl"},
		{"Chinese in any form is Simplified Chinese", []string{"zh-CN"}, "zh-Hans"},
		{"an unset language falls to the chat account's", []string{"", "vi", "en"}, "vi"},
		{"a language not spoken falls to the next", []string{"de", "", "fa"}, "fa"},
		{"nothing spoken is English", []string{"de", "xx-!!", ""}, "en"},
		{"a Telegram code with an underscore", []string{"pt_BR", "fa_IR"}, "fa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Pick(tt.locales...); got != tt.want {
				t.Errorf("Pick(%q) = %q, want %q", tt.locales, got, tt.want)
			}
		})
	}
}

func TestPluralsFollowCLDR(t *testing.T) {
	c := Default()
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 day ago"},
		{"en", 2, "2 days ago"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+tt.want, func(t *testing.T) {
			if got := c.For(tt.lang).N("ago.days", tt.n); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNativeDigits(t *testing.T) {
	cases := []struct{ lang, in, want string }{
		{"th", "D45 ย้ายแล้ว: 12,000.50 THB · 14:00", "D45 ย้ายแล้ว: ๑๒,๐๐๐.๕๐ THB · ๑๔:๐๐"},
		{"fa", "۱۲ D45 3 روز", "۱۲ D45 ۳ روز"},
		{"fa", "1,250,000.50 THB · 10%", "۱٬۲۵۰٬۰۰۰٫۵۰ THB · ۱۰٪"},
		{"fa", "anna2@example.com L123 https://x.io/u/42 9am", "anna2@example.com L123 https://x.io/u/42 9am"},
		{"pl", "12 000,50 PLN", "12 000,50 PLN"},
		{"th", "+66 81 234 5678", "+66 ๘๑ ๒๓๔ ๕๖๗๘"},
	}
	for _, c := range cases {
		t.Run(c.lang+" "+c.in, func(t *testing.T) {
			if got := Default().For(c.lang).NativeDigits(c.in); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
