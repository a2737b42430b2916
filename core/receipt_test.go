package core_test

import (
	"strings"
	"testing"

	"leadwire/core"
)

func TestReceipts(t *testing.T) {
	a := core.Receipt(core.ChannelWebform, "contact", "key-1")
	t.Run("a retry with the same key gets the same receipt", func(t *testing.T) {
		if b := core.Receipt(core.ChannelWebform, "contact", "key-1"); a != b {
			t.Errorf("%s and %s", a, b)
		}
	})
	t.Run("another source or key gets another", func(t *testing.T) {
		if a == core.Receipt(core.ChannelWebform, "other", "key-1") || a == core.Receipt(core.ChannelWebform, "contact", "key-2") {
			t.Error("receipts collide")
		}
	})
	t.Run("without a key every receipt is new", func(t *testing.T) {
		if core.Receipt(core.ChannelWebform, "contact", "") == core.Receipt(core.ChannelWebform, "contact", "") {
			t.Error("two random receipts are equal")
		}
	})
	t.Run("a receipt is short and shows nothing it was made from", func(t *testing.T) {
		if !strings.HasPrefix(a, "r_") || len(a) != 26 || strings.Contains(a, "key") {
			t.Errorf("receipt %q", a)
		}
	})
}
