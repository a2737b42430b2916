package bot

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"leadwire/core"
	"leadwire/internal/lang"
	"leadwire/internal/typeset"
)

// Chart sizes in pixels: small enough for a phone, sharp enough in mail.
const chartWidth, chartHeight = 640, 360

// DigestCharts draws what a picture says faster than a table: the month's
// forecast against its target, and the funnel by stage, in English with
// the fonts of this machine. A chart without any data is left out.
func DigestCharts(d *core.Digest) ([]Chart, error) {
	return digestCharts(typeset.System(), english(), d)
}

// chartFonts are the fonts the conversation draws charts with.
func (c *Conversation) chartFonts() *typeset.Fonts {
	if c.opts.Fonts != nil {
		return c.opts.Fonts
	}
	return typeset.System()
}

// digestCharts draws the charts in df's language with fonts. Words the
// fonts cannot draw (Chinese on a server without a CJK font) are in
// English in the picture, stage names numbered, and the caption names
// them in the reader's language and says why.
func digestCharts(fonts *typeset.Fonts, df dateFmt, d *core.Digest) ([]Chart, error) {
	p := df.p
	pic, noFont := p, false
	if !fonts.Covers(chartWords(p)) {
		pic, noFont = lang.Default().For("en"), true
	}
	ts := fonts.Typesetter(pic.Lang())
	var out []Chart
	if fc := d.Forecast; fc != nil && (fc.Target.Amount != 0 || fc.Won.Amount != 0 || fc.Weighted.Amount != 0) {
		png, err := forecastChart(ts, pic, fc)
		if err != nil {
			return nil, fmt.Errorf("forecast chart: %w", err)
		}
		title := p.T("chart.forecast.caption", "Month", fc.Month)
		if noFont {
			title += " — " + p.T("chart.no_font", "Key", "digest.cjk_font")
		}
		out = append(out, Chart{Name: "forecast.png", Title: title, PNG: png})
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
		if !fonts.Covers(strings.Join(names, "")) {
			// Numbered in the picture, named in the title, which the chat
			// or the mail shows in any script.
			var legend []string
			for i, n := range names {
				names[i] = strconv.Itoa(i+1) + "."
				legend = append(legend, names[i]+" "+n)
			}
			title += " — " + strings.Join(legend, " · ") + " — " + p.T("chart.no_font", "Key", "digest.cjk_font")
		} else if noFont {
			title += " — " + p.T("chart.no_font", "Key", "digest.cjk_font")
		}
		// The pipeline's name when there are several, if the fonts draw it.
		heading := pic.T("chart.funnel.title")
		if t := funnelTitle(pic, d.Funnels, f); len(d.Funnels) > 1 && fonts.Covers(t) {
			heading = t
		}
		png, err := funnelChart(ts, pic, heading, names, values)
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

// chartWords are the catalog's words a chart in p's language draws.
func chartWords(p *lang.Printer) string {
	var b strings.Builder
	for _, id := range []string{"chart.won", "chart.won_weighted", "chart.target", "chart.funnel.title", "chart.funnel.subtitle", "number.group"} {
		b.WriteString(p.T(id))
	}
	b.WriteString(p.T("chart.forecast.title", "Month", ""))
	b.WriteString(p.T("chart.forecast.in", "Currency", ""))
	return b.String()
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

// Colours of the charts.
var (
	inkTitle = rgb(0x33, 0x33, 0x33)
	inkMuted = rgb(0x6e, 0x70, 0x79)
	inkGrid  = rgb(0xe0, 0xe6, 0xf1)
	palette  = []rgba{rgb(0x54, 0x70, 0xc6), rgb(0x91, 0xcc, 0x75), rgb(0xfa, 0xc8, 0x58), rgb(0xee, 0x66, 0x66),
		rgb(0x73, 0xc0, 0xde), rgb(0x3b, 0xa2, 0x72), rgb(0xfc, 0x84, 0x52), rgb(0x9a, 0x60, 0xb4), rgb(0xea, 0x7c, 0xcc)}
)

// forecastChart draws won, won plus weighted open deals, and the target
// as three bars on an axis from zero.
func forecastChart(ts *typeset.Typesetter, p *lang.Printer, fc *core.Forecast) ([]byte, error) {
	c := newCanvas(ts, p.RTL())
	c.heading(p.T("chart.forecast.title", "Month", numeral(p, fc.Month)), p.T("chart.forecast.in", "Currency", fc.Currency))
	won, weighted, target := major(fc.Won), major(fc.Weighted), major(fc.Target)
	values := []float64{won, won + weighted, target}
	labels := []string{p.T("chart.won"), p.T("chart.won_weighted"), p.T("chart.target")}
	colours := []rgba{palette[1], palette[0], inkMuted}

	const left, right, top, bottom = 76.0, 620.0, 70.0, 318.0
	step, ticks := axisTicks(max(values[0], values[1], values[2]))
	y := func(v float64) float64 { return bottom - (bottom-top)*v/(step*float64(ticks)) }
	for i := 0; i <= ticks; i++ {
		v := step * float64(i)
		if i > 0 {
			c.rect(left, y(v), right, y(v)+1, inkGrid)
		}
		c.text(groupThousands(p, v), 11, left-8, y(v)+4, alignEnd, inkMuted)
	}
	slot := (right - left) / float64(len(values))
	for i, v := range values {
		mid := left + slot*(float64(i)+0.5)
		if v > 0 {
			c.rect(mid-slot*0.28, y(v), mid+slot*0.28, bottom, colours[i])
		}
		c.text(groupThousands(p, v), 12, mid, y(max(v, 0))-6, alignMiddle, inkTitle)
		c.fitText(labels[i], 13, slot-8, mid, bottom+22, alignMiddle, inkTitle)
	}
	c.rect(left, bottom, right, bottom+1, inkMuted)
	return c.png()
}

// axisTicks divides 0…top into a few round steps: 1, 2, 2.5 or 5 times
// a power of ten.
func axisTicks(top float64) (step float64, n int) {
	if top <= 0 {
		return 1, 1
	}
	raw := top / 5
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if step = m * pow; step >= raw {
			break
		}
	}
	return step, int(math.Ceil(top/step - 1e-9))
}

// funnelChart draws how many deals reached each stage as bands of a
// funnel, each as wide as its count, named and with its share of the
// first.
func funnelChart(ts *typeset.Typesetter, p *lang.Printer, title string, names []string, values []float64) ([]byte, error) {
	c := newCanvas(ts, p.RTL())
	c.heading(title, p.T("chart.funnel.subtitle"))
	const top, bottom, widest, mid = 64.0, 346.0, 600.0, chartWidth / 2
	first := max(values[0], 1)
	for _, v := range values {
		first = max(first, v)
	}
	width := func(i int) float64 {
		if i >= len(values) { // the funnel's spout
			return max(widest*values[len(values)-1]/first, 6) * 0.4
		}
		return max(widest*values[i]/first, 6)
	}
	band := (bottom - top) / float64(len(values))
	for i, name := range names {
		y0, y1 := top+band*float64(i), top+band*float64(i+1)-2
		w0, w1 := width(i)/2, width(i+1)/2
		c.polygon(palette[i%len(palette)], [][2]float64{{mid - w0, y0}, {mid + w0, y0}, {mid + w1, y1}, {mid - w1, y1}})
		label := name + "  " + numeral(p, groupThousands(p, values[i])) + " · " + numeral(p, percent(values[i]/first))
		c.fitText(label, 13, chartWidth-40, mid, (y0+y1)/2+5, alignMiddle, inkTitle)
	}
	return c.png()
}

// numeral keeps a number's own order in right-to-left text: by the bidi
// algorithm "2026-11" or "40%" after Persian words would read "11-2026"
// and "%40".
func numeral(p *lang.Printer, s string) string {
	if !p.RTL() {
		return s
	}
	return "\u2066" + s + "\u2069"
}

// groupThousands writes 12345.6 as "12,346", with p's grouping mark.
func groupThousands(p *lang.Printer, v float64) string {
	s := strconv.FormatInt(int64(math.Abs(math.Round(v))), 10)
	group := p.T("number.group")
	var b strings.Builder
	if v <= -0.5 {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
