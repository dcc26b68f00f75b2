package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/riverqueue/river"

	"github.com/cam2drive/cam2drive/internal/analysis"
	"github.com/cam2drive/cam2drive/internal/auth"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/clip"
	"github.com/cam2drive/cam2drive/internal/config"
	"github.com/cam2drive/cam2drive/internal/detect"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/jobs"
	"github.com/cam2drive/cam2drive/internal/mail"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/notify"
	"github.com/cam2drive/cam2drive/internal/pipeline"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/tenancy"
	"github.com/cam2drive/cam2drive/internal/vlm"
)

// app is everything built from the configuration: the one place where the
// parts are wired together.
type app struct {
	cfg      config.Config
	log      *slog.Logger
	db       *store.DB
	queue    *jobs.Queue
	auth     *auth.Service
	tenancy  *tenancy.Service
	registry *prometheus.Registry
	blobs    blob.Store
	tools    media.Tools
	ingest   *ingest.Service
	detector detect.Detector      // nil outside the worker role or when AI is unavailable
	poses    detect.PoseEstimator // HOLO4's; nil outside the worker role or when not installed
	faces    detect.FaceReader    // HOLO4's; nil outside the worker role or when not installed
	clip     *clip.Model          // open-vocabulary embeddings; nil unless configured (worker role)
	vlm      *vlm.Client          // vision-language model; nil unless configured (worker role)
	sftpKeys []string             // fingerprints of this node's SFTP host keys, once its server runs
	mediaKey []byte               // the server key, from which the API derives its media URL signing key
}

func newLogger(cfg config.Config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(cfg.LogFormat, "json") {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// build opens the database, runs the migrations and wires the services.
// work says whether this process works jobs (the worker role).
func build(ctx context.Context, cfg config.Config, log *slog.Logger, work bool) (*app, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, db: db, registry: prometheus.NewRegistry()}
	if err := a.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if err := a.wire(ctx, work); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) migrate(ctx context.Context) error {
	if err := a.db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return jobs.Migrate(ctx, a.db)
}

func (a *app) wire(ctx context.Context, work bool) error {
	sender, err := a.mailSender()
	if err != nil {
		return err
	}
	// The queue is built before the workers that need the storage, which the
	// ingest service (needing the queue) opens: the workers get it through a.
	workers := river.NewWorkers()
	a.queue, err = jobs.New(a.db, workers, jobs.Config{Work: work, MaxWorkers: a.cfg.Workers, Periodic: periodicJobs(), Logger: a.log,
		Queues: map[string]int{analysis.Queue: analysisWorkers}})
	if err != nil {
		return err
	}
	if err := a.wireIngest(ctx); err != nil {
		return err
	}
	if a.mediaKey, err = serverKey(a.cfg); err != nil {
		return err
	}
	river.AddWorker(workers, &notify.MailWorker{DB: a.db, Sender: sender, Log: a.log})
	river.AddWorker(workers, &cleanupWorker{db: a.db})
	river.AddWorker(workers, &pipeline.ProcessWorker{DB: a.db, Blobs: a.blobs, Tools: a.tools, TempDir: filepath.Join(a.cfg.DataDir, "spool"),
		TranscodeHEVC: a.cfg.TranscodeHEVC, Analysis: a.queue, Metrics: pipeline.NewMetrics(a.registry), Log: a.log})
	river.AddWorker(workers, a.analysisWorker(work))
	if work {
		if err := a.openEngines(ctx); err != nil {
			return err
		}
	}
	river.AddWorker(workers, &pipeline.RetentionWorker{DB: a.db, Blobs: a.blobs, Log: a.log})
	notifier := notify.New(mail.NewTemplates("Cam2Drive", a.cfg.BaseURL()), a.queue, a.cfg.BaseURL())
	a.auth = auth.NewService(a.db, auth.DefaultArgon2, notifier, a.log, max(1, runtime.NumCPU()))
	a.tenancy = tenancy.New(a.db, a.auth, notifier)
	return nil
}

// analysisWorkers is how many recordings one node analyses at once: one
// job already keeps the detector's threads (--ai-threads) and ffmpeg busy.
const analysisWorkers = 1

// analysisWorker analyses ready recordings of cameras with AI. The
// detector is loaded in the worker role only; when the runtime or the model
// is missing the worker finds motion alone and says why once.
func (a *app) analysisWorker(work bool) *analysis.Worker {
	// One decoding thread: ffmpeg's own threads cost ≈ 1.5 ms more CPU per
	// 1080p frame, and the cores are shared with the pipeline's jobs.
	w := &analysis.Worker{DB: a.db, Blobs: a.blobs, Tools: a.tools, Pace: &analysis.Pace{Workers: analysisWorkers},
		Threads: 1, TempDir: filepath.Join(a.cfg.DataDir, "spool"), Log: a.log, Metrics: analysis.NewMetrics(a.registry)}
	if !work {
		return w
	}
	a.openHOLO4Models(w)
	det, err := detect.Open(a.detectConfig())
	if err != nil {
		w.Unavailable = err
		return w
	}
	a.detector, w.Detector = det, det
	return w
}

// detectConfig is where the analysis worker's models are loaded from.
func (a *app) detectConfig() detect.Config {
	return detect.Config{ModelsDir: a.cfg.ModelsDir, Library: a.cfg.ORTLibrary, Threads: a.cfg.AIThreads, Sessions: analysisWorkers}
}

func periodicJobs() []*river.PeriodicJob {
	every := func(d time.Duration, args river.JobArgs) *river.PeriodicJob {
		return river.NewPeriodicJob(river.PeriodicInterval(d),
			func() (river.JobArgs, *river.InsertOpts) { return args, nil }, &river.PeriodicJobOpts{RunOnStart: true})
	}
	return []*river.PeriodicJob{every(time.Hour, cleanupArgs{}), every(10*time.Minute, pipeline.RetentionArgs{})}
}

func (a *app) mailSender() (mail.Sender, error) {
	if a.cfg.SMTPURL == "" {
		return mail.LogSender{Logger: a.log}, nil
	}
	s, err := mail.NewSMTP(a.cfg.SMTPURL, a.log)
	if err != nil {
		return nil, fmt.Errorf("--smtp-url: %w", err)
	}
	return s, nil
}

func (a *app) close() {
	if a.detector != nil {
		a.detector.Close()
	}
	a.closeHOLO4Models()
	if a.clip != nil {
		a.clip.Close()
	}
	a.tools.AV.Close()
	a.db.Close()
}

// cleanupArgs is the hourly job that forgets expired sessions and links.
type cleanupArgs struct{}

func (cleanupArgs) Kind() string { return "cleanup_expired" }

type cleanupWorker struct {
	river.WorkerDefaults[cleanupArgs]
	db *store.DB
}

func (w *cleanupWorker) Work(ctx context.Context, _ *river.Job[cleanupArgs]) error {
	return w.db.DeleteExpired(ctx, time.Now())
}
