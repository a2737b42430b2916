// Package hooks sends leadwire's outgoing webhooks: each event as JSON,
// signed per the Standard Webhooks convention (webhook-id,
// webhook-timestamp and webhook-signature: HMAC-SHA256 over
// id.timestamp.body, with a whsec_ secret), to a target that is no private
// or loopback address unless that is allowed, with the answer read within
// a size and a time limit.
package hooks

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// SecretPrefix starts every subscription secret.
const SecretPrefix = "whsec_"

// NewSecret returns a new subscription secret: whsec_ and 32 random bytes
// in base64, as Standard Webhooks libraries take it.
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails: see crypto/rand.Read
	return SecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// ErrSecret is a secret that is no whsec_ secret.
var ErrSecret = errors.New("a webhook secret is whsec_ followed by base64")

// key returns the signing key a secret holds.
func key(secret string) ([]byte, error) {
	s, ok := strings.CutPrefix(secret, SecretPrefix)
	if !ok {
		return nil, ErrSecret
	}
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(k) == 0 {
		return nil, ErrSecret
	}
	return k, nil
}

// Sign returns the webhook-signature value of a message: "v1," and the
// base64 HMAC-SHA256 of id, the Unix timestamp and the body, joined by
// dots.
func Sign(secret, id string, at time.Time, body []byte) (string, error) {
	k, err := key(secret)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, k)
	m.Write([]byte(id + "." + strconv.FormatInt(at.Unix(), 10) + "."))
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil)), nil
}

// Verify reports whether one of the space-separated signatures in header
// is the message's, as a receiver checks it.
func Verify(secret, id string, at time.Time, body []byte, header string) bool {
	want, err := Sign(secret, id, at, body)
	if err != nil {
		return false
	}
	for sig := range strings.FieldsSeq(header) {
		if hmac.Equal([]byte(sig), []byte(want)) {
			return true
		}
	}
	return false
}
