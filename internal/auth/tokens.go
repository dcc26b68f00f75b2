package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
)

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewSecret returns a random URL-safe secret with 256 bits of entropy.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return tokenEncoding.EncodeToString(b)
}

// HashSecret is how secrets are stored: high-entropy tokens need no slow KDF,
// only a one-way hash so a database leak reveals no usable token.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// APITokenPrefix starts every personal API token, so leaked tokens are easy to
// recognise (and to scan for).
const APITokenPrefix = "c2d_"

// NewAPIToken returns a new personal API token and the prefix shown in lists.
func NewAPIToken() (token, display string) {
	token = APITokenPrefix + NewSecret()
	return token, token[:len(APITokenPrefix)+6]
}
