package conformance

import (
	"strings"
	"testing"
)

func TestCompareShape(t *testing.T) {
	tests := []struct {
		name      string
		want, got string
		opt       Options
		problems  []string
	}{
		{"same", `{"a":1,"b":"x"}`, `{"a":2,"b":"y","c":true}`, Options{}, nil},
		{"missing key", `{"a":1,"b":"x"}`, `{"a":2}`, Options{}, []string{"$.b: missing"}},
		{"wrong type", `{"a":1}`, `{"a":"1"}`, Options{}, []string{"$.a: string, want number"}},
		{"nested array", `{"l":[{"id":"x"}]}`, `{"l":[{"id":"y"},{"id":3}]}`, Options{}, []string{"$.l[1].id: number, want string"}},
		{"empty array", `{"l":[1]}`, `{"l":[]}`, Options{}, []string{"$.l: empty array, the example has items"}},
		{"empty array ok", `{"l":[1]}`, `{"l":[]}`, Options{EmptyArrayOK: true}, nil},
		{"null in example", `{"a":null}`, `{"a":{"x":1}}`, Options{}, nil},
		{"null in answer", `{"a":"x"}`, `{"a":null}`, Options{}, []string{"$.a: null, want string"}},
		{"null ok", `{"a":"x"}`, `{"a":null}`, Options{NullOK: true}, nil},
		{"not json", `{}`, `<html>`, Options{}, []string{"response is not JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CompareShape([]byte(tt.want), []byte(tt.got), tt.opt)
			if len(got) != len(tt.problems) {
				t.Fatalf("problems %q, want %q", got, tt.problems)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.problems[i]) {
					t.Errorf("problem %d: %q, want prefix %q", i, got[i], tt.problems[i])
				}
			}
		})
	}
}

func TestLoadCatalogs(t *testing.T) {
	want := map[string]int{"klipfolio": 5, "clinked": 118, "worksection": 11, "workdrive": 75}
	for v, n := range want {
		eps, err := Load(v)
		if err != nil {
			t.Fatal(err)
		}
		if len(eps) != n {
			t.Errorf("%s: %d endpoints, want %d", v, len(eps), n)
		}
	}
}
