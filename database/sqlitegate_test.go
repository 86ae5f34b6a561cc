package database_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
)

// TestSQLiteTransactionsQueue runs many short write transactions at once, from two handles on one file: every
// one commits (none gives up with "database is locked"), and a transaction whose context ends while it waits for
// another gives up with the context's error and leaves the file free for the next.
func TestSQLiteTransactionsQueue(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "gate.db")
	open := func() *database.DB {
		loc, err := database.ParseURI("sqlite:///" + path)
		require.NoError(t, err)
		db, err := database.Open(t.Context(), loc)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open()
	_, err := a.Exec("CREATE TABLE counter (n INTEGER NOT NULL)")
	require.NoError(t, err)
	_, err = a.Exec("INSERT INTO counter VALUES (0)")
	require.NoError(t, err)

	const writers, each = 16, 25
	var wg sync.WaitGroup
	for w := range writers {
		db := a
		if w%2 == 1 {
			db = b
		}
		wg.Go(func() {
			for range each {
				tx, err := db.BeginTx(t.Context(), nil)
				if !assert.NoError(t, err) {
					return
				}
				var n int
				assert.NoError(t, tx.QueryRow("SELECT n FROM counter").Scan(&n))
				_, err = tx.Exec("UPDATE counter SET n = $1", n+1)
				assert.NoError(t, err)
				assert.NoError(t, tx.Commit())
			}
		})
	}
	wg.Wait()
	var n int
	require.NoError(t, a.QueryRow("SELECT n FROM counter").Scan(&n))
	require.Equal(t, writers*each, n, "every increment read the committed value before it")

	// A transaction waiting behind another gives up when its context ends.
	held, err := a.BeginTx(t.Context(), nil)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	waiting := make(chan error, 1)
	go func() {
		tx, err := b.BeginTx(ctx, nil)
		if err == nil {
			tx.Rollback()
		}
		waiting <- err
	}()
	cancel()
	require.ErrorIs(t, <-waiting, context.Canceled)
	require.NoError(t, held.Rollback())
	tx, err := b.BeginTx(t.Context(), nil)
	require.NoError(t, err, "the gate is free again")
	require.NoError(t, tx.Rollback())
}
