// Package ids makes identifiers and secrets in each vendor's style. Integer
// ids that count per namespace come from store.NextID instead.
package ids

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/google/uuid"
)

// Hex returns n random bytes as lowercase hex (2n characters).
func Hex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// Hex32 returns a 32-character lowercase hex id, as Klipfolio uses.
func Hex32() string { return Hex(16) }

// UUID returns a random (version 4) UUID string, as WorkDrive and Clinked
// tokens use.
func UUID() string { return uuid.NewString() }

// Token returns an opaque random secret of 2n hex characters.
func Token(n int) string { return Hex(n) }
