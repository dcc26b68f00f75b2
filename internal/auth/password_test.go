package auth

import (
	"encoding/hex"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
)

// cheap keeps tests fast; the production cost is checked separately.
var cheap = Argon2Params{Memory: 64, Time: 1, Threads: 1}

func TestHashAndVerify(t *testing.T) {
	const pw = "correct horse battery staple"
	hash := HashPassword(pw, cheap)

	format := regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !format.MatchString(hash) {
		t.Errorf("hash %q is not a PHC argon2id string with a 16-byte salt and 32-byte key", hash)
	}
	if strings.Contains(hash, pw) {
		t.Error("hash holds the password")
	}
	if !VerifyPassword(pw, hash) {
		t.Error("the right password does not verify")
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple", pw + " "} {
		if VerifyPassword(wrong, hash) {
			t.Errorf("wrong password %q verifies", wrong)
		}
	}
	if again := HashPassword(pw, cheap); again == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	} else if !VerifyPassword(pw, again) {
		t.Error("second hash does not verify")
	}

	// Hashes keep their own parameters, so raising the cost later still
	// lets existing users in.
	stronger := HashPassword(pw, Argon2Params{Memory: 128, Time: 2, Threads: 2})
	if !strings.Contains(stronger, "$m=128,t=2,p=2$") || !VerifyPassword(pw, stronger) {
		t.Errorf("hash with other parameters %q does not verify", stronger)
	}
}

func TestVerifyRejectsDamagedHashes(t *testing.T) {
	const pw = "correct horse battery staple"
	good := HashPassword(pw, cheap)
	parts := strings.Split(good, "$")
	join := func(p ...string) string { return strings.Join(p, "$") }
	for _, c := range []struct{ name, hash string }{
		{"empty", ""},
		{"argon2i", join(parts[0], "argon2i", parts[2], parts[3], parts[4], parts[5])},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuuJ8pGsyPz9Sx6N1bLlw4cRrJ8zXv3X0K"},
		{"missing key", join(parts[:5]...)},
		{"empty key", join(parts[0], parts[1], parts[2], parts[3], parts[4], "")},
		{"bad parameters", join(parts[0], parts[1], parts[2], "m=x,t=1,p=1", parts[4], parts[5])},
		{"bad salt", join(parts[0], parts[1], parts[2], parts[3], "!!!", parts[5])},
		{"bad key", join(parts[0], parts[1], parts[2], parts[3], parts[4], "!!!")},
		{"other salt", join(parts[0], parts[1], parts[2], parts[3], "AAAAAAAAAAAAAAAAAAAAAA", parts[5])},
		{"plain text", pw},
	} {
		if VerifyPassword(pw, c.hash) {
			t.Errorf("%s: %q verifies", c.name, c.hash)
		}
	}
}

// OWASP's argon2id minimum is 19 MiB of memory with 2 iterations and one lane
// (Password Storage Cheat Sheet). Cheaper defaults would make a stolen
// database easy to crack.
func TestDefaultArgon2MeetsOWASP(t *testing.T) {
	p := DefaultArgon2
	if p.Memory < 19*1024 || p.Time < 2 || p.Threads < 1 {
		t.Errorf("DefaultArgon2 = %+v, below m=19 MiB, t=2, p=1", p)
	}
}

func TestPolicy(t *testing.T) {
	p := NewPolicy()
	const email = "jean.dupont@example.com"
	for _, c := range []struct {
		name, password, email, want string
	}{
		{"empty", "", email, "password_too_short"},
		{"nine characters", "Xk7#pQ2m9", email, "password_too_short"},
		{"ten characters", "Xk7#pQ2m9z", email, ""},
		{"length counts characters, not bytes", "éàçùêâîôûë", "", ""},
		{"nine accented characters", "éàçùêâîôû", "", "password_too_short"},
		{"too long", strings.Repeat("Xk7#pQ2m9z", 103), email, "password_too_long"},
		{"the e-mail", email, email, "password_is_email"},
		{"the e-mail in capitals", "JEAN.DUPONT@EXAMPLE.COM", email, "password_is_email"},
		{"contains the local part", "xxjean.dupont2024", email, "password_is_email"},
		{"contains the local part, any case", "Jean.Dupont!!", email, "password_is_email"},
		{"short local part may appear", "bobsleigh-4ever!", "bob@example.com", ""},
		{"no e-mail given", "jean.dupont2024", "", ""},
		{"common", "password123", email, "password_too_common"},
		{"common, capitals", "PassWord123", email, "password_too_common"},
		{"common keyboard walk", "qwertyuiop", email, "password_too_common"},
		{"common 1q2w3e", "1Q2W3E4R5T", email, "password_too_common"},
		{"one character repeated", "aaaaaaaaaa", email, "password_too_common"},
		{"digits in a row", "1234567890", email, "password_too_common"},
		{"letters in a row", "abcdefghij", email, "password_too_common"},
		{"letters backwards", "JIHGFEDCBA", email, "password_too_common"},
		{"long random", "v9-Kq2!mZr#4Lw8^Tx", email, ""},
		{"passphrase", "correct horse battery staple", email, ""},
	} {
		err := p.Check("new_password", c.password, c.email)
		got := ""
		if err != nil {
			var e *cam2drive.Error
			if !errors.As(err, &e) || e.Code != cam2drive.CodeInvalid || e.Fields["new_password"] == "" {
				t.Errorf("%s: error %v is not an invalid error on new_password", c.name, err)
				continue
			}
			got = e.Fields["new_password"]
		}
		if got != c.want {
			t.Errorf("%s: %q → %q, want %q", c.name, c.password, got, c.want)
		}
	}
}

// Every entry of the embedded list is refused, whatever its case.
func TestPolicyCommonList(t *testing.T) {
	p := NewPolicy()
	if len(p.common) < 50 {
		t.Fatalf("only %d common passwords loaded", len(p.common))
	}
	for pw := range p.common {
		if len([]rune(pw)) < MinPasswordLength {
			continue // refused as too short already
		}
		for _, v := range []string{pw, strings.ToUpper(pw)} {
			if err := p.Check("password", v, ""); err == nil {
				t.Errorf("common password %q accepted", v)
			}
		}
	}
	for pw := range p.common {
		if strings.HasPrefix(pw, "#") {
			t.Errorf("comment line %q loaded as a password", pw)
		}
	}
}

func TestBackoff(t *testing.T) {
	delay := Backoff(5)
	for _, c := range []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {1, 0}, {4, 0},
		{5, time.Second}, {6, 2 * time.Second}, {7, 4 * time.Second}, {8, 8 * time.Second},
		{14, 512 * time.Second}, {15, maxDelay}, {16, maxDelay}, {100, maxDelay}, {1 << 20, maxDelay},
	} {
		if got := delay(c.failures); got != c.want {
			t.Errorf("after %d failures: %v, want %v", c.failures, got, c.want)
		}
	}
	if maxDelay != 15*time.Minute {
		t.Errorf("maxDelay = %v, want 15 min", maxDelay)
	}
	if got := Backoff(20)(19); got != 0 {
		t.Errorf("IP backoff before its threshold: %v", got)
	}
	if got := Backoff(20)(20); got != time.Second {
		t.Errorf("IP backoff at its threshold: %v", got)
	}
}

func TestSecrets(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b || len(a) != 52 {
		t.Errorf("secrets %q, %q: want two different 52-character secrets (256 bits)", a, b)
	}
	if strings.Trim(a, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		t.Errorf("secret %q is not URL-safe base32", a)
	}
	h := HashSecret(a)
	if _, err := hex.DecodeString(h); err != nil || len(h) != 64 || h != HashSecret(a) || h == HashSecret(b) {
		t.Errorf("HashSecret(%q) = %q: want a stable hex SHA-256", a, h)
	}

	token, display := NewAPIToken()
	if !strings.HasPrefix(token, "c2d_") || len(token) != 4+52 {
		t.Errorf("API token %q", token)
	}
	if display != token[:10] || strings.Contains(display, token[10:]) {
		t.Errorf("display %q of %q should show only the prefix and 6 characters", display, token)
	}
}
