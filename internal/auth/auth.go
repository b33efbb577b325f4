// Package auth holds the credential primitives that every vendor uses:
// password hashing, constant-time comparison, HTTP Basic and Bearer parsing.
package auth

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// HashPassword hashes a password with bcrypt.
func HashPassword(pw string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(b), err
}

var seedHashes sync.Map // password -> hash

// SeedHash hashes a password that seeds and fixtures set. Seeding a
// namespace must take milliseconds, and bcrypt takes tens of them, so the
// hash of each distinct seed password is computed once per process and
// reused (a bcrypt hash carries its own salt, so reuse is still valid).
func SeedHash(pw string) (string, error) {
	if h, ok := seedHashes.Load(pw); ok {
		return h.(string), nil
	}
	h, err := HashPassword(pw)
	if err != nil {
		return "", err
	}
	seedHashes.Store(pw, h)
	return h, nil
}

// HashSecret hashes a high-entropy secret that standin generated itself,
// such as a namespace's derived password, with bcrypt's minimum cost. The
// work factor protects guessable human passwords; against 80 or more random
// bits it adds nothing, and the default cost would make every namespace
// creation take tens of milliseconds.
func HashSecret(secret string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(secret), bcrypt.MinCost)
	return string(b), err
}

// CheckPassword tells whether pw matches hash.
func CheckPassword(hash, pw string) bool {
	if hash == "" {
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// Equal compares two secrets in constant time.
func Equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// Bearer returns the token of an "Authorization: Bearer …" header, or "".
func Bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
