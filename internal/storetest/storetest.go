// Package storetest gives tests a fresh, migrated database: SQLite in a
// temporary directory, and PostgreSQL in a throwaway database when
// CAM2DRIVE_TEST_POSTGRES_URL points at a server (make test sets it).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cam2drive/cam2drive/internal/jobs"
	"github.com/cam2drive/cam2drive/internal/store"
)

// EnvPostgres names the variable with the URL of a PostgreSQL server whose
// user may create databases, e.g. postgres://postgres@127.0.0.1:5432/postgres.
const EnvPostgres = "CAM2DRIVE_TEST_POSTGRES_URL"

// Dialects returns the databases to run a suite on: SQLite always,
// PostgreSQL when configured. In CI (CI=true) a missing PostgreSQL fails the
// run, so a green CI always means both.
func Dialects(t testing.TB) []store.Dialect {
	out := []store.Dialect{store.SQLite}
	if os.Getenv(EnvPostgres) != "" {
		out = append(out, store.Postgres)
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set: CI must run the suites on PostgreSQL too", EnvPostgres)
	}
	return out
}

// Open returns a new, migrated, empty database of dialect d, closed and
// (on PostgreSQL) dropped when the test ends.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	ctx := context.Background()
	dsn := ""
	if d == store.Postgres {
		dsn = createDatabase(t)
	}
	db, err := store.Open(ctx, dsn, t.TempDir())
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(db.Close)
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatalf("river migrate %s: %v", d, err)
	}
	return db
}

func createDatabase(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skipf("%s not set", EnvPostgres)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", base, err)
	}
	defer admin.Close(ctx)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "c2d_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	u.Path = "/" + name
	return u.String()
}
