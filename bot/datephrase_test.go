package bot_test

import (
	"fmt"
	"testing"

	"leadwire/storage/storagetest"
)

// The verbs that take a date (remind, snooze, close) read it in the
// asker's language, whichever way the bot knows it: their own setting or
// their chat account's; a phrase they cannot read is answered in that
// language with examples in it.
func TestVerbsReadDatesInTheAskersLanguage(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	for i := range 5 {
		c.lead("Bangkok", "Anong Wongsa", fmt.Sprintf("anong%d@siam.co.th", i), "Siam Logistics")
	}
	th, fa, pl, zh := c.as("niran", "th"), c.as("niran", "fa"), c.as("niran", "pl"), c.as("niran", "zh-Hans")
	vi := *c.users["pim"]
	vi.ChatLocale = "vi" // Telegram's language_code, no setting of their own
	c.users["pim-vi"] = &vi
	for _, l := range []string{"L1", "L2", "L3", "L4"} {
		c.say(t, "niran", "claim "+l)
	}
	c.say(t, "pim", "claim L5")
	c.say(t, "niran", "qualify L1 50000 THB")
	c.run(t, []step{
		{name: "a Thai rep: tomorrow at 9 o'clock", who: th, line: "เตือน L1 พรุ่งนี้ 9 โมง โทรกลับ", want: []string{"T1 ครบกำหนด อ. 3 พ.ย. 09:00 น. (Asia/Bangkok): โทรกลับ"}},
		{name: "a Persian rep in Persian digits", who: fa, line: "یادآوری L2 فردا ساعت ۹ تماس", want: []string{"سه‌شنبه 3 نوامبر، ساعت 09:00 (Asia/Bangkok)", "تماس"}},
		{name: "a Polish rep: jutro o 9", who: pl, line: "przypomnij L3 jutro o 9 oddzwonić", want: []string{"T3 na wt. 3 lis, 09:00 (Asia/Bangkok): oddzwonić (dot. L3)."}},
		{name: "a Chinese rep: next week's Monday at three in the afternoon", who: zh, line: "提醒 L4 下周一下午三点 回电话", want: []string{"T4 到期时间 11月9日 周一 15:00 (Asia/Bangkok)：回电话"}},
		{name: "a rep whose chat account speaks Vietnamese", who: "pim-vi", line: "nhắc L5 ngày mai 9 giờ sáng gọi lại", want: []string{"T5 đến hạn 09:00, Th 3, 3/11 (Asia/Bangkok): gọi lại (của L5)."}},
		{name: "no time is answered in Thai with a Thai example", who: th, line: "เตือน L1 xyz โทรกลับ", want: []string{"ไม่พบเวลาใน", "เตือน L1 พรุ่งนี้ 9 โมง โทรกลับ"}, not: []string{"tomorrow"}},
		{name: "a number beside the phrase is refused in Polish", who: pl, line: "przypomnij L3 jutro 3 próbki", want: []string{"Nie wiem, czy “3” obok daty to godzina", "przypomnij L3 jutro o 9 oddzwonić"}, not: []string{"due", "T6"}},
		{name: "two times are refused in Chinese", who: zh, line: "推迟 T4 明天上午9点 下午3点", want: []string{"里有两个日期或两个时间", "明天上午9点"}, not: []string{"已推迟"}},
		{name: "an ambiguous slash date is answered in Persian with Persian examples", who: fa, line: "یادآوری L2 ۳/۴ تماس", want: []string{"روز/ماه یا ماه/روز", "فردا ساعت ۹ تماس"}, not: []string{"could be"}},
		{name: "a Polish snooze to Friday at 10", who: pl, line: "odłóż T3 w piątek o 10", want: []string{"pt. 6 lis, 10:00 (Asia/Bangkok)"}},
		{name: "an unreadable snooze is answered in Vietnamese", who: "pim-vi", line: "hoãn T5 lúc nào đó", want: []string{"Không đọc được thời gian", "2 tiếng nữa"}},
		{name: "a Polish close date with the month's name", who: pl, line: "zamknięcie D1 15 grudnia", want: []string{"D1", "15 gru"}},
		{name: "an unreadable close date is answered in Polish with examples", who: pl, line: "zamknięcie D1 kiedyś", want: []string{"Nie potrafię odczytać “kiedyś” jako daty i godziny", "15 stycznia"}, not: []string{"write it like"}},
		{name: "English still reads as before for an English rep", who: "niran", line: "remind L1 tomorrow 9am call back", want: []string{"due Tue 3 Nov 09:00 (Asia/Bangkok): call back (on L1)"}},
		{name: "an English phrase typed by a Thai rep", who: th, line: "เตือน L1 tomorrow 10am call", want: []string{"อ. 3 พ.ย. 10:00 น."}},
	})
}
