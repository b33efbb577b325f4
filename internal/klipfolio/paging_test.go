package klipfolio_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// listPage is GET /api/1/groups's answer, the parts paging needs.
type listPage struct {
	Meta struct {
		Total int `json:"total"`
		Count int `json:"count"`
	} `json:"meta"`
	Data struct {
		Groups []struct {
			ID string `json:"id"`
		} `json:"groups"`
	} `json:"data"`
}

// Every window of a list, near the start, in the middle or near the end
// (read backwards), with a short or a long skip (in the index alone), is the same slice of the whole list, and the total
// (kept in a counter row) follows creates, bulk loads, deletes and resets.
func TestGroupPagesAndTotals(t *testing.T) {
	env := start(t)
	ns := env.NewNamespace(t, "docs")
	h := http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}}
	base := ns.BaseURL("klipfolio") + "/api/1/groups"
	list := func(limit, offset int) listPage {
		t.Helper()
		var p listPage
		env.Do(t, "GET", fmt.Sprintf("%s?limit=%d&offset=%d", base, limit, offset), nil, h).Decode(t, 200, &p)
		return p
	}
	ids := func(p listPage) []string {
		var out []string
		for _, g := range p.Data.Groups {
			out = append(out, g.ID)
		}
		return out
	}
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed",
		`{"klipfolio": {"generate": {"groups": 2500}}}`, nil).Decode(t, 200, nil)
	env.Do(t, "POST", base, map[string]string{"name": "Made by API", "description": "last"}, h).Decode(t, 201, nil)

	var all []string
	for off := 0; ; off += 100 {
		p := list(100, off)
		all = append(all, ids(p)...)
		if len(p.Data.Groups) < 100 {
			break
		}
	}
	total := list(1, 0).Meta.Total
	if len(all) != total || total < 2501 {
		t.Fatalf("%d groups listed, total %d", len(all), total)
	}
	generated := 0
	for _, id := range all {
		if strings.HasPrefix(id, "gen-") {
			generated++
		}
	}
	if generated != 2500 || !strings.HasPrefix(all[len(all)-2501], "gen-") {
		t.Errorf("%d generated groups, want 2500", generated)
	}
	for _, tc := range []struct{ limit, offset int }{
		{7, 0}, {7, 70}, {7, 999}, {7, 1000}, {7, 1203}, {7, total/2 - 3}, {7, total / 2}, {7, total/2 + 1},
		{7, total - 1100}, {7, total - 1007}, {7, total - 10}, {7, total - 7},
		{7, total - 3}, {100, total - 1}, {7, total}, {7, total + 5},
	} {
		want := all[min(tc.offset, total):min(tc.offset+tc.limit, total)]
		if got := ids(list(tc.limit, tc.offset)); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("limit %d offset %d: %v, want %v", tc.limit, tc.offset, got, want)
		}
	}

	// Deleting a group moves the total; deleting it again does not.
	last := all[len(all)-1]
	env.Do(t, "DELETE", base+"/"+last, nil, h).Decode(t, 200, nil)
	if got := list(1, 0).Meta.Total; got != total-1 {
		t.Errorf("total after a delete: %d, want %d", got, total-1)
	}
	if res := env.Do(t, "DELETE", base+"/"+last, nil, h); res.StatusCode != 404 {
		t.Errorf("second delete: %d", res.StatusCode)
	}
	if got := list(1, 0).Meta.Total; got != total-1 {
		t.Errorf("total after a second delete: %d, want %d", got, total-1)
	}
	if got := ids(list(5, total-6)); !slices.Equal(got, all[total-6:total-1]) {
		t.Errorf("last page after a delete: %v, want %v", got, all[total-6:total-1])
	}

	// Reset replays the seed document: the API-made group goes, the
	// generated ones come back.
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/reset", nil, nil).Decode(t, 200, nil)
	if got := list(1, 0).Meta.Total; got != total-1 {
		t.Errorf("total after reset: %d, want %d", got, total-1)
	}
}
