package core

// SettingError is a problem with one key of an adapter's settings, found by
// the adapter's own check, so that the config file and the adapter refuse
// the same things in the same words. Key is the key as the config file
// spells it, below the adapter's section ("tls", "port"); the config
// reports the problem at that key's path and line.
type SettingError struct {
	Key     string
	Message string
}

func (e *SettingError) Error() string { return e.Message }
