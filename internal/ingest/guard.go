package ingest

import (
	"sync"
	"time"
)

// guard bans an IP address after repeated failed logins and bounds the
// connections one address may hold. It lives in memory: each ingest node
// defends itself, as recorders stay on one node for a connection.
type guard struct {
	mu       sync.Mutex
	failures map[string]*strike
	conns    map[string]int
	after    int
	banFor   time.Duration
	maxConns int
}

type strike struct {
	n           int
	last        time.Time
	bannedUntil time.Time
}

func newGuard(after int, banFor time.Duration, maxConns int) *guard {
	return &guard{failures: map[string]*strike{}, conns: map[string]int{}, after: after, banFor: banFor, maxConns: maxConns}
}

// banned tells how long ip stays banned (0: not banned).
func (g *guard) banned(ip string, now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	if s := g.failures[ip]; s != nil && now.Before(s.bannedUntil) {
		return s.bannedUntil.Sub(now)
	}
	return 0
}

// fail counts a failed login; the after-th failure in a row bans the IP.
func (g *guard) fail(ip string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.failures[ip]
	if s == nil || now.Sub(s.last) > g.banFor {
		s = &strike{}
		g.failures[ip] = s
	}
	s.n++
	s.last = now
	if s.n >= g.after {
		s.bannedUntil = now.Add(g.banFor)
		s.n = 0
	}
	if len(g.failures) > 100_000 {
		g.forget(now)
	}
}

// succeed forgets an IP's failures.
func (g *guard) succeed(ip string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if s := g.failures[ip]; s != nil && s.bannedUntil.IsZero() {
		delete(g.failures, ip)
	}
}

// forget drops stale entries so a scan of many addresses can't grow memory
// without bound.
func (g *guard) forget(now time.Time) {
	for ip, s := range g.failures {
		if now.Sub(s.last) > g.banFor && now.After(s.bannedUntil) {
			delete(g.failures, ip)
		}
	}
}

// connect takes a connection slot for ip; false when it holds too many.
func (g *guard) connect(ip string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.maxConns > 0 && g.conns[ip] >= g.maxConns {
		return false
	}
	g.conns[ip]++
	return true
}

// disconnect gives a slot back.
func (g *guard) disconnect(ip string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.conns[ip]--; g.conns[ip] <= 0 {
		delete(g.conns, ip)
	}
}
