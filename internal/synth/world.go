package synth

// Read-only tables describing each market: cities, travel destinations,
// names, merchants, employers, lenders and IP prefixes. Coordinates are city
// centres (WGS 84); IP prefixes are public-looking /16s of the kind each
// country's networks use, chosen for plausibility only (no real customer or
// host is meant). Nothing here is modified after initialisation.

// place is a city with its centre and a relative weight (population share
// among the market's customers).
type place struct {
	name     string
	country  string
	lat, lon float64
	weight   float64
	offset   int      // UTC offset in hours (standard time), for local hours abroad
	ip       []string // "a.b" /16 prefixes of networks there
}

// catID identifies a spending category of card and app purchases.
type catID uint8

const (
	catGroceries catID = iota
	catDining
	catTransport
	catFuel
	catShopping
	catEntertainment
	catHealth
	numCats
)

// merchant is a merchant brand with its MCC; online merchants are card-not-
// present (web or app).
type merchant struct {
	name   string
	mcc    uint16
	online bool
}

// market holds everything market-specific.
type market struct {
	currency, country, zone string
	cities                  []place
	abroad                  []place // travel destinations
	fraudOrigins            []place // where account takeovers come from
	hostingIP               []string
	broadbandIP, mobileIP   []string
	broadbandV6             []string // "2001:db8"-style first two hextets
	firstNames, lastNames   []string
	familyName              bool // names are "Last First" (CN) rather than "First Last"
	employers               []string
	publicEmployers         []string // civil service; "%s" is the city
	gigPayers               []string
	pensionPayer            string // "%s" is the city when it contains it
	privatePension          []string
	utilities               []string // "%s" is the city
	telecoms                []string
	insurers                []string
	otherBanks              []string
	carLenders              []string
	consumerLenders         []string
	rentCompanies           []string
	childcare               []string
	tutoring                []string
	universities            []string // "%s" is the city
	subscriptions           []merchant
	airlines                []string
	hotels                  []string
	rail                    string
	merchants               [numCats][]merchant
	transitName             string // "%s" is the city
	testMerchants           []merchant
	cashOutMerchants        []merchant
	// medianIncome is the median monthly net income per stage, in
	// currency units; medians of spending per category likewise.
	medianIncome map[Stage]float64
	medianSpend  [numCats]float64
	transferMed  float64 // median transfer to family and friends
	cashMed      float64 // median cash withdrawal
	round        int64   // rounding unit of round amounts (rent, cash), in minor units
	cashUse      float64 // relative use of cash
	posShare     float64 // share of in-store purchases paid by card (rest by app QR)
	lowValue     int64   // no-authentication limit for small payments, minor units
	salaryRolls  []float64
	billRoll     Roll // weekend rule of direct debits and standing orders
}

func marketData(m Market) *market {
	if m == MarketEU {
		return &euMarket
	}
	return &cnMarket
}

var cnMarket = market{
	currency: "CNY", country: "CN", zone: "Asia/Shanghai",
	cities: []place{
		{name: "Shanghai", lat: 31.2304, lon: 121.4737, weight: 3},
		{name: "Beijing", lat: 39.9042, lon: 116.4074, weight: 3},
		{name: "Guangzhou", lat: 23.1291, lon: 113.2644, weight: 2},
		{name: "Shenzhen", lat: 22.5431, lon: 114.0579, weight: 2},
		{name: "Hangzhou", lat: 30.2741, lon: 120.1551, weight: 1.5},
		{name: "Chengdu", lat: 30.5728, lon: 104.0668, weight: 1.5},
		{name: "Wuhan", lat: 30.5928, lon: 114.3055, weight: 1},
		{name: "Nanjing", lat: 32.0603, lon: 118.7969, weight: 1},
		{name: "Xi'an", lat: 34.3416, lon: 108.9398, weight: 1},
		{name: "Chongqing", lat: 29.5630, lon: 106.5516, weight: 1},
	},
	abroad: []place{
		{name: "Tokyo", country: "JP", lat: 35.6762, lon: 139.6503, weight: 2, offset: 9, ip: []string{"126.33", "153.156", "220.100"}},
		{name: "Osaka", country: "JP", lat: 34.6937, lon: 135.5023, weight: 1, offset: 9, ip: []string{"126.77", "180.12"}},
		{name: "Seoul", country: "KR", lat: 37.5665, lon: 126.9780, weight: 1.5, offset: 9, ip: []string{"175.223", "211.36"}},
		{name: "Bangkok", country: "TH", lat: 13.7563, lon: 100.5018, weight: 2, offset: 7, ip: []string{"49.228", "171.96", "184.82"}},
		{name: "Singapore", country: "SG", lat: 1.3521, lon: 103.8198, weight: 1.5, offset: 8, ip: []string{"116.14", "101.127"}},
		{name: "Kuala Lumpur", country: "MY", lat: 3.1390, lon: 101.6869, weight: 1, offset: 8, ip: []string{"175.139", "115.132"}},
		{name: "Hong Kong", country: "HK", lat: 22.3193, lon: 114.1694, weight: 2, offset: 8, ip: []string{"112.118", "203.198"}},
		{name: "Paris", country: "FR", lat: 48.8566, lon: 2.3522, weight: 0.7, offset: 1, ip: []string{"90.12", "86.247"}},
		{name: "London", country: "GB", lat: 51.5074, lon: -0.1278, weight: 0.5, offset: 0, ip: []string{"86.150", "81.2"}},
		{name: "Sydney", country: "AU", lat: -33.8688, lon: 151.2093, weight: 0.5, offset: 10, ip: []string{"101.160", "120.148"}},
		{name: "Los Angeles", country: "US", lat: 34.0522, lon: -118.2437, weight: 0.4, offset: -8, ip: []string{"24.6", "73.15"}},
	},
	fraudOrigins: []place{
		{name: "Phnom Penh", country: "KH", lat: 11.5564, lon: 104.9282, weight: 3, offset: 7, ip: []string{"103.197", "175.100"}},
		{name: "Yangon", country: "MM", lat: 16.8409, lon: 96.1735, weight: 2, offset: 6, ip: []string{"103.25", "37.111"}},
		{name: "Manila", country: "PH", lat: 14.5995, lon: 120.9842, weight: 2, offset: 8, ip: []string{"112.198", "49.145"}},
		{name: "Ho Chi Minh City", country: "VN", lat: 10.8231, lon: 106.6297, weight: 1.5, offset: 7, ip: []string{"113.161", "14.161"}},
		{name: "Bangkok", country: "TH", lat: 13.7563, lon: 100.5018, weight: 1, offset: 7, ip: []string{"49.228", "171.96"}},
		{name: "Kuala Lumpur", country: "MY", lat: 3.1390, lon: 101.6869, weight: 1, offset: 8, ip: []string{"175.139"}},
		{name: "Hong Kong", country: "HK", lat: 22.3193, lon: 114.1694, weight: 0.5, offset: 8, ip: []string{"112.118"}},
	},
	hostingIP:   []string{"45.134", "185.220", "104.244", "193.32", "5.188", "103.152"},
	broadbandIP: []string{"58.246", "101.80", "114.84", "116.228", "180.168", "183.192", "218.80", "222.64", "61.152", "124.78", "120.229", "113.87"},
	mobileIP:    []string{"117.136", "223.104", "39.144", "112.96", "111.30"},
	broadbandV6: []string{"240e:3a1", "240e:390", "2408:8207", "2409:8a28"},
	firstNames: []string{"Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang", "Yong", "Yan", "Jie",
		"Juan", "Tao", "Ming", "Chao", "Xiuying", "Xia", "Ping", "Gang", "Hui", "Hong", "Yu", "Xin", "Hao", "Lan", "Bo"},
	lastNames: []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Hu",
		"Zhu", "Gao", "Lin", "He", "Guo", "Ma", "Luo", "Liang", "Song", "Zheng", "Xie", "Han", "Tang"},
	familyName: true,
	employers: []string{"Huawei Technologies Co Ltd", "Alibaba Group", "Tencent Technology", "ByteDance Ltd",
		"Zhongxin Tech Co Ltd", "Huatai Logistics Co Ltd", "Xinyuan Pharmaceutical Co Ltd", "Dongfang Electric Co Ltd",
		"Jinqiao Trading Co Ltd", "Hengtai Construction Co Ltd", "Meida Foods Co Ltd", "Tianyu Software Co Ltd",
		"Ruifeng Textiles Co Ltd", "Kaisheng Auto Parts Co Ltd", "Hongxing Retail Co Ltd", "China Merchants Logistics",
		"SAIC Motor Corp", "Midea Group", "Haier Smart Home", "BYD Co Ltd", "JD Logistics", "Ping An Technology",
		"Sunac Property Services", "Yili Dairy Co Ltd"},
	publicEmployers: []string{"%s Municipal Finance Bureau", "%s Education Bureau", "%s No.3 People's Hospital",
		"%s Tax Service", "%s Public Security Bureau", "%s University Payroll"},
	gigPayers:      []string{"Meituan Rider Payout", "Didi Driver Settlement", "Ele.me Rider Payout", "Lalamove Driver Payout", "Dada Express Payout"},
	pensionPayer:   "%s Social Insurance Fund",
	privatePension: []string{"China Life Annuity", "Ping An Annuity", "Taikang Pension"},
	utilities:      []string{"State Grid %s Electric Power", "%s Water Supply Group", "%s Gas Group"},
	telecoms:       []string{"China Mobile", "China Unicom", "China Telecom"},
	insurers:       []string{"Ping An Life Insurance", "China Life Insurance", "CPIC Life", "AIA China", "Taikang Life"},
	otherBanks:     []string{"ICBC", "China Construction Bank", "Bank of China", "China Merchants Bank", "Agricultural Bank of China", "Bank of Communications"},
	carLenders:     []string{"SAIC-GMAC Auto Finance", "Toyota Motor Finance China", "BMW Automotive Finance China", "Volkswagen Finance China"},
	consumerLenders: []string{"WeBank Weilidai", "Ant Consumer Finance", "JD Finance Jintiao", "Mashang Consumer Finance",
		"Home Credit China", "Zhaolian Consumer Finance"},
	rentCompanies: []string{"Ziroom", "Lianjia Apartments", "Mofang Apartments"},
	childcare:     []string{"Sunshine Kindergarten", "Little Star Early Education", "Rainbow Bilingual Kindergarten", "Happy Tree Nursery"},
	tutoring:      []string{"New Oriental Education", "Xueersi Training", "Gaotu Education", "Zuoyebang Tutoring"},
	universities:  []string{"%s University", "%s Normal University", "%s University of Technology"},
	subscriptions: []merchant{{"iQIYI VIP", 4899, true}, {"Tencent Video VIP", 4899, true}, {"NetEase Cloud Music", 5815, true},
		{"Bilibili Premium", 4899, true}, {"Youku VIP", 4899, true}, {"Baidu Netdisk", 5815, true}, {"Apple iCloud", 5815, true},
		{"QQ Music", 5815, true}},
	airlines:    []string{"Air China", "China Eastern Airlines", "China Southern Airlines", "Hainan Airlines", "Spring Airlines"},
	hotels:      []string{"Hilton", "Marriott", "Jinjiang Inn", "Home Inn", "Atour Hotel", "Hanting Hotel", "Trip.com"},
	rail:        "China Railway 12306",
	transitName: "%s Metro",
	merchants: [numCats][]merchant{
		catGroceries: {{"Hema Fresh", 5411, false}, {"Carrefour", 5411, false}, {"Yonghui Superstores", 5411, false},
			{"RT-Mart", 5411, false}, {"Walmart", 5411, false}, {"Lianhua Supermarket", 5411, false}, {"FamilyMart", 5499, false},
			{"Lawson", 5499, false}, {"7-Eleven", 5499, false}, {"Wumart", 5411, false}, {"Pagoda Fruit", 5499, false},
			{"Dingdong Maicai", 5411, true}, {"Meituan Maicai", 5411, true}, {"Qian Da Ma Fresh", 5411, false}},
		catDining: {{"Haidilao", 5812, false}, {"KFC", 5814, false}, {"McDonald's", 5814, false}, {"Starbucks", 5814, false},
			{"Luckin Coffee", 5814, false}, {"Xiabu Xiabu", 5812, false}, {"Yoshinoya", 5814, false}, {"Din Tai Fung", 5812, false},
			{"Meituan Waimai", 5814, true}, {"Ele.me", 5814, true}, {"Lao Wang Noodles", 5812, false}, {"Xiao Yang Dumplings", 5812, false},
			{"Heytea", 5814, false}, {"Mixue Ice Cream", 5814, false}, {"Xibei", 5812, false}, {"Nayuki Tea", 5814, false}},
		catTransport: {{"Didi Chuxing", 4121, true}, {"T3 Mobility", 4121, true}, {"Cao Cao Mobility", 4121, true},
			{"Hello Bike", 4789, true}, {"Meituan Bike", 4789, true}},
		catFuel: {{"Sinopec", 5541, false}, {"PetroChina", 5541, false}, {"Shell", 5541, false}, {"CNOOC Fuel", 5541, false}},
		catShopping: {{"JD.com", 5399, true}, {"Taobao", 5399, true}, {"Tmall", 5399, true}, {"Pinduoduo", 5399, true},
			{"Uniqlo", 5651, false}, {"Suning", 5732, false}, {"Apple Store", 5732, false}, {"Xiaomi Store", 5732, false},
			{"Decathlon", 5941, false}, {"IKEA", 5712, false}, {"Watsons", 5977, false}, {"Muji", 5311, false},
			{"Vipshop", 5399, true}, {"Dangdang", 5942, true}, {"Miniso", 5331, false}, {"Anta Sports", 5661, false}},
		catEntertainment: {{"Wanda Cinemas", 7832, false}, {"Maoyan Tickets", 7922, true}, {"Tencent Games", 5816, true},
			{"Party World KTV", 7999, false}, {"NetEase Games", 5816, true}, {"Damai Tickets", 7922, true}, {"Fitness Time Gym", 7997, false}},
		catHealth: {{"Yifeng Pharmacy", 5912, false}, {"LBX Pharmacy", 5912, false}, {"Guoda Pharmacy", 5912, false},
			{"Ruici Dental", 8021, false}, {"United Family Clinic", 8011, false}, {"JD Health", 5912, true}, {"Ali Health Pharmacy", 5912, true}},
	},
	testMerchants: []merchant{{"GiftCardHub", 5815, true}, {"DigitalKeys Store", 5816, true}, {"QuickTopUp", 5999, true},
		{"Hope Charity Online", 8398, true}, {"AppCoins Shop", 5816, true}, {"GameCredits Direct", 5816, true},
		{"StreamPass Online", 5815, true}, {"eVoucher World", 5999, true}, {"TopUp Express", 4814, true}, {"PixelShop Asia", 5815, true},
		{"CloudVPN Pro", 5817, true}, {"SkinTrade Market", 5816, true}},
	cashOutMerchants: []merchant{{"TechDeals Online", 5732, true}, {"GadgetOutlet", 5732, true}, {"Global Gift Cards", 5947, true},
		{"LuxeWatch Store", 5944, true}, {"Phone Mall Online", 5732, true}, {"Crypto Top-Up", 6051, true}},
	medianIncome: map[Stage]float64{
		StageStudent: 1800, StageEarlyCareer: 8500, StageFamilyFormation: 13000, StageWealthAccumulation: 17000,
		StagePreRetirement: 12500, StageRetired: 4200,
	},
	medianSpend: [numCats]float64{catGroceries: 75, catDining: 42, catTransport: 18, catFuel: 280,
		catShopping: 160, catEntertainment: 85, catHealth: 110},
	transferMed: 600, cashMed: 500, round: 10000,
	cashUse: 0.25, posShare: 0.35, lowValue: 100000,
	salaryRolls: []float64{0.7, 0.15, 0.05, 0.1}, // fixed day, month end, semi-monthly, biweekly
	billRoll:    RollNone,
}

var euMarket = market{
	currency: "EUR", country: "DE", zone: "Europe/Berlin",
	cities: []place{
		{name: "Berlin", lat: 52.5200, lon: 13.4050, weight: 3},
		{name: "Hamburg", lat: 53.5511, lon: 9.9937, weight: 2},
		{name: "Munich", lat: 48.1351, lon: 11.5820, weight: 2},
		{name: "Cologne", lat: 50.9375, lon: 6.9603, weight: 1.5},
		{name: "Frankfurt", lat: 50.1109, lon: 8.6821, weight: 1.5},
		{name: "Stuttgart", lat: 48.7758, lon: 9.1829, weight: 1},
		{name: "Dusseldorf", lat: 51.2277, lon: 6.7735, weight: 1},
		{name: "Leipzig", lat: 51.3397, lon: 12.3731, weight: 1},
		{name: "Dresden", lat: 51.0504, lon: 13.7373, weight: 0.8},
		{name: "Hannover", lat: 52.3759, lon: 9.7320, weight: 0.8},
	},
	abroad: []place{
		{name: "Palma", country: "ES", lat: 39.5696, lon: 2.6502, weight: 2, offset: 1, ip: []string{"83.45", "88.12"}},
		{name: "Barcelona", country: "ES", lat: 41.3874, lon: 2.1686, weight: 1, offset: 1, ip: []string{"83.45", "95.16"}},
		{name: "Rome", country: "IT", lat: 41.9028, lon: 12.4964, weight: 1, offset: 1, ip: []string{"79.30", "93.39"}},
		{name: "Vienna", country: "AT", lat: 48.2082, lon: 16.3738, weight: 1.5, offset: 1, ip: []string{"84.114", "178.190"}},
		{name: "Amsterdam", country: "NL", lat: 52.3676, lon: 4.9041, weight: 1, offset: 1, ip: []string{"84.86", "145.132"}},
		{name: "Paris", country: "FR", lat: 48.8566, lon: 2.3522, weight: 1, offset: 1, ip: []string{"90.12", "86.247"}},
		{name: "Athens", country: "GR", lat: 37.9838, lon: 23.7275, weight: 0.8, offset: 2, ip: []string{"94.66", "176.92"}},
		{name: "Antalya", country: "TR", lat: 36.8969, lon: 30.7133, weight: 1.2, offset: 3, ip: []string{"88.230", "78.172"}},
		{name: "Copenhagen", country: "DK", lat: 55.6761, lon: 12.5683, weight: 0.6, offset: 1, ip: []string{"87.49"}},
		{name: "Prague", country: "CZ", lat: 50.0755, lon: 14.4378, weight: 0.8, offset: 1, ip: []string{"89.24"}},
		{name: "Lisbon", country: "PT", lat: 38.7223, lon: -9.1393, weight: 0.7, offset: 0, ip: []string{"85.240"}},
		{name: "New York", country: "US", lat: 40.7128, lon: -74.0060, weight: 0.5, offset: -5, ip: []string{"24.6", "98.207"}},
		{name: "Bangkok", country: "TH", lat: 13.7563, lon: 100.5018, weight: 0.4, offset: 7, ip: []string{"49.228", "171.96"}},
	},
	fraudOrigins: []place{
		{name: "Lagos", country: "NG", lat: 6.5244, lon: 3.3792, weight: 1.5, offset: 1, ip: []string{"105.112", "197.210"}},
		{name: "Bucharest", country: "RO", lat: 44.4268, lon: 26.1025, weight: 2, offset: 2, ip: []string{"86.120", "188.26"}},
		{name: "Sao Paulo", country: "BR", lat: -23.5505, lon: -46.6333, weight: 1, offset: -3, ip: []string{"177.12", "189.6"}},
		{name: "Mumbai", country: "IN", lat: 19.0760, lon: 72.8777, weight: 1, offset: 5, ip: []string{"49.36", "117.201"}},
		{name: "Istanbul", country: "TR", lat: 41.0082, lon: 28.9784, weight: 1.5, offset: 3, ip: []string{"88.230", "78.172"}},
		{name: "Amsterdam", country: "NL", lat: 52.3676, lon: 4.9041, weight: 1, offset: 1, ip: []string{"84.86", "145.132"}},
		{name: "London", country: "GB", lat: 51.5074, lon: -0.1278, weight: 1, offset: 0, ip: []string{"86.150", "81.2"}},
	},
	hostingIP:   []string{"45.134", "185.220", "104.244", "193.32", "5.188", "91.132"},
	broadbandIP: []string{"84.150", "87.123", "91.64", "93.220", "79.200", "77.0", "80.133", "95.90", "188.96", "217.229"},
	mobileIP:    []string{"80.187", "109.40", "176.0", "92.72", "37.80"},
	broadbandV6: []string{"2003:e5", "2003:c0", "2a02:8108", "2a01:c22"},
	firstNames: []string{"Anna", "Lukas", "Maria", "Leon", "Sophie", "Felix", "Laura", "Jonas", "Julia", "Paul", "Lena",
		"Max", "Sarah", "Tim", "Lisa", "Jan", "Katharina", "David", "Hannah", "Tobias", "Emma", "Elias", "Mia", "Ben"},
	lastNames: []string{"Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
		"Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schroder", "Neumann", "Schwarz", "Zimmermann", "Braun",
		"Kruger", "Hofmann", "Hartmann", "Lange", "Werner"},
	employers: []string{"Siemens AG", "Deutsche Bahn AG", "BMW AG", "SAP SE", "Allianz SE", "Lidl Dienstleistung GmbH",
		"Robert Bosch GmbH", "Muller Logistik GmbH", "Nordlicht Software GmbH", "Becker Bau GmbH", "Hansa Pflege GmbH",
		"Rhein Consulting GmbH", "Alpen Medizintechnik GmbH", "Weber Maschinenbau GmbH", "REWE Markt GmbH",
		"Deutsche Telekom AG", "BASF SE", "Zalando SE", "Vonovia SE", "Charite Universitatsmedizin", "Helios Kliniken GmbH",
		"Fraunhofer-Gesellschaft", "DHL Group", "Edeka Zentrale AG"},
	publicEmployers: []string{"Stadt %s", "Landesamt fur Finanzen %s", "Bezirksamt %s", "Universitat %s",
		"Bundesagentur fur Arbeit", "Polizei %s"},
	gigPayers:      []string{"Lieferando Payout", "Wolt Payout", "Uber BV Payout", "Bolt Driver Payout", "Gorillas Payout"},
	pensionPayer:   "Deutsche Rentenversicherung",
	privatePension: []string{"Allianz Lebensversicherung", "Debeka Rente", "R+V Pensionskasse"},
	utilities:      []string{"Stadtwerke %s", "Vattenfall Europe", "E.ON Energie Deutschland", "EnBW Energie"},
	telecoms:       []string{"Telekom Deutschland", "Vodafone GmbH", "O2 Telefonica", "1&1 Telecom"},
	insurers:       []string{"Allianz Versicherung", "HUK-Coburg", "AXA Versicherung", "ERGO Versicherung", "Debeka"},
	otherBanks:     []string{"Sparkasse", "Deutsche Bank", "Commerzbank", "ING-DiBa", "DKB", "Volksbank"},
	carLenders:     []string{"Volkswagen Bank", "BMW Bank", "Mercedes-Benz Bank", "Santander Consumer Bank Auto"},
	consumerLenders: []string{"Santander Consumer Bank", "auxmoney", "Targobank", "Klarna Bank", "Consors Finanz",
		"Norisbank Kredit"},
	rentCompanies: []string{"Vonovia SE", "Deutsche Wohnen SE", "LEG Immobilien", "Gewobag"},
	childcare:     []string{"Kita Sonnenschein eV", "Kita Regenbogen", "Fruchte Kita gGmbH", "Kinderladen Pusteblume"},
	tutoring:      []string{"Studienkreis Nachhilfe", "Schulerhilfe GmbH", "Musikschule Allegro", "Sportverein TSV"},
	universities:  []string{"Universitat %s", "Hochschule %s", "Technische Universitat %s"},
	subscriptions: []merchant{{"Netflix", 4899, true}, {"Spotify", 5815, true}, {"Disney Plus", 4899, true},
		{"Amazon Prime", 5815, true}, {"Apple iCloud", 5815, true}, {"DAZN", 4899, true}, {"Audible", 5815, true},
		{"YouTube Premium", 4899, true}},
	airlines:    []string{"Lufthansa", "Eurowings", "Condor", "Ryanair", "easyJet"},
	hotels:      []string{"Hilton", "Marriott", "Motel One", "booking.com", "TUI", "Ibis", "Airbnb"},
	rail:        "DB Fernverkehr",
	transitName: "%s Verkehrsbetriebe",
	merchants: [numCats][]merchant{
		catGroceries: {{"REWE", 5411, false}, {"EDEKA", 5411, false}, {"Aldi Sud", 5411, false}, {"Aldi Nord", 5411, false},
			{"Lidl", 5411, false}, {"Kaufland", 5411, false}, {"Netto", 5411, false}, {"Penny", 5411, false},
			{"Denns BioMarkt", 5499, false}, {"Backerei Kamps", 5462, false}, {"Alnatura", 5499, false}, {"Flink", 5411, true},
			{"Knuspr", 5411, true}, {"Tegut", 5411, false}},
		catDining: {{"McDonald's", 5814, false}, {"Burger King", 5814, false}, {"Vapiano", 5812, false}, {"L'Osteria", 5812, false},
			{"Starbucks", 5814, false}, {"Cafe Einstein", 5814, false}, {"Doner Kebab Haus", 5814, false}, {"Lieferando", 5814, true},
			{"Wolt", 5814, true}, {"Block House", 5812, false}, {"Hans im Gluck", 5812, false}, {"Nordsee", 5814, false},
			{"Backwerk", 5814, false}, {"Sushi Circle", 5812, false}, {"Pizzeria Da Mario", 5812, false}, {"Bar Centrale", 5813, false}},
		catTransport: {{"Uber", 4121, true}, {"FreeNow", 4121, true}, {"Tier Mobility", 4789, true}, {"Bolt", 4121, true},
			{"Share Now", 7512, true}},
		catFuel: {{"Aral", 5541, false}, {"Shell", 5541, false}, {"Esso", 5541, false}, {"JET", 5541, false}, {"TotalEnergies", 5541, false}},
		catShopping: {{"Amazon.de", 5399, true}, {"Zalando", 5651, true}, {"Otto", 5399, true}, {"MediaMarkt", 5732, false},
			{"Saturn", 5732, false}, {"H&M", 5651, false}, {"Zara", 5651, false}, {"IKEA", 5712, false}, {"Decathlon", 5941, false},
			{"Thalia", 5942, false}, {"dm-drogerie markt", 5977, false}, {"Rossmann", 5977, false}, {"Galeria", 5311, false},
			{"Tchibo", 5399, false}, {"eBay", 5399, true}, {"Douglas", 5977, false}},
		catEntertainment: {{"CinemaxX", 7832, false}, {"UCI Kinowelt", 7832, false}, {"Eventim", 7922, true},
			{"Steam", 5816, true}, {"PlayStation Store", 5816, true}, {"McFit", 7997, false}, {"Bowling World", 7933, false}},
		catHealth: {{"Apotheke am Markt", 5912, false}, {"Rathaus-Apotheke", 5912, false}, {"DocMorris", 5912, true},
			{"Shop Apotheke", 5912, true}, {"Zahnarztpraxis Dr Weber", 8021, false}, {"Fielmann", 8043, false}, {"Physio Aktiv", 8049, false}},
	},
	testMerchants: []merchant{{"GiftCardHub", 5815, true}, {"DigitalKeys Store", 5816, true}, {"QuickTopUp", 5999, true},
		{"Hope Charity Online", 8398, true}, {"AppCoins Shop", 5816, true}, {"GameCredits Direct", 5816, true},
		{"StreamPass Online", 5815, true}, {"eVoucher World", 5999, true}, {"TopUp Express", 4814, true}, {"PixelShop EU", 5815, true},
		{"CloudVPN Pro", 5817, true}, {"SkinTrade Market", 5816, true}},
	cashOutMerchants: []merchant{{"TechDeals Online", 5732, true}, {"GadgetOutlet", 5732, true}, {"Global Gift Cards", 5947, true},
		{"LuxeWatch Store", 5944, true}, {"Phone Mall Online", 5732, true}, {"Crypto Top-Up", 6051, true}},
	medianIncome: map[Stage]float64{
		StageStudent: 850, StageEarlyCareer: 2300, StageFamilyFormation: 3200, StageWealthAccumulation: 4100,
		StagePreRetirement: 3500, StageRetired: 1600,
	},
	medianSpend: [numCats]float64{catGroceries: 26, catDining: 16, catTransport: 14, catFuel: 62,
		catShopping: 42, catEntertainment: 24, catHealth: 19},
	transferMed: 120, cashMed: 100, round: 1000,
	cashUse: 1, posShare: 0.85, lowValue: 5000,
	salaryRolls: []float64{0.3, 0.6, 0.03, 0.07},
	billRoll:    RollFollowing,
}
