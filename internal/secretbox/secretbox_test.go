package secretbox

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealedSecretsOpenOnlyWithTheirKeyAndPlace(t *testing.T) {
	k1, k2 := NewKey(), NewKey()
	box := New(k1)
	sealed, err := box.Seal([]byte("refresh-token"), []byte("email:sales"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("refresh-token")) {
		t.Fatal("the secret is in the clear")
	}
	t.Run("the same key and place open it", func(t *testing.T) {
		got, err := box.Open(sealed, []byte("email:sales"))
		if err != nil || string(got) != "refresh-token" {
			t.Fatalf("open: %q, %v", got, err)
		}
	})
	t.Run("another place is refused", func(t *testing.T) {
		if _, err := box.Open(sealed, []byte("email:support")); err == nil {
			t.Fatal("opened under another connector")
		}
	})
	t.Run("another key is refused", func(t *testing.T) {
		if _, err := New(k2).Open(sealed, []byte("email:sales")); err == nil || !strings.Contains(err.Error(), "another secrets key") {
			t.Fatalf("opened with another key: %v", err)
		}
	})
	t.Run("a box with the old key behind the new one opens it", func(t *testing.T) {
		if _, err := New(k2, k1).Open(sealed, []byte("email:sales")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a flipped bit is refused", func(t *testing.T) {
		bad := bytes.Clone(sealed)
		bad[len(bad)-1] ^= 1
		if _, err := box.Open(bad, []byte("email:sales")); err == nil {
			t.Fatal("opened an altered secret")
		}
	})
}

func TestKeysAreReadFromAFileOrTheEnvironment(t *testing.T) {
	k1, k2 := NewKey(), NewKey()
	dir := t.TempDir()
	file := filepath.Join(dir, "secrets.key")
	if err := WriteFile(file, k1, k2); err != nil {
		t.Fatal(err)
	}
	t.Run("a file of two keys seals with the first", func(t *testing.T) {
		b, err := Load(file, nil)
		if err != nil || len(b.Keys()) != 2 || b.Keys()[0] != k1 {
			t.Fatalf("%v, %v", b, err)
		}
	})
	t.Run("a file others may read is refused", func(t *testing.T) {
		if err := os.Chmod(file, 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(file, 0o600)
		if _, err := Load(file, nil); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("the environment holds a key", func(t *testing.T) {
		b, err := Load("", func(string) string { return k2.String() })
		if err != nil || b.Keys()[0] != k2 {
			t.Fatalf("%v, %v", b, err)
		}
	})
	t.Run("no key is no box", func(t *testing.T) {
		b, err := Load("", func(string) string { return "" })
		if err != nil || b != nil {
			t.Fatalf("%v, %v", b, err)
		}
	})
	t.Run("a malformed key is refused without repeating it", func(t *testing.T) {
		_, err := Load("", func(string) string { return "c2hvcnQta2V5LXNlY3JldA==" })
		if err == nil || strings.Contains(err.Error(), "c2hvcnQ") {
			t.Fatalf("err %v", err)
		}
	})
}

func FuzzParseKeys(f *testing.F) {
	f.Add(NewKey().String())
	f.Add("a,b\n#c")
	f.Fuzz(func(t *testing.T, s string) {
		keys, err := ParseKeys(s)
		if err == nil && len(keys) == 0 {
			t.Fatal("no keys and no error")
		}
	})
}
