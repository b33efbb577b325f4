package auth

import "strings"

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
