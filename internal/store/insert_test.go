package store

import "testing"

func TestInsertSQL(t *testing.T) {
	tests := []struct {
		table   string
		columns []string
		want    string
	}{
		{"t", []string{"a"}, "INSERT INTO t (a) VALUES ($1)"},
		{"t", []string{"ns", "id", "name"}, "INSERT INTO t (ns, id, name) VALUES ($1, $2, $3)"},
	}
	for _, tt := range tests {
		if got := InsertSQL(tt.table, tt.columns...); got != tt.want {
			t.Errorf("InsertSQL(%q, %q) = %q, want %q", tt.table, tt.columns, got, tt.want)
		}
	}
	if got := Placeholders(4, 3); got != "$4, $5, $6" {
		t.Errorf("Placeholders(4, 3) = %q", got)
	}
	if got := Placeholders(1, 0); got != "" {
		t.Errorf("Placeholders(1, 0) = %q", got)
	}
}
