package bot

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"leadwire/internal/lang"
)

// typed is a phrase as a person types it in their language, and the time
// it names for them: want is the wall time in their zone ("2026-11-03
// 09:00", with the offset where the zone changes its clocks), or "" when
// the phrase must be refused; rest is the text around the phrase.
type typed struct {
	lang, zone string
	now        time.Time
	phrase     string
	want, rest string
}

var (
	// Monday 2 November 2026, 09:00 UTC: 16:00 in Bangkok and Ho Chi
	// Minh City, 12:30 in Tehran, 17:00 in Shanghai, 10:00 in Warsaw.
	phraseMonday = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	// Friday 23 October 2026, 10:00 in Warsaw (summer time), two days
	// before the clocks go back on Sunday 25 October at 03:00.
	phraseAutumn = time.Date(2026, 10, 23, 8, 0, 0, 0, time.UTC)
	// Saturday 28 March 2026, 10:00 in Warsaw (winter time), the day
	// before the clocks go forward on Sunday 29 March at 02:00.
	phraseSpring = time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC)
)

// phraseTable holds at least 30 phrases for each language, written as
// people type them: spaces left out or doubled, native and ASCII digits
// mixed, words without their marks.
func phraseTable() []typed {
	var t []typed
	add := func(lang, zone string, now time.Time, rows [][3]string) {
		for _, r := range rows {
			t = append(t, typed{lang: lang, zone: zone, now: now, phrase: r[0], want: r[1], rest: r[2]})
		}
	}
	add("en", "Asia/Bangkok", phraseMonday, [][3]string{
		{"tomorrow 9am call back", "2026-11-03 09:00", "call back"},
		{"call back tomorrow at 3pm", "2026-11-03 15:00", "call back"},
		{"tomorrow", "2026-11-03 09:00", ""},
		{"in 3 days send the quote", "2026-11-05 16:00", "send the quote"},
		{"fri 14:00", "2026-11-06 14:00", ""},
		{"on Friday 9:30 demo", "2026-11-06 09:30", "demo"},
		{"mon 17:00", "2026-11-02 17:00", ""},
		{"next monday 10:00", "2026-11-09 10:00", ""},
		{"next week", "2026-11-09 09:00", ""},
		{"next month", "2026-12-01 09:00", ""},
		{"2026-12-01 14:00 demo", "2026-12-01 14:00", "demo"},
		{"dec 24 noon", "2026-12-24 12:00", ""},
		{"2h", "2026-11-02 18:00", ""},
		{"1h30m", "2026-11-02 17:30", ""},
		{"in an hour", "2026-11-02 17:00", ""},
		{"in 2 weeks", "2026-11-16 16:00", ""},
		{"in 2 months", "2027-01-02 16:00", ""},
		{"tomorrow 12am", "2026-11-03 00:00", ""},
		{"12 dec 16:30 call", "2026-12-12 16:30", "call"},
		{"dec 12 4:30pm call", "2026-12-12 16:30", "call"},
		{"12th of december send the quote", "2026-12-12 09:00", "send the quote"},
		{"12.12. 16:30 call", "2026-12-12 16:30", "call"},
		{"24/12 call", "2026-12-24 09:00", "call"},
		{"16h30 call", "2026-11-02 16:30", "call"},
		{"tomorrow 9h call", "2026-11-03 09:00", "call"},
		{"tomorrow 9 am call", "2026-11-03 09:00", "call"},
		{"wed 10:00 demo", "2026-11-04 10:00", "demo"},
		{"in 2 hours call", "2026-11-02 18:00", "call"},
		{"next friday call", "2026-11-06 09:00", "call"},
		{"call Anna 12 dec 16:30", "2026-12-12 16:30", "call Anna"},
		{"tomorrow 3 samples", "", ""},
		{"31 feb call", "", ""},
	})
	add("th", "Asia/Bangkok", phraseMonday, [][3]string{
		{"พรุ่งนี้ 9 โมง", "2026-11-03 09:00", ""},
		{"พรุ่งนี้9โมง โทรกลับ", "2026-11-03 09:00", "โทรกลับ"},
		{"บ่ายสองวันศุกร์", "2026-11-06 14:00", ""},
		{"วันศุกร์ บ่าย 2 โมง", "2026-11-06 14:00", ""},
		{"พรุ่งนี้ ๙ โมงเช้า", "2026-11-03 09:00", ""},
		{"๒ ทุ่ม", "2026-11-02 20:00", ""},
		{"สองทุ่มครึ่ง", "2026-11-02 20:30", ""},
		{"พรุ่งนี้ ตีสอง", "2026-11-03 02:00", ""},
		{"มะรืนนี้", "2026-11-04 09:00", ""},
		{"วันจันทร์หน้า 10 โมง", "2026-11-09 10:00", ""},
		{"อีก 3 วัน", "2026-11-05 16:00", ""},
		{"อีก 2 ชั่วโมง", "2026-11-02 18:00", ""},
		{"อีก30นาที", "2026-11-02 16:30", ""},
		{"อีก 2 ชม.", "2026-11-02 18:00", ""},
		{"สัปดาห์หน้า", "2026-11-09 09:00", ""},
		{"อาทิตย์หน้า", "2026-11-09 09:00", ""},
		{"เดือนหน้า", "2026-12-01 09:00", ""},
		{"15 ธ.ค. 2569", "2026-12-15 09:00", ""},
		{"๑๕ ธันวาคม บ่ายสาม", "2026-12-15 15:00", ""},
		{"15 ธ.ค.", "2026-12-15 09:00", ""},
		{"15/12/2569 10 โมง", "2026-12-15 10:00", ""},
		{"15 ม.ค. 2570 บ่ายสอง", "2027-01-15 14:00", ""},
		{"3 ก.พ 9 โมง", "2027-02-03 09:00", ""},
		{"พรุ่งนี้ 14.30 น.", "2026-11-03 14:30", ""},
		{"พรุ่งนี้ 14:30", "2026-11-03 14:30", ""},
		{"เที่ยงพรุ่งนี้", "2026-11-03 12:00", ""},
		{"พรุ่งนี้เที่ยงครึ่ง", "2026-11-03 12:30", ""},
		{"คืนนี้ 3 ทุ่ม", "2026-11-02 21:00", ""},
		{"5 โมงเย็นวันนี้", "2026-11-02 17:00", ""},
		{"วันพุธ 10 โมงครึ่ง", "2026-11-04 10:30", ""},
		{"วันพฤหัส 9โมง", "2026-11-05 09:00", ""},
		{"ศุกร์นี้ 4 โมงเย็น", "2026-11-06 16:00", ""},
		{"โทรกลับ พรุ่งนี้ บ่ายโมง", "2026-11-03 13:00", "โทรกลับ"},
		{"2026-12-01 14:00", "2026-12-01 14:00", ""},
		{"1/12 10 โมง", "2026-12-01 10:00", ""},
		{"พรุ่งนี้ 8 โมง 15 นาที", "2026-11-03 08:15", ""},
		{"วันเสาร์ ตี 5", "2026-11-07 05:00", ""},
		{"tomorrow 9am", "2026-11-03 09:00", ""},
		{"พรุ่งนี้ 3 ชิ้น", "", ""},
		{"31 ก.พ.", "", ""},
		{"ส่งของตอนเช้า", "", ""},
		{"พรุ่งนี้ บ่ายสอง 9 โมง", "", ""},
	})
	add("fa", "Asia/Tehran", phraseMonday, [][3]string{
		{"فردا ساعت ۹", "2026-11-03 09:00", ""},
		{"فردا ساعت ۹ تماس با مشتری", "2026-11-03 09:00", "تماس با مشتری"},
		{"فردا ساعت 9", "2026-11-03 09:00", ""},
		{"فردا ساعت ٩", "2026-11-03 09:00", ""},
		{"پس‌فردا ۱۰ صبح", "2026-11-04 10:00", ""},
		{"پس فردا ساعت ۱۰ صبح", "2026-11-04 10:00", ""},
		{"ساعت ۴ بعدازظهر", "2026-11-02 16:00", ""},
		{"ساعت ۴ بعد از ظهر فردا", "2026-11-03 16:00", ""},
		{"امشب ساعت ۸", "2026-11-02 20:00", ""},
		{"دوشنبه هفته بعد", "2026-11-09 09:00", ""},
		{"جمعه ساعت ۱۴", "2026-11-06 14:00", ""},
		{"سه‌شنبه ساعت ۱۴:۳۰", "2026-11-03 14:30", ""},
		{"سه شنبه ۱۴:۳۰", "2026-11-03 14:30", ""},
		{"۳ روز دیگه", "2026-11-05 12:30", ""},
		{"سه روز دیگر", "2026-11-05 12:30", ""},
		{"۲ ساعت دیگر", "2026-11-02 14:30", ""},
		{"نیم ساعت دیگه", "2026-11-02 13:00", ""},
		{"۴۵ دقیقه دیگر", "2026-11-02 13:15", ""},
		{"هفته بعد", "2026-11-09 09:00", ""},
		{"ماه آینده", "2026-12-01 09:00", ""},
		{"۱۵ آذر", "2026-12-06 09:00", ""},
		{"۱۵ آذر ساعت ۱۶:۳۰", "2026-12-06 16:30", ""},
		{"۱ دی ۱۴۰۵", "2026-12-22 09:00", ""},
		{"۱۴۰۵/۰۹/۱۵", "2026-12-06 09:00", ""},
		{"۱۵/۰۹/۱۴۰۵ ساعت ۱۰", "2026-12-06 10:00", ""},
		{"۱۵ دسامبر", "2026-12-15 09:00", ""},
		{"فردا ساعت ۹ و نیم", "2026-11-03 09:30", ""},
		{"فردا ظهر", "2026-11-03 12:00", ""},
		{"شنبه ساعت ۱۰", "2026-11-07 10:00", ""},
		{"پنجشنبه عصر", "2026-11-05 14:00", ""},
		{"فردا صبح", "2026-11-03 09:00", ""},
		{"یکشنبه ساعت ۸ شب", "2026-11-08 20:00", ""},
		{"پیگیری فاکتور فردا ساعت ۱۱", "2026-11-03 11:00", "پیگیری فاکتور"},
		{"2026-12-01 14:00", "2026-12-01 14:00", ""},
		{"۳۱ اسفند ۱۴۰۵", "", ""},
		{"فردا ۳ نفر", "", ""},
	})
	add("vi", "Asia/Ho_Chi_Minh", phraseMonday, [][3]string{
		{"ngày mai 9 giờ sáng", "2026-11-03 09:00", ""},
		{"ngay mai 9 gio sang", "2026-11-03 09:00", ""},
		{"mai 9h", "2026-11-03 09:00", ""},
		{"mai 9h30 gọi lại", "2026-11-03 09:30", "gọi lại"},
		{"thứ hai tuần sau", "2026-11-09 09:00", ""},
		{"thứ 2 tuần sau 10h", "2026-11-09 10:00", ""},
		{"3 giờ chiều thứ 6", "2026-11-06 15:00", ""},
		{"thứ sáu 3 giờ chiều", "2026-11-06 15:00", ""},
		{"t6 15h", "2026-11-06 15:00", ""},
		{"chủ nhật", "2026-11-08 09:00", ""},
		{"cn 8h sáng", "2026-11-08 08:00", ""},
		{"2 tiếng nữa", "2026-11-02 18:00", ""},
		{"30 phút nữa", "2026-11-02 16:30", ""},
		{"3 ngày nữa", "2026-11-05 16:00", ""},
		{"1 tuần nữa", "2026-11-09 16:00", ""},
		{"tuần sau", "2026-11-09 09:00", ""},
		{"tháng sau", "2026-12-01 09:00", ""},
		{"tối nay 8 giờ", "2026-11-02 20:00", ""},
		{"8 giờ tối nay", "2026-11-02 20:00", ""},
		{"chiều mai 2 giờ", "2026-11-03 14:00", ""},
		{"sáng mai", "2026-11-03 09:00", ""},
		{"ngày mốt", "2026-11-04 09:00", ""},
		{"ngày kia 10h", "2026-11-04 10:00", ""},
		{"15/12", "2026-12-15 09:00", ""},
		{"15/12 16:30", "2026-12-15 16:30", ""},
		{"ngày 15 tháng 12", "2026-12-15 09:00", ""},
		{"ngày 15 tháng 12 năm 2026 lúc 10 giờ", "2026-12-15 10:00", ""},
		{"lúc 9 giờ rưỡi sáng mai", "2026-11-03 09:30", ""},
		{"12 giờ trưa mai", "2026-11-03 12:00", ""},
		{"gọi lại vào thứ tư lúc 10h", "2026-11-04 10:00", "gọi lại"},
		{"thứ bảy tuần tới", "2026-11-14 09:00", ""},
		{"11 giờ đêm nay", "2026-11-02 23:00", ""},
		{"mai 3 mẫu", "", ""},
		{"mai 25 giờ", "", ""},
		{"31/2", "", ""},
		{"gọi chị Lan buổi sáng", "", ""},
		{"gọi chị Mai", "", ""},
		{"gọi lại anh Tuấn mai", "2026-11-03 09:00", "gọi lại anh Tuấn"},
		{"Mai gọi lại thứ sáu 9h", "2026-11-06 09:00", "Mai gọi lại"},
		{"thứ sáu 9h Mai gọi lại", "2026-11-06 09:00", "Mai gọi lại"},
		{"Mai gọi lại mai 9h", "2026-11-03 09:00", "Mai gọi lại"},
		{"Mai Anh gọi lại", "", ""},
		{"Mai 9h gửi báo giá", "2026-11-03 09:00", "gửi báo giá"},
		{"Mai gửi báo giá", "2026-11-03 09:00", "gửi báo giá"},
	})
	add("pl", "Europe/Warsaw", phraseMonday, [][3]string{
		{"jutro o 9", "2026-11-03 09:00", ""},
		{"jutro o 9 zadzwonić do Anny", "2026-11-03 09:00", "zadzwonić do Anny"},
		{"zadzwonić jutro o 9", "2026-11-03 09:00", "zadzwonić"},
		{"w poniedziałek 14:00", "2026-11-02 14:00", ""},
		{"w poniedzialek o 14", "2026-11-02 14:00", ""},
		{"we wtorek o 15:30", "2026-11-03 15:30", ""},
		{"w środę rano", "2026-11-04 09:00", ""},
		{"w srode o 8.30", "2026-11-04 08:30", ""},
		{"czwartek 16:00", "2026-11-05 16:00", ""},
		{"w piątek po południu", "2026-11-06 14:00", ""},
		{"w przyszły piątek o 15:30", "2026-11-13 15:30", ""},
		{"w przyszłą środę", "2026-11-11 09:00", ""},
		{"za tydzień", "2026-11-09 10:00", ""},
		{"za tydzien", "2026-11-09 10:00", ""},
		{"za 3 dni", "2026-11-05 10:00", ""},
		{"za 2 godziny", "2026-11-02 12:00", ""},
		{"za godzinę", "2026-11-02 11:00", ""},
		{"za pół godziny", "2026-11-02 10:30", ""},
		{"za 15 min", "2026-11-02 10:15", ""},
		{"pojutrze rano", "2026-11-04 09:00", ""},
		{"dziś wieczorem", "2026-11-02 19:00", ""},
		{"dzisiaj o 18", "2026-11-02 18:00", ""},
		{"jutro o dziewiątej", "2026-11-03 09:00", ""},
		{"jutro w południe", "2026-11-03 12:00", ""},
		{"w przyszłym tygodniu", "2026-11-09 09:00", ""},
		{"w przyszłym miesiącu", "2026-12-01 09:00", ""},
		{"15 grudnia", "2026-12-15 09:00", ""},
		{"15 grudnia o 16:30", "2026-12-15 16:30", ""},
		{"15.12 o 10", "2026-12-15 10:00", ""},
		{"15.12.2026 14:00", "2026-12-15 14:00", ""},
		{"jutro godz. 14", "2026-11-03 14:00", ""},
		{"jutro o 7 wieczorem", "2026-11-03 19:00", ""},
		{"jutro 3 próbki", "", ""},
	})
	add("pl", "Europe/Warsaw", phraseAutumn, [][3]string{
		{"w niedzielę o 9", "2026-10-25 09:00 +01:00", ""},
		{"za 3 dni", "2026-10-26 10:00 +01:00", ""},
		{"w niedzielę o 2:30", "2026-10-25 02:30 +02:00", ""},
		{"jutro o 9", "2026-10-24 09:00 +02:00", ""},
		{"za 48 godzin", "2026-10-25 09:00 +01:00", ""},
	})
	add("pl", "Europe/Warsaw", phraseSpring, [][3]string{
		{"jutro o 9", "2026-03-29 09:00 +02:00", ""},
		{"jutro o 1:30", "2026-03-29 01:30 +01:00", ""},
		{"za 1 dzień", "2026-03-29 10:00 +02:00", ""},
		{"za 24 godziny", "2026-03-29 11:00 +02:00", ""},
		{"jutro o 2:30", "", ""},
	})
	add("zh-Hans", "Asia/Shanghai", phraseMonday, [][3]string{
		{"明天上午9点", "2026-11-03 09:00", ""},
		{"明天上午9点回电话", "2026-11-03 09:00", "回电话"},
		{"明天 上午 9 点", "2026-11-03 09:00", ""},
		{"明天上午九点", "2026-11-03 09:00", ""},
		{"下周一下午三点", "2026-11-09 15:00", ""},
		{"下周一 下午3点", "2026-11-09 15:00", ""},
		{"下星期五", "2026-11-13 09:00", ""},
		{"周五14:00", "2026-11-06 14:00", ""},
		{"星期三上午10点半", "2026-11-04 10:30", ""},
		{"礼拜天", "2026-11-08 09:00", ""},
		{"后天", "2026-11-04 09:00", ""},
		{"大后天下午", "2026-11-05 14:00", ""},
		{"3天后", "2026-11-05 17:00", ""},
		{"三天后", "2026-11-05 17:00", ""},
		{"两个小时后", "2026-11-02 19:00", ""},
		{"2小时后", "2026-11-02 19:00", ""},
		{"半小时后", "2026-11-02 17:30", ""},
		{"30分钟后", "2026-11-02 17:30", ""},
		{"一周后", "2026-11-09 17:00", ""},
		{"下周", "2026-11-09 09:00", ""},
		{"下个月", "2026-12-01 09:00", ""},
		{"晚上八点半", "2026-11-02 20:30", ""},
		{"今晚8点", "2026-11-02 20:00", ""},
		{"明早", "2026-11-03 09:00", ""},
		{"明天中午12点", "2026-11-03 12:00", ""},
		{"明天中午1点", "2026-11-03 13:00", ""},
		{"12月24日", "2026-12-24 09:00", ""},
		{"2026年12月24号下午两点", "2026-12-24 14:00", ""},
		{"12月24日 14:00", "2026-12-24 14:00", ""},
		{"15号", "2026-11-15 09:00", ""},
		{"明天下午4点一刻", "2026-11-03 16:15", ""},
		{"明天９点", "2026-11-03 09:00", ""},
		{"明天 下午 3:30", "2026-11-03 15:30", ""},
		{"回电话 明天上午9点", "2026-11-03 09:00", "回电话"},
		{"明天3个样品", "", ""},
		{"2月30日", "", ""},
	})
	return t
}

// Phrases in every language are read as their speakers mean them, in
// their zone, across a DST change, and refused when they cannot be read
// whole.
func TestDatePhrasesInEveryLanguage(t *testing.T) {
	p := newDates()
	for _, tt := range phraseTable() {
		t.Run(tt.lang+" "+tt.phrase, func(t *testing.T) {
			loc := zone(t, tt.zone)
			s := speaker{lang: tt.lang, order: orderFor(tt.lang)}
			at, rest, err := p.readIn(s, tt.phrase, tt.now, loc)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("read %q as %s, rest %q; want a refusal", tt.phrase, at.In(loc).Format(time.RFC3339), rest)
				}
				return
			}
			if err != nil {
				t.Fatalf("read %q: %v; want %s", tt.phrase, err, tt.want)
			}
			layout := "2006-01-02 15:04"
			if len(tt.want) > len(layout) {
				layout += " -07:00"
			}
			if got := at.In(loc).Format(layout); got != tt.want || rest != tt.rest {
				t.Fatalf("read %q as %s, rest %q; want %s, rest %q", tt.phrase, got, rest, tt.want, tt.rest)
			}
		})
	}
}

// A phrase before a long task is read, and one after it too, within
// the last words of the text.
func TestAPhraseBesideALongTask(t *testing.T) {
	p := newDates()
	task := strings.Repeat("ส่งใบเสนอราคาให้ลูกค้า ", 60)
	bangkok := zone(t, "Asia/Bangkok")
	for _, text := range []string{"พรุ่งนี้ 9 โมง " + task, task + "พรุ่งนี้ 9 โมง"} {
		at, rest, err := p.readIn(speaker{lang: "th", order: orderDayFirst}, text, phraseMonday, bangkok)
		if err != nil || at.In(bangkok).Format("2006-01-02 15:04") != "2026-11-03 09:00" || rest != strings.TrimSpace(task) {
			t.Errorf("read %d bytes: %s, %v; want 2026-11-03 09:00 and the task", len(text), at.In(bangkok), err)
		}
	}
}

// Every language has at least 30 phrases in the table.
func TestThePhraseTableCoversEveryLanguage(t *testing.T) {
	count := map[string]int{}
	for _, tt := range phraseTable() {
		count[tt.lang]++
	}
	for _, l := range []string{"en", "th", "fa", "vi", "pl", "zh-Hans"} {
		if count[l] < 30 {
			t.Errorf("%s has %d phrases; want at least 30", l, count[l])
		}
	}
}

// A refusal in another language says why in the catalog's words: the
// time the clocks skip, a day the month lacks, a number beside the phrase.
func TestRefusalsSayWhyInTheSpeakersLanguage(t *testing.T) {
	p := newDates()
	warsaw := zone(t, "Europe/Warsaw")
	tests := []struct {
		name, lang, phrase string
		now                time.Time
		key, word          string
	}{
		{"a time the clocks skip", "pl", "jutro o 2:30", phraseSpring, "phrase.gap", "02:30"},
		{"a day the month lacks", "pl", "31.02 o 10", phraseMonday, "phrase.no_day", ""},
		{"a number beside the phrase", "pl", "jutro 3 próbki", phraseMonday, "phrase.number_beside", "3"},
		{"two times", "zh-Hans", "明天上午9点 下午3点", phraseMonday, "phrase.twice", ""},
		{"a weekday that is not the date's", "vi", "thứ sáu 15/12", phraseMonday, "phrase.weekday", ""},
		{"a slash date that could be either order", "fa", "۳/۴ ساعت ۱۰", phraseMonday, "phrase.ambiguous", "3/4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := p.readIn(speaker{lang: tt.lang, order: orderFor(tt.lang)}, tt.phrase, tt.now, warsaw)
			var de *dateError
			if !errors.As(err, &de) || de.key != tt.key || tt.word != "" && de.word != tt.word {
				t.Fatalf("read %q: %#v; want key %s, word %q", tt.phrase, err, tt.key, tt.word)
			}
		})
	}
}

// The examples the catalog gives in each language are phrases the reader
// reads: a person who copies one is understood.
func TestTheCatalogsExamplesAreRead(t *testing.T) {
	p := newDates()
	bangkok := zone(t, "Asia/Bangkok")
	for _, l := range []string{"en", "th", "fa", "vi", "pl", "zh-Hans"} {
		pr := lang.Default().For(l)
		s := speaker{lang: l, order: orderFor(l)}
		if l == "en" {
			s.order = orderDayFirst
		}
		for _, key := range []string{"remind.example", "remind.example_date", "meeting.example"} {
			text := pr.T(key)
			if _, rest, err := p.readIn(s, text, phraseMonday, bangkok); err != nil || rest == "" {
				t.Errorf("%s %s %q: rest %q, %v; want a time and a task", l, key, text, rest, err)
			}
		}
		for _, key := range []string{"phrase.examples_time", "phrase.examples_date"} {
			for _, ex := range splitExamples(pr.T(key)) {
				if _, err := p.readWholeIn(s, ex, phraseMonday, bangkok); err != nil {
					t.Errorf("%s %s: %q is not read: %v", l, key, ex, err)
				}
			}
		}
	}
}

// splitExamples splits "a, b or c" in any of the languages into a, b, c.
func splitExamples(s string) []string {
	for _, sep := range []string{" or ", " หรือ ", " یا ", " hoặc ", " lub ", " 或 ", "、", "، ", ", "} {
		s = strings.ReplaceAll(s, sep, "|")
	}
	var out []string
	for _, e := range strings.Split(s, "|") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

func FuzzLocalDatePhrases(f *testing.F) {
	langs := []string{"th", "fa", "vi", "pl", "zh-Hans", "en"}
	for i, tt := range phraseTable() {
		f.Add(tt.phrase, uint8(i))
	}
	p := newDates()
	locs := []*time.Location{}
	for _, name := range []string{"Asia/Bangkok", "Asia/Tehran", "Europe/Warsaw", "Asia/Shanghai"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			f.Fatal(err)
		}
		locs = append(locs, loc)
	}
	f.Fuzz(func(t *testing.T, text string, which uint8) {
		s := speaker{lang: langs[int(which)%len(langs)], order: orderDayFirst}
		loc := locs[int(which)%len(locs)]
		at, rest, err := p.readIn(s, text, phraseSpring, loc)
		if err != nil {
			var de *dateError
			if !errors.Is(err, errNoDate) && !errors.As(err, &de) {
				t.Fatalf("read %q: %v is neither no date nor a refusal with a reason", text, err)
			}
			if rest != strings.TrimSpace(text) && rest != text {
				t.Fatalf("read %q refused, yet returned rest %q", text, rest)
			}
			return
		}
		if at.IsZero() || len(rest) > len(text) {
			t.Fatalf("read %q = %v, rest %q", text, at, rest)
		}
		if _, err := p.readWholeIn(s, text, phraseSpring, loc); err == nil && strings.Trim(rest, ".,;!。") != "" {
			t.Fatalf("%q read whole although %q is left over", text, rest)
		}
	})
}

// The Solar Hijri dates a person types convert back to the Gregorian day
// that persianDate (which the cards use) writes them as, every day of ten
// years.
func TestSolarHijriDatesConvertBothWays(t *testing.T) {
	for d := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2030; d = d.AddDate(0, 0, 1) {
		jy, jm, jd := persianDate(d.Year(), int(d.Month()), d.Day())
		if y, m, dd := gregorianOfPersian(jy, jm, jd); y != d.Year() || m != int(d.Month()) || dd != d.Day() {
			t.Fatalf("%s is %d/%d/%d, which converts back to %d-%02d-%02d", d.Format(time.DateOnly), jy, jm, jd, y, m, dd)
		}
	}
}

// One reader serves every conversation at once: the phrase table read
// from several goroutines gives the same times (run with -race).
func TestOneReaderServesManyGoroutines(t *testing.T) {
	p := newDates()
	table := phraseTable()
	locs := map[string]*time.Location{}
	for _, tt := range table {
		locs[tt.zone] = zone(t, tt.zone)
	}
	want := make([]time.Time, len(table))
	for i, tt := range table {
		want[i], _, _ = p.readIn(speaker{lang: tt.lang, order: orderFor(tt.lang)}, tt.phrase, tt.now, locs[tt.zone])
	}
	errs := make(chan string, 4*len(table))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, tt := range table {
				got, _, _ := p.readIn(speaker{lang: tt.lang, order: orderFor(tt.lang)}, tt.phrase, tt.now, locs[tt.zone])
				if !got.Equal(want[i]) {
					errs <- tt.phrase
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for phrase := range errs {
		t.Errorf("%q read differently from another goroutine", phrase)
	}
}
