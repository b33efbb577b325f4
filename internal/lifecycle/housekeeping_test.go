package lifecycle_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// Loading a document twice clashes on its ids: a 409 naming the entity,
// and nothing of the second load is written.
func TestSeedClash(t *testing.T) {
	env := testenv.Start(t, registry.All)
	doc, err := os.ReadFile("../../examples/seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	n := env.NewNamespace(t, "empty")
	env.Do(t, "POST", control(env, "/"+n.ID+"/seed"), doc, nil).Decode(t, 200, nil)
	before := dump(t, env.DB, n.ID)
	res := env.Do(t, "POST", control(env, "/"+n.ID+"/seed"), doc, nil)
	var body struct {
		Error string `json:"error"`
	}
	res.Decode(t, 409, &body)
	t.Log(body.Error)
	if !strings.Contains(body.Error, "already exists") || strings.Contains(body.Error, "UNIQUE") ||
		strings.Contains(body.Error, "SQLSTATE") {
		t.Errorf("409 body: %s", body.Error)
	}
	diff(t, "after the refused load", before, dump(t, env.DB, n.ID))

	tests := []struct{ name, doc, want string }{
		{"klipfolio group", `{"klipfolio":{"groups":[{"id":"g1","name":"a","description":""},{"id":"g1","name":"b","description":""}]}}`, "klipfolio: a group"},
		{"clinked account", `{"clinked":{"accounts":[{"id":900,"name":"acme","friendly_name":"Acme"},{"id":900,"name":"acme2","friendly_name":"Acme 2"}]}}`, "clinked: a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := env.NewNamespace(t, "empty")
			res := env.Do(t, "POST", control(env, "/"+n.ID+"/seed"), tt.doc, nil)
			res.Decode(t, 409, &body)
			if !strings.Contains(body.Error, "seed document, ") || !strings.Contains(body.Error, "already exists") {
				t.Errorf("409 body: %s", body.Error)
			}
		})
	}
}

type listed struct {
	Namespaces []struct {
		ID        string            `json:"id"`
		Labels    map[string]string `json:"labels"`
		ExpiresAt *string           `json:"expires_at"`
	} `json:"namespaces"`
	Total      int    `json:"total"`
	NextCursor string `json:"next_cursor"`
}

func TestTTLAndBulkDelete(t *testing.T) {
	env := testenv.Start(t, registry.All)
	var short, long testenv.Namespace
	env.Do(t, "POST", control(env, ""), map[string]any{"seed": "empty", "ttl": "30m", "labels": map[string]string{"ci_job": "1"}}, nil).Decode(t, 201, &short)
	env.Do(t, "POST", control(env, ""), map[string]any{"seed": "empty", "ttl": "2h", "labels": map[string]string{"ci_job": "1"}}, nil).Decode(t, 201, &long)
	var snap snapshot
	env.Do(t, "POST", control(env, "/"+short.ID+"/snapshots"), nil, nil).Decode(t, 201, &snap)

	if n, err := env.App.SweepExpired(t.Context()); err != nil || n != 0 {
		t.Fatalf("sweep before expiry: %d %v", n, err)
	}
	env.Clock.Advance(31 * time.Minute)
	if n, err := env.App.SweepExpired(t.Context()); err != nil || n != 1 {
		t.Fatalf("sweep after 31m: %d %v", n, err)
	}
	env.Do(t, "GET", control(env, "/"+short.ID), nil, nil).Decode(t, 404, nil)
	env.Do(t, "GET", control(env, "/"+long.ID), nil, nil).Decode(t, 200, nil)
	for tn, rows := range dump(t, env.DB, short.ID) {
		if len(rows) > 0 {
			t.Errorf("expired namespace left rows in %s", tn)
		}
	}
	for tn, rows := range dump(t, env.DB, "~"+snap.ID) {
		if len(rows) > 0 {
			t.Errorf("expired namespace's snapshot left rows in %s", tn)
		}
	}

	// Bulk delete by label, seed and creation time.
	made := map[string]string{}
	for i, l := range []string{"a", "a", "b"} {
		var n testenv.Namespace
		env.Do(t, "POST", control(env, ""), map[string]any{"seed": []string{"empty", "demo", "empty"}[i],
			"labels": map[string]string{"team": l}}, nil).Decode(t, 201, &n)
		made[n.ID] = l
	}
	var del struct {
		Deleted []string `json:"deleted"`
		Count   int      `json:"count"`
	}
	env.Do(t, "DELETE", control(env, "?label=team=a&seed=demo"), nil, nil).Decode(t, 200, &del)
	if del.Count != 1 || made[del.Deleted[0]] != "a" {
		t.Fatalf("delete label a, demo: %+v", del)
	}
	env.Do(t, "DELETE", control(env, "?label=team=a"), nil, nil).Decode(t, 200, &del)
	if del.Count != 1 {
		t.Fatalf("delete label a: %+v", del)
	}
	env.Clock.Advance(time.Second)
	before := env.Clock.Now().UTC().Format(time.RFC3339Nano)
	env.Do(t, "DELETE", control(env, "?created_before="+before), nil, nil).Decode(t, 200, &del)
	if del.Count != 2 { // long and team b; never the default namespace
		t.Fatalf("delete created before: %+v", del)
	}
	env.Do(t, "GET", control(env, "/default"), nil, nil).Decode(t, 200, nil)

	for _, tt := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"DELETE", "", nil, 400},
		{"DELETE", "?label=nolabel", nil, 400},
		{"DELETE", "?created_before=yesterday", nil, 400},
		{"POST", "", map[string]any{"ttl": "soon"}, 400},
		{"POST", "", map[string]any{"ttl": "-5m"}, 400},
		{"POST", "", map[string]any{"ttl": "10000h"}, 400},
		{"POST", "", map[string]any{"labels": map[string]string{"bad key": "x"}}, 400},
		{"POST", "", map[string]any{"labels": map[string]int{"k": 1}}, 400},
		{"POST", "", map[string]any{"labels": map[string]string{"k": strings.Repeat("v", 300)}}, 400},
		{"GET", "?cursor=nope", nil, 400},
		{"GET", "?label=a", nil, 400},
	} {
		if res := env.Do(t, tt.method, control(env, tt.path), tt.body, nil); res.StatusCode != tt.status {
			t.Errorf("%s %s %v: %d %s, want %d", tt.method, tt.path, tt.body, res.StatusCode, res.Body, tt.status)
		}
	}
}

func TestListPaging(t *testing.T) {
	env := testenv.Start(t, registry.All)
	want := []string{"default"}
	for i := range 5 {
		var n testenv.Namespace
		env.Do(t, "POST", control(env, ""), map[string]any{"id": fmt.Sprintf("p%d", i),
			"labels": map[string]string{"batch": fmt.Sprint(i % 2)}}, nil).Decode(t, 201, &n)
		want = append(want, n.ID)
	}
	var got []string
	cursor := ""
	for range 10 {
		var l listed
		env.Do(t, "GET", control(env, "?limit=2&cursor="+cursor), nil, nil).Decode(t, 200, &l)
		if l.Total != 6 {
			t.Fatalf("total %d", l.Total)
		}
		for _, n := range l.Namespaces {
			got = append(got, n.ID)
		}
		if cursor = l.NextCursor; cursor == "" {
			break
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("paged %v, want %v", got, want)
	}
	var l listed
	env.Do(t, "GET", control(env, "?label=batch=1"), nil, nil).Decode(t, 200, &l)
	if l.Total != 2 || len(l.Namespaces) != 2 || l.Namespaces[0].ID != "p1" || l.Namespaces[0].Labels["batch"] != "1" {
		b, _ := json.Marshal(l)
		t.Fatalf("label filter: %s", b)
	}
	env.Do(t, "GET", control(env, "?limit=2&offset=4"), nil, nil).Decode(t, 200, &l)
	if len(l.Namespaces) != 2 || l.Namespaces[0].ID != "p3" || l.NextCursor != "" {
		t.Fatalf("offset page: %+v", l)
	}
}
