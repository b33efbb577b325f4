// Package migrations holds the schema of namespace lifecycle features:
// snapshots, forks (rotated keys), labels and expiry.
package migrations

import "embed"

// FS holds the goose migrations of the lifecycle tables.
//
//go:embed *.sql
var FS embed.FS
