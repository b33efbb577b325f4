package clinked_test

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// A page number past any offset (here MaxInt64) is clamped to Clinked's
// largest page: an empty page, not a negative OFFSET (a 500 on PostgreSQL,
// page 1 again on SQLite).
func TestHugePageNumber(t *testing.T) {
	env, ns := startIn(t, "demo")
	c := bAdmin(t, env, ns)
	for _, p := range []string{"members", "groups", "invites", "guests", "member-tags?summary=true&"} {
		path := "/v3/accounts/1/" + p
		if p[len(p)-1] != '&' {
			path += "?"
		}
		path += "page=9223372036854775807&size=1000"
		var pg struct {
			Items        []any `json:"items"`
			CurrentPage  int   `json:"currentPage"`
			TotalResults int   `json:"totalResults"`
		}
		c.decode("GET", path, nil, http.StatusOK, &pg)
		if len(pg.Items) != 0 || pg.CurrentPage != math.MaxInt32 || pg.TotalResults == 0 {
			t.Errorf("%s: %d items, currentPage %d, totalResults %d; want 0 items of a non-empty list on page %d",
				path, len(pg.Items), pg.CurrentPage, pg.TotalResults, math.MaxInt32)
		}
	}
}

// exclude takes repeats freely and at most 1000 distinct ids; more is a 400
// (each id is a bind parameter: tens of thousands were a 500).
func TestExcludeIsBounded(t *testing.T) {
	env, ns := startIn(t, "demo")
	c := bAdmin(t, env, ns)
	repeats := strings.TrimSuffix(strings.Repeat("1,", 40000), ",")
	var pg struct {
		Items        []struct{ ID int64 } `json:"items"`
		TotalResults int                  `json:"totalResults"`
	}
	c.decode("GET", "/v3/accounts/1/groups?size=1000&exclude="+repeats, nil, http.StatusOK, &pg)
	for _, g := range pg.Items {
		if g.ID == 1 {
			t.Error("group 1 is listed though excluded")
		}
	}
	if pg.TotalResults == 0 {
		t.Error("every group was excluded")
	}
	var distinct []string
	for i := 1; i <= 1001; i++ {
		distinct = append(distinct, strconv.Itoa(i))
	}
	c.want("GET", "/v3/accounts/1/groups?exclude="+strings.Join(distinct[:1000], ","), nil, http.StatusOK)
	for _, path := range []string{"/v3/accounts/1/groups", "/v3/groups/1/members"} {
		res := c.want("GET", path+"?exclude="+strings.Join(distinct, ","), nil, http.StatusBadRequest)
		if !strings.Contains(string(res.Body), "exclude") {
			t.Errorf("%s: %s", path, res.Body)
		}
	}
	c.want("HEAD", "/v3/accounts/1/groups?exclude="+strings.Join(distinct, ","), nil, http.StatusBadRequest)
}
