package main

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the release, when the build sets it:
//
//	go build -ldflags "-X main.version=v1.4.0" -o leadwire ./cmd/leadwire
//
// Without it, the module version and the commit Go recorded in the binary
// are shown.
var version string

// versionText is what `leadwire --version` prints: "leadwire v1.4.0
// (commit 1a2b3c4d5e6f, 2026-11-25T14:12:17Z, modified; go1.26.8)".
func versionText() string {
	v := version
	var details []string
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = bi.Main.Version
		}
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" {
			details = append(details, "commit "+rev[:min(12, len(rev))])
		}
		if t := settings["vcs.time"]; t != "" {
			details = append(details, t)
		}
		if settings["vcs.modified"] == "true" {
			details = append(details, "modified")
		}
	}
	if v == "" || v == "(devel)" {
		v = "(development build)"
	}
	d := runtime.Version()
	if len(details) > 0 {
		d = strings.Join(details, ", ") + "; " + d
	}
	return "leadwire " + v + " (" + d + ")"
}
