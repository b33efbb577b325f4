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

// UUIDFromHex shapes the first 32 hex digits of h (a derived credential, a
// hash) as a version-4 UUID, so that ids derived deterministically look like
// the random ones. It panics on fewer than 32 hex digits: callers pass
// values they made.
func UUIDFromHex(h string) string {
	b, err := hex.DecodeString(h[:32])
	if err != nil {
		panic("ids: UUIDFromHex needs 32 hex digits")
	}
	var u uuid.UUID
	copy(u[:], b)
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u.String()
}
