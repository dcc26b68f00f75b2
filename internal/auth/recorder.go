package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
)

// RecorderSecrets protects recorders' FTP/SFTP passwords with the server
// key: encrypted (AES-256-GCM) so the wizard can show them again, and keyed
// hashed (HMAC-SHA256) so a login is checked in microseconds. Recorder
// passwords are generated high-entropy secrets, so a slow KDF adds nothing
// but connection cost — recorders often log in for every file.
type RecorderSecrets struct {
	aead cipher.AEAD
	mac  []byte
}

// NewRecorderSecrets derives the encryption and hashing keys from a 32-byte
// server key.
func NewRecorderSecrets(serverKey []byte) (*RecorderSecrets, error) {
	if len(serverKey) < 32 {
		return nil, errors.New("server key must be at least 32 bytes")
	}
	encKey := derive(serverKey, "recorder-password-encryption")
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &RecorderSecrets{aead: aead, mac: derive(serverKey, "recorder-password-mac")}, nil
}

func derive(key []byte, purpose string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(purpose))
	return h.Sum(nil)
}

// Encrypt seals a password for storage.
func (s *RecorderSecrets) Encrypt(password string) string {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	return base64.RawStdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(password), nil))
}

// Decrypt opens a stored password.
func (s *RecorderSecrets) Decrypt(sealed string) (string, error) {
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", fmt.Errorf("recorder password: malformed")
	}
	plain, err := s.aead.Open(nil, raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():], nil)
	if err != nil {
		return "", fmt.Errorf("recorder password: %w (was the server key changed?)", err)
	}
	return string(plain), nil
}

// MAC is the keyed hash stored to check logins.
func (s *RecorderSecrets) MAC(password string) string {
	h := hmac.New(sha256.New, s.mac)
	h.Write([]byte(password))
	return hex.EncodeToString(h.Sum(nil))
}

// Verify compares a password with a stored MAC in constant time.
func (s *RecorderSecrets) Verify(password, mac string) bool {
	return mac != "" && subtle.ConstantTimeCompare([]byte(s.MAC(password)), []byte(mac)) == 1
}

const credentialAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewCredential returns n random characters that read unambiguously (no 0/O,
// 1/l/I) and that every recorder's web form accepts (letters and digits).
func NewCredential(n int) string {
	out := make([]byte, n)
	buf := make([]byte, n*2)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			panic(err)
		}
		for _, b := range buf {
			// Reject bytes past the largest multiple of the alphabet size: no modulo bias.
			if i < n && int(b) < 256-256%len(credentialAlphabet) {
				out[i] = credentialAlphabet[int(b)%len(credentialAlphabet)]
				i++
			}
		}
	}
	return string(out)
}
