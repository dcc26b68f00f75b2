// Package ingest receives recorders' uploads whatever the protocol: it
// authenticates the recorder, applies the policy (cloud recording on, a
// virtual disk, a known path), spools the bytes, checks they are complete,
// stores them durably, and indexes them with their processing job in one
// transaction — only then is the upload acknowledged.
package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/auth"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/jobs"
	"github.com/cam2drive/cam2drive/internal/store"
)

// Prober checks that a video file is a complete, readable container.
type Prober interface {
	Check(ctx context.Context, path string) error
}

// Config tunes the service.
type Config struct {
	SpoolDir   string        // local directory for bytes in flight (resume needs them)
	BanAfter   int           // failed logins from one IP before it is banned
	BanFor     time.Duration // how long a ban lasts
	MaxConns   int           // connections one IP may hold
	ResumeFor  time.Duration // how long a partial upload waits for a resume
	ProbeVideo bool          // probe clips with the Prober before indexing
	// TempAge: interrupted writes of the storage older than this are removed
	// at start. 0 suits a local directory only this process writes; shared
	// object storage needs the longest upload time of the other nodes.
	TempAge time.Duration
}

// Service is the protocol-neutral ingest.
type Service struct {
	db      *store.DB
	blobs   blob.Store
	queue   *jobs.Queue
	secrets *auth.RecorderSecrets
	prober  Prober
	log     *slog.Logger
	cfg     Config
	guard   *guard
	now     func() time.Time

	mu       sync.Mutex
	inFlight map[string]bool // spool files being written: one writer per path, under mu

	logins map[string]time.Time      // recorder → last login written, under mu
	zones  map[string]*time.Location // time zones loaded, under mu

	indexQ indexQueue // uploads waiting to be indexed (group commit)

	workers chan struct{} // slots for hashing and writing received bytes
}

// work takes a slot to hash and write received bytes, and returns its
// release. There are as many slots as processors: dozens of uploads busy
// on the CPU at once would keep everything else waiting for a turn — the
// commit that all of them wait for, and the replies of the others.
func (s *Service) work() (release func()) {
	s.workers <- struct{}{}
	return func() { <-s.workers }
}

// loginEvery is how often a recorder's last login is written at most: most
// recorders open a connection per file, and a write per connection would
// queue every login behind the database's writer.
const loginEvery = 30 * time.Second

// location loads a site's time zone once (UTC when unknown): loading it
// reads and parses a file, on every login of recorders that connect for
// each file.
func (s *Service) location(name string) *time.Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	if loc, ok := s.zones[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.UTC
	}
	s.zones[name] = loc
	return loc
}

// loginDue tells whether a login of recorderID at now is to be written.
func (s *Service) loginDue(recorderID string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if last, ok := s.logins[recorderID]; ok && now.Sub(last) < loginEvery && !now.Before(last) {
		return false
	}
	if len(s.logins) > 100_000 {
		clear(s.logins) // bounded memory; the next logins are written again
	}
	s.logins[recorderID] = now
	return true
}

// claim reserves a spool file for one upload; false when another upload of
// the same path (a recorder retrying on a second connection) is running.
func (s *Service) claim(spool string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inFlight[spool] {
		return false
	}
	s.inFlight[spool] = true
	return true
}

func (s *Service) release(spool string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.inFlight, spool)
}

// New builds the service and makes its spool directory.
func New(db *store.DB, blobs blob.Store, queue *jobs.Queue, secrets *auth.RecorderSecrets, prober Prober, log *slog.Logger, cfg Config) (*Service, error) {
	if cfg.BanAfter == 0 {
		cfg.BanAfter = 10
	}
	if cfg.BanFor == 0 {
		cfg.BanFor = 15 * time.Minute
	}
	if cfg.ResumeFor == 0 {
		cfg.ResumeFor = time.Hour
	}
	if err := os.MkdirAll(cfg.SpoolDir, 0o750); err != nil {
		return nil, fmt.Errorf("spool dir: %w", err)
	}
	return &Service{db: db, blobs: blobs, queue: queue, secrets: secrets, prober: prober, log: log, cfg: cfg,
		guard: newGuard(cfg.BanAfter, cfg.BanFor, cfg.MaxConns), now: time.Now, inFlight: map[string]bool{},
		logins: map[string]time.Time{}, zones: map[string]*time.Location{}, indexQ: newIndexQueue(), workers: make(chan struct{}, runtime.GOMAXPROCS(0))}, nil
}

// Connect takes a connection slot for ip; refused past the per-IP limit or
// while the IP is banned.
func (s *Service) Connect(ip string) error {
	if wait := s.guard.banned(ip, s.now()); wait > 0 {
		return &cam2drive.Error{Code: cam2drive.CodeThrottled, Key: "banned", Retry: wait}
	}
	if !s.guard.connect(ip) {
		return cam2drive.Errorf(cam2drive.CodeThrottled, "too_many_connections")
	}
	return nil
}

// Disconnect gives the slot back.
func (s *Service) Disconnect(ip string) { s.guard.disconnect(ip) }

// Login checks a recorder's credentials and opens a session.
func (s *Service) Login(ctx context.Context, username, password, ip string) (*Session, error) {
	now := s.now()
	if wait := s.guard.banned(ip, now); wait > 0 {
		return nil, &cam2drive.Error{Code: cam2drive.CodeThrottled, Key: "banned", Retry: wait}
	}
	rec, err := s.db.RecorderByUsername(ctx, username)
	if err != nil && !cam2drive.IsNotFound(err) {
		return nil, err
	}
	if err != nil || !s.secrets.Verify(password, rec.SecretMAC) {
		s.guard.fail(ip, now)
		if rec.ID != "" {
			s.problem(ctx, rec.ID, "login_failed", "recorder_login_failed", "", ip)
		}
		return nil, cam2drive.Errorf(cam2drive.CodeInvalidCredentials, "invalid_credentials")
	}
	s.guard.succeed(ip)
	site, err := s.db.Site(ctx, rec.OrgID, rec.SiteID)
	if err != nil {
		return nil, fmt.Errorf("recorder site: %w", err)
	}
	loc := s.location(site.Timezone)
	if s.loginDue(rec.ID, now) {
		if err := s.db.RecordLogin(ctx, rec.ID, now); err != nil {
			s.log.Warn("record recorder login", "recorder_id", rec.ID, "err", err)
		}
	}
	return &Session{svc: s, rec: rec, loc: loc, ip: ip, pending: map[string]string{}}, nil
}

// problem counts a failed login or refused upload in the recorder's health.
func (s *Service) problem(ctx context.Context, recorderID, kind, reason, path, ip string) {
	err := s.db.RecordProblem(context.WithoutCancel(ctx), recorderID,
		cam2drive.RecorderEvent{Kind: kind, Reason: reason, Path: path, IP: ip, CreatedAt: s.now()})
	if err != nil {
		s.log.Warn("record recorder problem", "recorder_id", recorderID, "err", err)
	}
}

// Run cleans this node's spool every hour until ctx ends: partial uploads
// nobody resumed within the resume window are dropped.
func (s *Service) Run(ctx context.Context) error {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if err := s.cleanSpool(); err != nil {
				s.log.Warn("clean spool", "err", err)
			}
		}
	}
}

// CleanLeftovers removes spooled bytes older than the resume window and the
// storage's temporary leftovers; run at start.
func (s *Service) CleanLeftovers(ctx context.Context) error {
	if err := s.cleanSpool(); err != nil {
		return fmt.Errorf("clean spool: %w", err)
	}
	n, err := s.blobs.CleanTemp(ctx, s.cfg.TempAge)
	if n > 0 {
		s.log.Info("removed interrupted writes", "count", n)
	}
	return err
}

func (s *Service) cleanSpool() error {
	cutoff := s.now().Add(-s.cfg.ResumeFor)
	return filepath.WalkDir(s.cfg.SpoolDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if info, err := d.Info(); err == nil && info.ModTime().Before(cutoff) && !s.busy(path) {
			return os.Remove(path)
		}
		return nil
	})
}

// receiving counts the uploads under way, from their first byte to their
// reply.
func (s *Service) receiving() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.inFlight)
}

func (s *Service) busy(spool string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inFlight[spool]
}

// ProcessArgs is the job that processes a new recording (probe, playable
// copy, thumbnails). It is queued in the indexing transaction.
type ProcessArgs struct {
	RecordingID string `json:"recording_id"`
	OrgID       string `json:"org_id"`
}

// Kind names the job for River.
func (ProcessArgs) Kind() string { return "process_recording" }
