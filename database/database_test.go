package database_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
)

func TestParseURI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		uri      string
		dialect  database.Dialect
		path     string
		redacted string
	}{
		{"", database.SQLite, "wfo.db", "sqlite:///wfo.db"},
		{"sqlite:///relative.db", database.SQLite, "relative.db", "sqlite:///relative.db"},
		{"sqlite:////abs/path.db", database.SQLite, "/abs/path.db", "sqlite:////abs/path.db"},
		{"sqlite+pysqlite:///x.db", database.SQLite, "x.db", "sqlite+pysqlite:///x.db"},
		{"sqlite:///:memory:", database.SQLite, ":memory:", "sqlite:///:memory:"},
		{"postgresql://nwa:secret@localhost/orchestrator-core", database.Postgres, "", "postgresql://nwa:***@localhost/orchestrator-core"},
		{"postgres://u:p@h:5432/db?sslmode=disable", database.Postgres, "", "postgres://u:***@h:5432/db?sslmode=disable"},
		{"postgresql+psycopg://nwa:nwa@localhost/db", database.Postgres, "", "postgresql+psycopg://nwa:***@localhost/db"},
		{"postgresql+psycopg2://nwa@localhost/db", database.Postgres, "", "postgresql+psycopg2://nwa@localhost/db"},
	}
	for _, tt := range tests {
		loc, err := database.ParseURI(tt.uri)
		require.NoError(t, err, tt.uri)
		require.Equal(t, tt.dialect, loc.Dialect, tt.uri)
		require.Equal(t, tt.path, loc.Path, tt.uri)
		require.Equal(t, tt.redacted, loc.Redacted, tt.uri)
		require.Equal(t, tt.uri == "", loc.Default)
		if loc.Dialect == database.Postgres {
			require.True(t, strings.HasPrefix(loc.DSN, "postgres://"), loc.DSN)
		}
	}
}

func TestParseURIErrors(t *testing.T) {
	t.Parallel()
	for _, uri := range []string{"mysql://root:hunter2@localhost/db", "not a uri", "sqlite://relative.db"} {
		_, err := database.ParseURI(uri)
		require.Error(t, err, uri)
		require.True(t, errors.Is(err, database.ErrUnsupportedURI), uri)
		require.NotContains(t, err.Error(), "hunter2")
		require.NotContains(t, err.Error(), "\n")
	}
}

func TestOpenUnreachableMasksPassword(t *testing.T) {
	t.Parallel()
	loc, err := database.ParseURI("postgresql://nwa:hunter2@127.0.0.1:1/orchestrator-core?connect_timeout=2")
	require.NoError(t, err)
	_, err = database.Open(context.Background(), loc)
	require.Error(t, err)
	require.Contains(t, err.Error(), "nwa:***@127.0.0.1:1")
	require.NotContains(t, err.Error(), "hunter2")
	require.NotContains(t, err.Error(), "\n")
}

func TestOpenBothDialects(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		loc, err := database.ParseURI(target.URI)
		require.NoError(t, err)
		db, err := database.Open(context.Background(), loc)
		require.NoError(t, err)
		defer db.Close()
		var one int
		require.NoError(t, db.QueryRow("SELECT 1").Scan(&one))
		require.Equal(t, 1, one)
	})
}

func TestExistsDoesNotCreate(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "new.db")
	loc, err := database.ParseURI("sqlite:///" + path)
	require.NoError(t, err)
	require.False(t, loc.Exists())
	_, statErr := os.Stat(path)
	require.True(t, os.IsNotExist(statErr))
	db, err := database.Open(context.Background(), loc)
	require.NoError(t, err)
	db.Close()
	require.True(t, loc.Exists())
}
