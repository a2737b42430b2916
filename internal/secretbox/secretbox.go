// Package secretbox seals secrets for the database (OAuth refresh and
// access tokens) with AES-256-GCM under the secrets key: 32 random bytes
// written in base64, from the file named by secrets.key or from
// $LEADWIRE_SECRET_KEY. A box may hold older keys too, which it opens
// with and never seals with, so a rotation interrupted half-way loses
// nothing.
package secretbox

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"

	"leadwire/core"
)

// KeySize is the length of a key in bytes.
const KeySize = 32

// version is the first byte of a sealed secret: this layout.
const version = 1

// idSize is how many bytes of the key's SHA-256 name it in a sealed secret.
const idSize = 8

// Key is one secrets key.
type Key [KeySize]byte

// NewKey returns a fresh random key.
func NewKey() Key {
	var k Key
	_, _ = rand.Read(k[:]) // crypto/rand never fails on supported platforms
	return k
}

// String is the key in base64 (standard, padded), as files and
// $LEADWIRE_SECRET_KEY hold it.
func (k Key) String() string { return base64.StdEncoding.EncodeToString(k[:]) }

func (k Key) id() []byte {
	sum := sha256.Sum256(k[:])
	return sum[:idSize]
}

// ParseKey reads a key written in base64; its error never repeats the
// text, which may be a key mistyped.
func ParseKey(s string) (Key, error) {
	s = strings.TrimSpace(s)
	var k Key
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	if err != nil || len(b) != KeySize {
		return k, errors.New("a secrets key is 32 random bytes in base64 (44 characters); make one with `leadwire secrets new-key`")
	}
	copy(k[:], b)
	return k, nil
}

// ParseKeys reads one key per line (or separated by commas): the first
// seals, every one opens.
func ParseKeys(s string) ([]Key, error) {
	var keys []Key
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == '\r' }) {
		if strings.TrimSpace(f) == "" || strings.HasPrefix(strings.TrimSpace(f), "#") {
			continue
		}
		k, err := ParseKey(f)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("no secrets key found; make one with `leadwire secrets new-key`")
	}
	return keys, nil
}

// Box seals with its first key and opens with any of them.
type Box struct{ keys []Key }

var _ core.Sealer = (*Box)(nil)

// New returns a box over keys (the first seals); at least one.
func New(keys ...Key) *Box {
	if len(keys) == 0 {
		panic("secretbox: no key")
	}
	return &Box{keys: keys}
}

// Keys returns the box's keys, the sealing one first.
func (b *Box) Keys() []Key { return append([]Key(nil), b.keys...) }

func gcm(k Key) cipher.AEAD {
	block, err := aes.NewCipher(k[:])
	if err != nil {
		panic(err) // a 32-byte key is always valid
	}
	a, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return a
}

// Seal implements core.Sealer: version, key id, nonce, ciphertext.
func (b *Box) Seal(plain, additional []byte) ([]byte, error) {
	k := b.keys[0]
	a := gcm(k)
	out := make([]byte, 0, 1+idSize+a.NonceSize()+len(plain)+a.Overhead())
	out = append(out, version)
	out = append(out, k.id()...)
	nonce := make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return a.Seal(out, nonce, plain, additional), nil
}

// Open implements core.Sealer.
func (b *Box) Open(sealed, additional []byte) ([]byte, error) {
	if len(sealed) < 1+idSize || sealed[0] != version {
		return nil, errors.New("not a sealed secret of this version")
	}
	id := sealed[1 : 1+idSize]
	for _, k := range b.keys {
		if !bytes.Equal(k.id(), id) {
			continue
		}
		a := gcm(k)
		rest := sealed[1+idSize:]
		if len(rest) < a.NonceSize() {
			return nil, errors.New("sealed secret cut short")
		}
		plain, err := a.Open(nil, rest[:a.NonceSize()], rest[a.NonceSize():], additional)
		if err != nil {
			return nil, errors.New("sealed secret altered or misplaced")
		}
		return plain, nil
	}
	return nil, errors.New("sealed with another secrets key")
}

// Env is the environment variable that may hold the keys.
const Env = "LEADWIRE_SECRET_KEY"

// Load returns the box of the keys in file (when named) or else in the
// environment variable; nil and no error when neither is set. A key file
// others may read is refused.
func Load(file string, getenv func(string) string) (*Box, error) {
	if file != "" {
		st, err := os.Stat(file)
		if err != nil {
			return nil, fmt.Errorf("secrets key: %w", err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("secrets key %s may be read by others (mode %v); chmod 600 it", file, st.Mode().Perm())
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("secrets key: %w", err)
		}
		keys, err := ParseKeys(string(b))
		if err != nil {
			return nil, fmt.Errorf("secrets key %s: %w", file, err)
		}
		return New(keys...), nil
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	if v := getenv(Env); v != "" {
		keys, err := ParseKeys(v)
		if err != nil {
			return nil, fmt.Errorf("$%s: %w", Env, err)
		}
		return New(keys...), nil
	}
	return nil, nil
}

// WriteFile writes keys to file, one per line, readable by the owner
// only, replacing it atomically.
func WriteFile(file string, keys ...Key) error {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k.String())
		b.WriteByte('\n')
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o600); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	f, err := os.Open(tmp)
	if err == nil {
		err = f.Sync()
		f.Close()
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, file)
}
