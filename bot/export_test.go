package bot

import (
	"leadwire/core"
	"leadwire/internal/lang"
	"leadwire/internal/typeset"
)

// ChartsIn draws a digest's charts for a reader of language tag with
// fonts, for the external tests.
func ChartsIn(fonts *typeset.Fonts, tag string, d *core.Digest) ([]Chart, error) {
	return digestCharts(fonts, dateFmt{p: lang.Default().For(tag), cal: core.CalendarGregorian}, d)
}
