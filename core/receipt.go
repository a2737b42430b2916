package core

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// ReceiptMetadata is the metadata key a receipt is kept under on the lead
// its inbound opened, so the team can find what a sender quotes.
const ReceiptMetadata = "receipt"

// Receipt is what an anonymous sender (a web form, a webhook delivery) is
// told of a capture: a reference that reveals nothing of what leadwire
// holds. Lead and deal numbers are sequential and say whether an address
// was known and to how many; they go to the team, never to the sender.
// A receipt is made from what the sender sent itself (the channel, the
// source and its idempotency key), so a retry is told the same one; with
// no key it is random.
func Receipt(channel, source, externalID string) string {
	var b []byte
	if externalID == "" {
		b = make([]byte, 15)
		rand.Read(b) // never fails: see crypto/rand.Read
	} else {
		sum := sha256.Sum256([]byte("receipt\x00" + channel + "\x00" + source + "\x00" + externalID))
		b = sum[:15]
	}
	return "r_" + strings.ToLower(base32.StdEncoding.EncodeToString(b))
}
