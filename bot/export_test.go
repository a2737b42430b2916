package bot

// ChartDrawable exposes drawable to the external tests.
var ChartDrawable = drawable
