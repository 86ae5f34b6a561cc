package database_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
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

// TestRedact masks each form a credential can take in a DATABASE_URI or a connection string.
func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"postgresql://nwa:hunter2@localhost/db", "postgresql://nwa:***@localhost/db"},
		{"postgresql://nwa@localhost/db?password=hunter2", "postgresql://nwa@localhost/db?password=***"},
		{"postgres://h/db?sslmode=require&PASSWORD=hunter2&sslpassword=hunter3", "postgres://h/db?sslmode=require&PASSWORD=***&sslpassword=***"},
		{"postgres://h/db?pass%77ord=hunter2", "postgres://h/db?pass%77ord=***"},
		{"postgres://u:a%40b@h/db", "postgres://u:***@h/db"},
		{"host=localhost user=nwa password=hunter2 dbname=db", "host=localhost user=nwa password=*** dbname=db"},
		{"host=localhost password = 'hunter2 with spaces' dbname=db", "host=localhost password=*** dbname=db"},
		{"host=localhost sslpassword=hunter2", "host=localhost sslpassword=***"},
		{"sqlite:///wfo.db", "sqlite:///wfo.db"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, database.Redact(tt.in), tt.in)
	}
}

// TestCredentialsNeverShown tries each credential form through the errors and the location a command shows.
func TestCredentialsNeverShown(t *testing.T) {
	t.Parallel()
	for _, uri := range []string{
		"postgresql://nwa:hunter2@127.0.0.1:1/db?connect_timeout=2",
		"postgresql://nwa@127.0.0.1:1/db?password=hunter2&connect_timeout=2",
		"postgresql://nwa@127.0.0.1:1/db?connect_timeout=2&sslpassword=hunter2",
		"mysql://root:hunter2@localhost/db",
		"mysql://localhost/db?password=hunter2",
		"host=127.0.0.1 port=1 user=nwa password=hunter2",
	} {
		loc, err := database.ParseURI(uri)
		if err == nil {
			require.NotContains(t, loc.Redacted, "hunter2", uri)
			_, err = database.Open(context.Background(), loc)
		}
		require.Error(t, err, uri)
		require.NotContains(t, err.Error(), "hunter2", uri)
		require.NotContains(t, err.Error(), "\n", uri)
	}
}

// TestConnectErrorsKeepTheReason checks that a failed connection says why, on one line, with the driver's error
// (and its SQLSTATE) underneath.
func TestConnectErrorsKeepTheReason(t *testing.T) {
	t.Parallel()
	open := func(uri string) error {
		loc, err := database.ParseURI(uri)
		require.NoError(t, err)
		db, err := database.Open(context.Background(), loc)
		if err == nil {
			db.Close()
		}
		require.Error(t, err, uri)
		require.NotContains(t, err.Error(), "\n")
		require.NotContains(t, err.Error(), "hunter2")
		var ce *database.ConnectError
		require.ErrorAs(t, err, &ce)
		return err
	}
	err := open("postgresql://nwa:hunter2@127.0.0.1:1/db?connect_timeout=2")
	require.Regexp(t, `^database: cannot connect to postgresql://nwa:\*\*\*@127.0.0.1:1/db\?connect_timeout=2: 127.0.0.1:1 \(127.0.0.1\): dial error: dial tcp 127.0.0.1:1: connect: connection refused$`, err.Error())

	// A server that accepts and never answers: the timeout is the reason.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	err = open("postgresql://nwa:hunter2@" + ln.Addr().String() + "/db?connect_timeout=1&sslmode=disable")
	require.Regexp(t, `timeout|deadline`, err.Error())

	admin := dbtest.AdminURL()
	if admin == "" {
		return
	}
	u, err := url.Parse(admin)
	require.NoError(t, err)
	u.Path = "/no_such_database"
	q := u.Query()
	q.Set("password", "hunter2")
	u.RawQuery = q.Encode()
	err = open(u.String())
	require.Contains(t, err.Error(), `FATAL: database "no_such_database" does not exist (SQLSTATE 3D000)`)
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	require.Equal(t, "3D000", pgErr.Code)

	u.Path = "/postgres"
	u.User = url.User("no_such_role")
	err = open(u.String())
	require.Contains(t, err.Error(), `role "no_such_role" does not exist (SQLSTATE 28000)`)
}

// TestSQLiteURIParameters checks that an SQLite URI's query is honoured (mode=ro opens read-only and never creates
// the file) and that a parameter wfo does not know is refused.
func TestSQLiteURIParameters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	ro, err := database.ParseURI("sqlite:///" + path + "?mode=ro")
	require.NoError(t, err)
	_, err = database.Open(context.Background(), ro)
	require.Error(t, err, "a missing file opened read-only")
	require.NoFileExists(t, path)

	rw, err := database.ParseURI("sqlite:///" + path)
	require.NoError(t, err)
	db, err := database.Open(context.Background(), rw)
	require.NoError(t, err)
	_, err = db.Exec("CREATE TABLE t (x INTEGER)")
	require.NoError(t, err)
	db.Close()

	db, err = database.Open(context.Background(), ro)
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRow("SELECT count(*) FROM t").Scan(&n))
	_, err = db.Exec("INSERT INTO t VALUES (1)")
	require.ErrorContains(t, err, "readonly")

	for uri, msg := range map[string]string{
		"sqlite:///a.db?mode=readonly": "mode=readonly is not valid (use ro, rw, rwc, memory)",
		"sqlite:///a.db?timeout=5":     `unknown parameter "timeout" (valid: cache, immutable, mode)`,
	} {
		_, err := database.ParseURI(uri)
		require.ErrorContains(t, err, msg)
	}
}
