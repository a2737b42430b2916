package config

// Hooks are the outgoing webhooks.
type Hooks struct {
	// AllowPrivate lets webhooks go to private and loopback addresses
	// (a receiver on the same network); off, such targets are refused
	// so that a subscription cannot reach inside (SSRF).
	AllowPrivate bool `yaml:"allow_private"`
}
