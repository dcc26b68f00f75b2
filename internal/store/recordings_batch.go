package store

import (
	"context"
	"database/sql"
)

// InBatchTx is InTx for a transaction that runs the same statements many
// times, as ingest does when it indexes a batch of uploads: on SQLite each
// statement is parsed once for the whole transaction instead of at every
// run (parsing cost as much as running). PostgreSQL's driver already keeps
// prepared statements.
func (db *DB) InBatchTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.pool != nil {
		return db.InTx(ctx, fn)
	}
	return db.InTx(ctx, func(tx *Tx) error {
		return fn(&Tx{db: db, q: &preparedQ{tx: tx.sqlTx, stmts: map[string]*sql.Stmt{}}, sqlTx: tx.sqlTx})
	})
}

// preparedQ runs a SQLite transaction's queries through statements
// prepared on first use; the transaction closes them when it ends.
type preparedQ struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (p *preparedQ) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := p.stmts[query]; ok {
		return st, nil
	}
	st, err := p.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, mapErr(err)
	}
	p.stmts[query] = st
	return st, nil
}

func (p *preparedQ) exec(ctx context.Context, query string, args ...any) (int64, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return 0, err
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return 0, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

func (p *preparedQ) query(ctx context.Context, query string, args ...any) (rows, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	r, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	return sqlRows{r}, nil
}

func (p *preparedQ) queryRow(ctx context.Context, query string, args ...any) row {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return sqlRow{st.QueryRowContext(ctx, args...)}
}

// errRow is a row whose query could not be prepared.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
