// Package auth holds the credential primitives that every vendor uses:
// password hashing, constant-time comparison, Bearer parsing.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// MaxPasswordBytes is the longest password bcrypt hashes. Callers refuse a
// longer one as bad input (a 4xx) before hashing it.
const MaxPasswordBytes = 72

// HashPassword hashes a password with bcrypt.
func HashPassword(pw string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(b), err
}

var seedHashes sync.Map // password -> hash

// SeedHash hashes a fixed password that seeds and fixtures set. Seeding a
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

// secretPrefix marks a HashSecret hash, so CheckPassword tells it from bcrypt.
const secretPrefix = "$standin-sha256$"

// HashSecret hashes a high-entropy secret that standin generated itself,
// such as a namespace's derived password, with salted SHA-256. bcrypt's work
// factor protects guessable human passwords; against 80 or more random bits
// it adds nothing, and it would cost every namespace creation milliseconds
// of CPU per vendor.
func HashSecret(secret string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	return secretPrefix + hex.EncodeToString(salt) + "$" + saltedSum(salt, secret), nil
}

func saltedSum(salt []byte, secret string) string {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(secret))
	return hex.EncodeToString(h.Sum(nil))
}

// CheckPassword tells whether pw matches hash, made by HashPassword,
// SeedHash or HashSecret.
func CheckPassword(hash, pw string) bool {
	if rest, ok := strings.CutPrefix(hash, secretPrefix); ok {
		saltHex, sum, found := strings.Cut(rest, "$")
		salt, err := hex.DecodeString(saltHex)
		return found && err == nil && Equal(sum, saltedSum(salt, pw))
	}
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
