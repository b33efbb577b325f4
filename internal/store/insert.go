package store

import (
	"strconv"
	"strings"
)

// Placeholders returns n placeholders starting at $from: "$1, $2, $3".
func Placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(from + i))
	}
	return b.String()
}

// InsertSQL returns "INSERT INTO table (c1, c2, …) VALUES ($1, $2, …)",
// one placeholder per column, so that a wide insert's column list and its
// placeholders cannot drift apart. Callers pass the values in column order
// and may append a clause such as ON CONFLICT.
func InsertSQL(table string, columns ...string) string {
	return "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES (" +
		Placeholders(1, len(columns)) + ")"
}
