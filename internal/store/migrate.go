package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrate applies the migrations that the database has not seen yet, each in
// its own transaction, in file-name order. Safe to run from several processes:
// a migration already recorded is skipped.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.write().exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateOne(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) migrateOne(ctx context.Context, name string) error {
	version := strings.TrimSuffix(strings.TrimPrefix(name, "migrations/"), ".sql")
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			// Serialise concurrent migrators on PostgreSQL.
			if _, err := tx.q.exec(ctx, `SELECT pg_advisory_xact_lock(7242001)`); err != nil {
				return err
			}
		}
		var n int
		if err := tx.q.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		for _, stmt := range splitStatements(string(body)) {
			if _, err := tx.q.exec(ctx, stmt); err != nil {
				return fmt.Errorf("migration %s: %w", version, err)
			}
		}
		_, err := tx.q.exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version, time.Now().UnixMilli())
		return err
	})
}

// splitStatements cuts a migration file at semicolons that end a line,
// dropping "--" comment lines.
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") || trimmed == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
