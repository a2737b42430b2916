package bot

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-analyze/charts"

	"leadwire/core"
	"leadwire/internal/lang"
)

// Chart sizes in pixels: small enough for a phone, sharp enough in mail.
const chartWidth, chartHeight = 640, 360

// DigestCharts draws what a picture says faster than a table: the month's
// forecast against its target, and the funnel by stage. A chart without
// any data is left out.
func DigestCharts(d *core.Digest) ([]Chart, error) { return digestCharts(english(), d) }

// digestCharts draws the charts in p's language: the captions always,
// the words in the picture when the chart's font draws them (else in
// English, the caption saying them in p's language).
func digestCharts(df dateFmt, d *core.Digest) ([]Chart, error) {
	p := df.p
	var out []Chart
	if fc := d.Forecast; fc != nil && (fc.Target.Amount != 0 || fc.Won.Amount != 0 || fc.Weighted.Amount != 0) {
		png, err := forecastChart(pictured(p), fc)
		if err != nil {
			return nil, fmt.Errorf("forecast chart: %w", err)
		}
		out = append(out, Chart{Name: "forecast.png", Title: p.T("chart.forecast.caption", "Month", fc.Month), PNG: png})
	}
	for i, f := range d.Funnels {
		var names []string
		var values []float64
		for _, st := range f.Stages {
			if st.Kind == core.StageLost {
				continue
			}
			names = append(names, st.Stage)
			values = append(values, float64(st.Reached))
		}
		if !slicesAny(values) {
			continue
		}
		title := p.T("chart.funnel.caption", "Funnel", funnelTitle(p, d.Funnels, f), "Cohort", funnelCohort(df, d))
		if !slices.ContainsFunc(names, func(n string) bool { return !drawable(n) }) {
			// The chart's font draws the names as they are.
		} else {
			// Numbered in the picture, named in the title, which the chat
			// or the mail shows in any script.
			var legend []string
			for i, n := range names {
				names[i] = strconv.Itoa(i+1) + "."
				legend = append(legend, names[i]+" "+n)
			}
			title += " — " + strings.Join(legend, " · ")
		}
		png, err := funnelChart(pictured(p), names, values)
		if err != nil {
			return nil, fmt.Errorf("funnel chart %s: %w", f.Pipeline, err)
		}
		name := "funnel.png" // the default pipeline's, or the only one's
		if i > 0 {
			name = fmt.Sprintf("funnel-%d.png", i+1)
		}
		out = append(out, Chart{Name: name, Title: title, PNG: png})
	}
	return out, nil
}

// shaped are the scripts whose letters join or reorder: the chart
// library places glyphs one by one, left to right, which would draw
// Persian or Thai wrong even with a font that has them.
var shaped = []*unicode.RangeTable{unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko,
	unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan, unicode.Devanagari, unicode.Bengali,
	unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya, unicode.Tamil, unicode.Telugu, unicode.Kannada,
	unicode.Malayalam, unicode.Sinhala}

// drawable reports whether the chart font draws s right: every letter has
// a glyph and none needs shaping.
func drawable(s string) bool {
	font := charts.GetDefaultFont()
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		if unicode.In(r, shaped...) || font == nil || font.Index(r) == 0 {
			return false
		}
	}
	return true
}

func slicesAny(vs []float64) bool {
	for _, v := range vs {
		if v > 0 {
			return true
		}
	}
	return false
}

// major is an amount in major units, for plotting.
func major(m core.Money) float64 {
	f, _ := strconv.ParseFloat(m.Major(), 64)
	return f
}

// pictured is the printer for the words drawn in a chart: p when the
// chart's font draws its language, else English.
func pictured(p *lang.Printer) *lang.Printer {
	for _, id := range []string{"chart.forecast.title", "chart.forecast.in", "chart.won", "chart.won_weighted", "chart.target", "chart.funnel.title", "chart.funnel.subtitle"} {
		if !drawable(p.T(id, "Month", "", "Currency", "")) {
			return lang.Default().For("en")
		}
	}
	return p
}

func forecastChart(p *lang.Printer, fc *core.Forecast) ([]byte, error) {
	won, weighted, target := major(fc.Won), major(fc.Weighted), major(fc.Target)
	opt := charts.NewBarChartOptionWithData([][]float64{{won, won + weighted, target}})
	opt.Title = charts.TitleOption{Text: p.T("chart.forecast.title", "Month", fc.Month), Subtext: p.T("chart.forecast.in", "Currency", fc.Currency)}
	opt.CategoryAxis.Labels = []string{p.T("chart.won"), p.T("chart.won_weighted"), p.T("chart.target")}
	opt.SeriesList[0].Label = charts.SeriesLabel{Show: charts.Ptr(true), ValueFormatter: groupThousands}
	opt.ValueFormatter = groupThousands
	opt.Legend.Show = charts.Ptr(false)
	return draw(func(p *charts.Painter) error { return p.BarChart(opt) })
}

func funnelChart(p *lang.Printer, names []string, values []float64) ([]byte, error) {
	opt := charts.NewFunnelChartOptionWithData(values)
	for i := range opt.SeriesList {
		opt.SeriesList[i].Name = names[i]
		opt.SeriesList[i].Label = charts.SeriesLabel{Show: charts.Ptr(true)}
	}
	opt.Title = charts.TitleOption{Text: p.T("chart.funnel.title"), Subtext: p.T("chart.funnel.subtitle")}
	opt.Legend = charts.LegendOption{SeriesNames: names, Offset: charts.OffsetRight}
	return draw(func(p *charts.Painter) error { return p.FunnelChart(opt) })
}

func draw(render func(*charts.Painter) error) ([]byte, error) {
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: chartWidth, Height: chartHeight})
	if err := render(p); err != nil {
		return nil, err
	}
	return p.Bytes()
}

// groupThousands writes 12345.6 as "12,346".
func groupThousands(v float64) string {
	s := strconv.FormatInt(int64(math.Abs(math.Round(v))), 10)
	var b []byte
	if v <= -0.5 {
		b = append(b, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}
