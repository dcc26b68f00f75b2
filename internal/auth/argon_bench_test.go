package auth

import "testing"

// BenchmarkVerifyPassword measures the CPU cost of one login's argon2id
// check with the production parameters (docs/BENCHMARKS.md: 20–100 ms).
func BenchmarkVerifyPassword(b *testing.B) {
	hash := HashPassword("correct horse battery staple", DefaultArgon2)
	b.ResetTimer()
	for b.Loop() {
		if !VerifyPassword("correct horse battery staple", hash) {
			b.Fatal("verify failed")
		}
	}
}
