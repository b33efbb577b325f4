// Package migrations holds the platform's own schema, embedded in the binary.
package migrations

import "embed"

// FS holds the goose migrations of the platform tables.
//
//go:embed *.sql
var FS embed.FS
