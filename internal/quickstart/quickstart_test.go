package quickstart

import (
	"strings"
	"testing"
)

func TestExamples(t *testing.T) {
	creds := map[string]map[string]any{
		"worksection": {"base_url": "http://h:3", "api_key": "k"},
		"klipfolio":   {"base_url": "http://h:2", "api_key": "it's"},
		"clinked":     {"base_url": "http://h:1", "access_token": "t"},
		"workdrive":   {"base_url": "http://h:4", "api_key": "w"},
	}
	ex := Examples(creds)
	order := []string{"clinked", "klipfolio", "worksection", "workdrive"}
	if len(ex) != 4 {
		t.Fatalf("%d examples", len(ex))
	}
	for i, e := range ex {
		if e.Vendor != order[i] || !strings.HasPrefix(e.Curl, "curl -s ") {
			t.Errorf("%d: %+v", i, e)
		}
	}
	// md5("action=get_users" + "k")
	if want := "'http://h:3/api/admin/v2/?action=get_users&hash=73cae3548c14b27319be92d722f5bed7'"; !strings.HasSuffix(ex[2].Curl, want) {
		t.Errorf("worksection: %s", ex[2].Curl)
	}
	if !strings.Contains(ex[1].Curl, `'kf-api-key: it'\''s'`) {
		t.Errorf("quoting: %s", ex[1].Curl)
	}
}
