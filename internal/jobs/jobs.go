// Package jobs wires River, the job queue, on whichever database the store
// uses: riversqlite on SQLite, riverpgxv5 on PostgreSQL. Jobs inserted in a
// store transaction are committed (or rolled back) with it.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/cam2drive/cam2drive/internal/store"
)

// Config says what this process does with the queue.
type Config struct {
	Work       bool // run workers (the "worker" role); otherwise insert only
	MaxWorkers int
	// Queues are worked beside the default one, by name, each with its own
	// number of workers: a slow kind of job (analysis) queued there never
	// holds the slots of the others.
	Queues   map[string]int
	Periodic []*river.PeriodicJob
	Logger   *slog.Logger
}

// Queue inserts and (in the worker role) works jobs.
type Queue struct {
	lite *river.Client[*sql.Tx]
	pg   *river.Client[pgx.Tx]
	work bool
}

// Migrate creates or upgrades River's own tables.
func Migrate(ctx context.Context, db *store.DB) error {
	var err error
	if db.Dialect() == store.Postgres {
		err = migrate[pgx.Tx](ctx, riverpgxv5.New(db.Pool()))
	} else {
		err = migrate[*sql.Tx](ctx, riversqlite.New(db.SQLWriter()))
	}
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	return nil
}

func migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// New builds the queue client. workers may be nil for an insert-only client.
func New(db *store.DB, workers *river.Workers, cfg Config) (*Queue, error) {
	rc := &river.Config{Logger: cfg.Logger, JobTimeout: 10 * time.Minute}
	if cfg.Work {
		if cfg.MaxWorkers < 1 {
			cfg.MaxWorkers = 4
		}
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.MaxWorkers}}
		for name, n := range cfg.Queues {
			rc.Queues[name] = river.QueueConfig{MaxWorkers: max(1, n)}
		}
		rc.Workers = workers
		rc.PeriodicJobs = cfg.Periodic
		rc.FetchPollInterval = 200 * time.Millisecond
	}
	q := &Queue{work: cfg.Work}
	var err error
	if db.Dialect() == store.Postgres {
		q.pg, err = river.NewClient(riverpgxv5.New(db.Pool()), rc)
	} else {
		q.lite, err = river.NewClient(riversqlite.New(db.SQLWriter()), rc)
	}
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return q, nil
}

// InsertTx adds a job inside a store transaction.
func (q *Queue) InsertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	var err error
	if q.pg != nil {
		_, err = q.pg.InsertTx(ctx, tx.PgxTx(), args, opts)
	} else {
		_, err = q.lite.InsertTx(ctx, tx.SQLTx(), args, opts)
	}
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// InsertManyTx adds several jobs inside a store transaction with one
// statement (a batch of uploads indexed together queues its jobs at once).
func (q *Queue) InsertManyTx(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	var err error
	if q.pg != nil {
		_, err = q.pg.InsertManyTx(ctx, tx.PgxTx(), params)
	} else {
		_, err = q.lite.InsertManyTx(ctx, tx.SQLTx(), params)
	}
	if err != nil {
		return fmt.Errorf("enqueue %d jobs: %w", len(params), err)
	}
	return nil
}

// Insert adds a job outside any transaction.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	var err error
	if q.pg != nil {
		_, err = q.pg.Insert(ctx, args, opts)
	} else {
		_, err = q.lite.Insert(ctx, args, opts)
	}
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// Run works jobs until ctx ends, then stops, letting running jobs finish
// for a few seconds. Without the worker role it just waits.
func (q *Queue) Run(ctx context.Context) error {
	if !q.work {
		<-ctx.Done()
		return nil
	}
	if err := q.start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return q.stop(stopCtx)
}

func (q *Queue) start(ctx context.Context) error {
	// River's own context must outlive the request to stop: give it a fresh one.
	runCtx := context.WithoutCancel(ctx)
	if q.pg != nil {
		return q.pg.Start(runCtx)
	}
	return q.lite.Start(runCtx)
}

func (q *Queue) stop(ctx context.Context) error {
	if q.pg != nil {
		return q.pg.Stop(ctx)
	}
	return q.lite.Stop(ctx)
}
