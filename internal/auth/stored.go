package auth

import (
	"errors"
	"strings"
)

// ErrFixtureHash is FixtureHash's answer to a password_hash that is not a
// stored hash or that comes with a password.
var ErrFixtureHash = errors.New("password_hash must be a stored hash, without password")

// FixtureHash is the hash that a seed document's user stores: password's
// seed hash, or password_hash as it stands ("" for neither). Every vendor's
// loader reads the two fields alike.
func FixtureHash(password, passwordHash string) (string, error) {
	hash := ""
	if password != "" {
		var err error
		if hash, err = SeedHash(password); err != nil {
			return "", err
		}
	}
	if passwordHash != "" {
		if password != "" || !IsStoredHash(passwordHash) {
			return "", ErrFixtureHash
		}
		hash = passwordHash
	}
	return hash, nil
}

// IsStoredHash tells whether h is a password hash as standin stores it:
// bcrypt (HashPassword, SeedHash) or salted SHA-256 (HashSecret). Seed
// documents written by an export carry such hashes (password_hash), and a
// loader refuses anything else rather than store garbage.
func IsStoredHash(h string) bool {
	if rest, ok := strings.CutPrefix(h, secretPrefix); ok {
		salt, sum, found := strings.Cut(rest, "$")
		return found && len(salt) == 32 && len(sum) == 64 && isHex(salt) && isHex(sum)
	}
	return len(h) == 60 && (strings.HasPrefix(h, "$2a$") || strings.HasPrefix(h, "$2b$") || strings.HasPrefix(h, "$2y$"))
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
