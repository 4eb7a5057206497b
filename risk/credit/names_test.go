package credit

import "testing"

func TestNormalizeName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Huawei Technologies Co Ltd", "huawei technologies"},
		{"HUAWEI TECHNOLOGIES CO., LTD.", "huawei technologies"},
		{"  Huawei   Technologies  ", "huawei technologies"},
		{"ＨＵＡＷＥＩ　Ｔｅｃｈｎｏｌｏｇｉｅｓ", "huawei technologies"}, // full-width
		{"Müller Logistik GmbH", "muller logistik"},
		{"Straße & Söhne AG", "strasse sohne"},
		{"Charité Universitätsmedizin", "charite universitatsmedizin"},
		{"华为技术有限公司", "华为技术"},
		{"阿里巴巴集团", "阿里巴巴"},
		{"The Alibaba Group Holding Limited", "alibaba"},
		{"Co., Ltd.", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := NormalizeName(c.in); got != c.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCompareNames(t *testing.T) {
	cases := []struct {
		a, b string
		want NameMatch
	}{
		{"Huawei Technologies Co Ltd", "HUAWEI TECHNOLOGIES CO., LTD.", NameExact},
		{"Huawei", "Huawei Technologies Co Ltd", NamePartial},
		{"Alibaba", "Alibaba Group", NameExact}, // "group" is a generic corporate word
		{"Tencent Technology", "Tencent Technology Shenzhen", NamePartial},
		{"Huatai Logistics", "Huatai Securities", NameMismatch},
		{"华为", "华为技术有限公司", NamePartial},
		{"腾讯", "华为技术有限公司", NameMismatch},
		{"Siemens AG", "Robert Bosch GmbH", NameMismatch},
		{"Co Ltd", "Siemens AG", NameUnknown},
		{"Deutsche Bahn", "Deutsche Telekom", NameMismatch},
		{"Shenzhen Zhongxin Tech", "Zhongxin Tech Co Ltd", NamePartial},
	}
	for _, c := range cases {
		if got := CompareNames(c.a, c.b, 0); got != c.want {
			t.Errorf("CompareNames(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := CompareNames(c.b, c.a, 0); got != c.want {
			t.Errorf("CompareNames(%q, %q) = %v, want %v (not symmetric)", c.b, c.a, got, c.want)
		}
	}
	// A stricter similarity turns a weak overlap into a mismatch.
	if got := CompareNames("Zhongxin Tech Shenzhen Branch", "Zhongxin Tech Beijing", 0.9); got != NameMismatch {
		t.Errorf("strict similarity: %v", got)
	}
}
