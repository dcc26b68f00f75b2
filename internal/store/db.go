// Package store keeps all of Cam2Drive's metadata in SQLite or PostgreSQL.
// Every query is written once, with "?" placeholders, and runs on both.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/cam2drive/cam2drive"
)

// Dialect names the database engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the metadata database.
type DB struct {
	dialect Dialect
	// SQLite: one writer connection (SQLite takes one writer at a time, and
	// River asks for a single connection) and a pool of readers (WAL lets them
	// run beside the writer).
	writer *sql.DB
	reader *sql.DB
	// PostgreSQL: one pgx pool for everything.
	pool *pgxpool.Pool

	rebound sync.Map // query text → PostgreSQL text with $n placeholders
}

// Open connects to url: empty means a SQLite file "cam2drive.db" in dataDir;
// "postgres://…" or "postgresql://…" means PostgreSQL.
func Open(ctx context.Context, url, dataDir string) (*DB, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return openPostgres(ctx, url)
	}
	path := strings.TrimPrefix(url, "sqlite://")
	if path == "" {
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
		path = filepath.Join(dataDir, "cam2drive.db")
	}
	return openSQLite(ctx, path)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	base := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	writer, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	reader, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("open sqlite reader: %w", err)
	}
	reader.SetMaxOpenConns(8)
	reader.SetMaxIdleConns(8)
	reader.SetConnMaxIdleTime(0)
	return &DB{dialect: SQLite, writer: writer, reader: reader}, nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return &DB{dialect: Postgres, pool: pool}, nil
}

// Dialect tells which engine is behind db.
func (db *DB) Dialect() Dialect { return db.dialect }

// SQLWriter is the SQLite writer pool (nil on PostgreSQL), for River.
func (db *DB) SQLWriter() *sql.DB { return db.writer }

// Pool is the PostgreSQL pool (nil on SQLite), for River.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if db.pool != nil {
		return db.pool.Ping(ctx)
	}
	return db.reader.PingContext(ctx)
}

// Close releases the connections.
func (db *DB) Close() {
	if db.pool != nil {
		db.pool.Close()
		return
	}
	db.reader.Close()
	db.writer.Close()
}

// q is what store methods run queries on: the database or a transaction.
type q interface {
	exec(ctx context.Context, query string, args ...any) (int64, error)
	query(ctx context.Context, query string, args ...any) (rows, error)
	queryRow(ctx context.Context, query string, args ...any) row
}

type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

type row interface{ Scan(dest ...any) error }

// sqlQ runs queries through database/sql (SQLite).
type sqlQ struct {
	db interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}
}

func (s sqlQ) exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

func (s sqlQ) query(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	return sqlRows{r}, nil
}

func (s sqlQ) queryRow(ctx context.Context, query string, args ...any) row {
	return sqlRow{s.db.QueryRowContext(ctx, query, args...)}
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

type sqlRow struct{ *sql.Row }

func (r sqlRow) Scan(dest ...any) error { return mapErr(r.Row.Scan(dest...)) }

// pgQ runs queries through pgx (PostgreSQL), rewriting placeholders.
type pgQ struct {
	db interface {
		Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
		Query(context.Context, string, ...any) (pgx.Rows, error)
		QueryRow(context.Context, string, ...any) pgx.Row
	}
	rebind func(string) string
}

func (p pgQ) exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := p.db.Exec(ctx, p.rebind(query), args...)
	if err != nil {
		return 0, mapErr(err)
	}
	return tag.RowsAffected(), nil
}

func (p pgQ) query(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := p.db.Query(ctx, p.rebind(query), args...)
	if err != nil {
		return nil, mapErr(err)
	}
	return r, nil
}

func (p pgQ) queryRow(ctx context.Context, query string, args ...any) row {
	return pgRow{p.db.QueryRow(ctx, p.rebind(query), args...)}
}

type pgRow struct{ pgx.Row }

func (r pgRow) Scan(dest ...any) error { return mapErr(r.Row.Scan(dest...)) }

// rebind turns "?" placeholders into "$1", "$2"… Queries never hold a literal "?".
func (db *DB) rebind(query string) string {
	if v, ok := db.rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	out := b.String()
	db.rebound.Store(query, out)
	return out
}

// read is where read-only queries outside a transaction go.
func (db *DB) read() q {
	if db.pool != nil {
		return pgQ{db: db.pool, rebind: db.rebind}
	}
	return sqlQ{db: db.reader}
}

// write is where single-statement writes outside a transaction go.
func (db *DB) write() q {
	if db.pool != nil {
		return pgQ{db: db.pool, rebind: db.rebind}
	}
	return sqlQ{db: db.writer}
}

// Tx is a transaction. River jobs can be inserted in it (see SQLTx, PgxTx).
type Tx struct {
	db    *DB
	q     q
	sqlTx *sql.Tx
	pgxTx pgx.Tx
}

// SQLTx is the database/sql transaction on SQLite, nil on PostgreSQL.
func (tx *Tx) SQLTx() *sql.Tx { return tx.sqlTx }

// PgxTx is the pgx transaction on PostgreSQL, nil on SQLite.
func (tx *Tx) PgxTx() pgx.Tx { return tx.pgxTx }

// InTx runs fn in a transaction, committed when fn returns nil. On SQLite the
// transaction holds the only writer connection: fn must use tx, never db.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.pool != nil {
		ptx, err := db.pool.Begin(ctx)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer ptx.Rollback(ctx) //nolint:errcheck // no-op after commit
		if err := fn(&Tx{db: db, q: pgQ{db: ptx, rebind: db.rebind}, pgxTx: ptx}); err != nil {
			return err
		}
		return ptx.Commit(ctx)
	}
	stx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer stx.Rollback() //nolint:errcheck // no-op after commit
	if err := fn(&Tx{db: db, q: sqlQ{db: stx}, sqlTx: stx}); err != nil {
		return err
	}
	return stx.Commit()
}

// mapErr turns driver errors into domain errors.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows), errors.Is(err, pgx.ErrNoRows):
		return cam2drive.ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return &cam2drive.Error{Code: cam2drive.CodeConflict, Key: "conflict", Err: err}
	}
	if strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return &cam2drive.Error{Code: cam2drive.CodeConflict, Key: "conflict", Err: err}
	}
	return err
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// likePattern escapes s for a "LIKE ? ESCAPE '\'" substring match.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(s)) + "%"
}

// collect scans every row of a query's result (rs, err as the query gave
// them) with scan.
func collect[T any](rs rows, err error, scan func(row) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := []T{}
	for rs.Next() {
		v, err := scan(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rs.Err()
}

// countedPage runs a list query for one page and the count of all its rows:
// countSQL and listSQL share args; the page's LIMIT and OFFSET are added.
func countedPage[T any](ctx context.Context, q q, countSQL, listSQL string, args []any, p cam2drive.Page, scan func(row) (T, error)) ([]T, int, error) {
	var total int
	if err := q.queryRow(ctx, countSQL, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rs, err := q.query(ctx, listSQL+` LIMIT ? OFFSET ?`, append(args, p.Limit, p.Offset)...)
	items, err := collect(rs, err, scan)
	return items, total, err
}
