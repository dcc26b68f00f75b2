package storetest

import (
	"context"
	"testing"

	"github.com/cam2drive/cam2drive/internal/store"
)

// Count returns the number of rows in table (a fixed name from the test, never
// user input), read straight from the database so a test can check what a
// rolled-back transaction left behind, River's tables included.
func Count(t testing.TB, db *store.DB, table string) int {
	t.Helper()
	ctx := context.Background()
	var n int
	var err error
	if db.Dialect() == store.Postgres {
		err = db.Pool().QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
	} else {
		err = db.SQLWriter().QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
	}
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}
