package main

import (
	"fmt"
	"hash/fnv"
	"net/url"
)

// benchPeople are the senders of `bench forms`: their languages, names,
// companies and messages, and how their phone numbers are written. The
// nth post takes the n%len person's language and a name, company and
// message by n, with an address and a number of its own, so that each
// post is a new person and a new lead.
var benchPeople = []struct {
	lang, domain, phone string // phone: a format for a number below 10^7 (%07d)
	utm                 string
	names, companies    []string
	subjects, messages  []string
}{
	{"th", "example.co.th", "+66 81%07d", "line",
		[]string{"สมชาย ประเสริฐ", "วิภา ศรีสุข", "ธนพล วงศ์สวัสดิ์", "กาญจนา บุญมา", "ณัฐวุฒิ แสงทอง"},
		[]string{"บริษัท สยามเทรดดิ้ง จำกัด", "ร้านกาแฟดอยช้าง", "โรงแรมริมน้ำ เชียงใหม่"},
		[]string{"ขอใบเสนอราคา", "สนใจแพ็กเกจองค์กร"},
		[]string{"สวัสดีค่ะ สนใจระบบสำหรับทีมขาย 25 คน ขอใบเสนอราคาและรายละเอียดการติดตั้งด้วยค่ะ",
			"รบกวนติดต่อกลับช่วงบ่ายครับ อยากทราบราคาแบบรายปีและการเชื่อมต่อกับ LINE"}},
	{"pl", "example.pl", "+48 60%07d", "google",
		[]string{"Katarzyna Nowak", "Łukasz Wiśniewski", "Małgorzata Wójcik", "Paweł Zieliński", "Agnieszka Kowalczyk"},
		[]string{"Zakład Stolarski Żuraw sp. z o.o.", "Biuro Rachunkowe Świętokrzyskie", "Hurtownia Łódź-Bałuty"},
		[]string{"Prośba o wycenę", "Wdrożenie dla działu sprzedaży"},
		[]string{"Dzień dobry, proszę o wycenę wdrożenia dla 50 osób oraz informację o szkoleniu zespołu.",
			"Szukamy systemu, który połączy skrzynkę pocztową i formularze ze strony. Czy możemy umówić rozmowę w czwartek?"}},
	{"vi", "example.vn", "+84 91%07d", "zalo",
		[]string{"Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Hương", "Phạm Minh Đức", "Hoàng Ngọc Ánh"},
		[]string{"Công ty TNHH Thương mại Sài Gòn", "Nhà hàng Phở Hà Nội", "Xưởng may Đồng Nai"},
		[]string{"Yêu cầu báo giá", "Tư vấn giải pháp bán hàng"},
		[]string{"Chào anh chị, công ty tôi có 30 nhân viên kinh doanh, xin gửi báo giá gói doanh nghiệp và thời gian triển khai.",
			"Tôi muốn được tư vấn về việc kết nối biểu mẫu trên website với đội bán hàng. Xin gọi lại sau 14 giờ."}},
	{"fa", "example.ir", "+98 912%07d", "instagram",
		[]string{"داریوش کریمی", "مریم احمدی", "علی رضایی", "زهرا حسینی", "سارا محمدی"},
		[]string{"شرکت بازرگانی پارس", "فرش دستباف اصفهان", "گروه صنعتی البرز"},
		[]string{"درخواست پیش‌فاکتور", "مشاوره برای تیم فروش"},
		[]string{"سلام، برای تیم فروش ۲۰ نفره‌مان دنبال یک سامانه هستیم. لطفاً پیش‌فاکتور و زمان راه‌اندازی را بفرستید.",
			"با سلام، آیا امکان اتصال به تلگرام و ایمیل سازمانی وجود دارد؟ لطفاً با من تماس بگیرید."}},
	{"zh-Hans", "example.cn", "+86 1380%07d", "wechat",
		[]string{"李伟", "王芳", "张敏", "刘洋", "陈静"},
		[]string{"上海华东贸易有限公司", "深圳明达电子科技", "杭州西湖茶业"},
		[]string{"询价", "销售团队方案咨询"},
		[]string{"您好，我们有40名销售人员，想了解企业版的价格和部署周期，请尽快联系我。",
			"请问是否支持把网站表单和企业邮箱的线索统一管理？方便的话明天上午给我回电话。"}},
}

// appendFormPost writes the nth form post of a run: an urlencoded body
// as a browser sends it, asking for a JSON answer (201 for a new lead).
func appendFormPost(buf []byte, form *url.URL, run string, n int) []byte {
	p := benchPeople[n%len(benchPeople)]
	k := n / len(benchPeople)
	// Numbers differ between runs too, so that a post to a database of
	// an earlier run is a new person as well.
	h := fnv.New32a()
	h.Write([]byte(run))
	seed := int(h.Sum32())
	body := url.Values{
		"name":         {p.names[k%len(p.names)]},
		"email":        {fmt.Sprintf("lead.%s.%d@%s", run, n, p.domain)},
		"phone":        {fmt.Sprintf(p.phone, (seed+k)%10_000_000)},
		"company":      {p.companies[k%len(p.companies)]},
		"subject":      {p.subjects[k%len(p.subjects)]},
		"message":      {p.messages[k%len(p.messages)]},
		"language":     {p.lang},
		"utm_source":   {p.utm},
		"utm_campaign": {"bench-" + run},
	}.Encode()
	return appendRequest(buf, "POST", form, []byte(body),
		"Content-Type", "application/x-www-form-urlencoded",
		"Accept", "application/json",
		"Accept-Language", p.lang,
		"Referer", "https://www."+p.domain+"/contact?utm_medium=cpc")
}
