// Package auth holds people's and machines' credentials: argon2id password
// hashes, the password policy, session and API tokens, set-password links and
// login throttling.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/cam2drive/cam2drive"
)

// Argon2Params are the argon2id cost settings. The defaults (19 MiB, 2 passes,
// one lane) follow OWASP's recommendation and cost a few tens of ms of CPU.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultArgon2 is the production cost.
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// HashPassword returns an encoded argon2id hash ("$argon2id$v=19$m=…,t=…,p=…$salt$hash").
func HashPassword(password string, p Argon2Params) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// VerifyPassword tells whether password matches the encoded hash, in constant time.
func VerifyPassword(password, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// MinPasswordLength is the policy's minimum length, in characters.
const MinPasswordLength = 10

//go:embed common-passwords.txt
var commonPasswordList string

// Policy checks new passwords: at least MinPasswordLength characters, not
// the account's e-mail (or its local part), not a very common password.
type Policy struct {
	common map[string]bool
}

// NewPolicy loads the list of common passwords.
func NewPolicy() *Policy {
	p := &Policy{common: map[string]bool{}}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			p.common[strings.ToLower(line)] = true
		}
	}
	return p
}

// Check returns nil or an invalid error on field, with the rule's message key.
func (p *Policy) Check(field, password, email string) error {
	key := p.violation(password, email)
	if key == "" {
		return nil
	}
	return cam2drive.Invalid(map[string]string{field: key})
}

func (p *Policy) violation(password, email string) string {
	lower := strings.ToLower(password)
	email = strings.ToLower(strings.TrimSpace(email))
	local, _, _ := strings.Cut(email, "@")
	switch {
	case len([]rune(password)) < MinPasswordLength:
		return "password_too_short"
	case len(password) > 1024:
		return "password_too_long"
	case email != "" && (lower == email || (len(local) >= 4 && strings.Contains(lower, local))):
		return "password_is_email"
	case p.common[lower] || repetitive(lower):
		return "password_too_common"
	}
	return ""
}

// repetitive spots one repeated character or a straight run such as
// "1234567890" or "abcdefghij", which no list needs to hold.
func repetitive(s string) bool {
	if len(s) < 2 {
		return true
	}
	same, up, down := true, true, true
	for i := 1; i < len(s); i++ {
		d := int(s[i]) - int(s[i-1])
		same = same && d == 0
		up = up && d == 1
		down = down && d == -1
	}
	return same || up || down
}
