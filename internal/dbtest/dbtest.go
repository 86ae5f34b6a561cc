// Package dbtest gives tests a fresh database on every dialect wfo supports:
// an SQLite file always, and a PostgreSQL database when WFO_TEST_POSTGRES_URL
// is set.
//
// WFO_TEST_POSTGRES_URL is an admin URL of a PostgreSQL server the tests may
// create and drop databases on, e.g. the one scripts/with-postgres starts:
//
//	scripts/with-postgres go test ./...
//
// Without it only SQLite is tested, except under CI=true, where a missing
// PostgreSQL fails the test instead of being silently skipped.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// EnvPostgresURL names the environment variable holding the PostgreSQL admin URL.
const EnvPostgresURL = "WFO_TEST_POSTGRES_URL"

// Target names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// ciMissingPostgres is the failure message when PostgreSQL is not configured under CI=true.
const ciMissingPostgres = "WFO_TEST_POSTGRES_URL is not set: under CI=true a missing PostgreSQL is a failure (run the tests through scripts/with-postgres)"

// Target is one fresh, empty database.
type Target struct {
	// Name is the dialect: "sqlite" or "postgres".
	Name string
	// URI is a wfo DATABASE_URI: sqlite:////abs/path/test.db for SQLite,
	// a postgres:// URL for PostgreSQL.
	URI string
}

// Targets returns a fresh SQLite target (a file in t.TempDir()) and, when
// WFO_TEST_POSTGRES_URL is set, a fresh PostgreSQL database that is dropped
// when the test finishes. Under CI=true a missing WFO_TEST_POSTGRES_URL fails
// the test.
func Targets(t testing.TB) []Target {
	t.Helper()
	targets := []Target{newSQLite(t)}
	if admin := adminURL(t); admin != "" {
		targets = append(targets, newPostgres(t, admin))
	}
	return targets
}

// Run runs fn once per target as a subtest named after the target (t.Run
// "sqlite", "postgres"). Each subtest gets its own fresh database, created
// inside the subtest and removed at its end; fn may call t.Parallel().
func Run(t *testing.T, fn func(t *testing.T, target Target)) {
	t.Helper()
	names := []string{SQLite}
	admin := adminURL(t)
	if admin != "" {
		names = append(names, Postgres)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var target Target
			switch name {
			case SQLite:
				target = newSQLite(t)
			case Postgres:
				target = newPostgres(t, admin)
			}
			fn(t, target)
		})
	}
}

// PostgresURL returns the URI of a fresh PostgreSQL database that is dropped
// when the test finishes. It skips the test when WFO_TEST_POSTGRES_URL is not
// set (and fails it under CI=true).
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := adminURL(t)
	if admin == "" {
		t.Skip(EnvPostgresURL + " is not set; skipping PostgreSQL test (run the tests through scripts/with-postgres)")
	}
	return newPostgres(t, admin).URI
}

// SQLiteURI returns the URI of a fresh SQLite database file in t.TempDir().
func SQLiteURI(t testing.TB) string {
	t.Helper()
	return newSQLite(t).URI
}

// adminURL returns WFO_TEST_POSTGRES_URL, or "" when it is unset; under
// CI=true an unset value fails the test.
func adminURL(t testing.TB) string {
	t.Helper()
	u := strings.TrimSpace(os.Getenv(EnvPostgresURL))
	if u == "" && strings.EqualFold(strings.TrimSpace(os.Getenv("CI")), "true") {
		t.Fatal(ciMissingPostgres)
	}
	return u
}

func newSQLite(t testing.TB) Target {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	if !filepath.IsAbs(path) {
		abs, err := filepath.Abs(path)
		if err != nil {
			t.Fatalf("dbtest: absolute path of %s: %v", path, err)
		}
		path = abs
	}
	// sqlite:/// + /abs/path = sqlite:////abs/path (absolute path form).
	return Target{Name: SQLite, URI: "sqlite:///" + filepath.ToSlash(path)}
}

// createMu serialises database creation and removal within one test binary.
// Concurrent CREATE DATABASE statements from other test binaries (go test
// runs packages in parallel) are handled by retrying.
var createMu sync.Mutex

const (
	createAttempts = 20
	retryDelay     = 100 * time.Millisecond
	opTimeout      = 60 * time.Second
)

func newPostgres(t testing.TB, admin string) Target {
	t.Helper()
	name := "wfo_test_" + randomHex(t, 8)
	uri, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("dbtest: %s: %v", EnvPostgresURL, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	// template0 is never connected to, so unlike template1 it cannot be
	// "accessed by other users" while copying; retries cover the rest.
	stmt := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE template0"
	if err := adminExec(ctx, admin, stmt); err != nil {
		t.Fatalf("dbtest: creating PostgreSQL database %s on %s: %v", name, redact(admin), err)
	}

	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		stmt := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
		if err := adminExec(ctx, admin, stmt); err != nil {
			t.Errorf("dbtest: dropping PostgreSQL database %s on %s: %v", name, redact(admin), err)
		}
	})
	return Target{Name: Postgres, URI: uri}
}

// adminExec runs one statement on the admin database, retrying while the
// server reports a transient conflict with another session.
func adminExec(ctx context.Context, admin, stmt string) error {
	createMu.Lock()
	defer createMu.Unlock()

	var err error
	for attempt := 1; attempt <= createAttempts; attempt++ {
		err = execOnce(ctx, admin, stmt)
		if err == nil || !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(time.Duration(attempt) * retryDelay):
		}
	}
	return fmt.Errorf("after %d attempts: %w", createAttempts, err)
}

func execOnce(ctx context.Context, admin, stmt string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, stmt)
	return err
}

// retryable reports whether err is a transient conflict worth retrying:
// "source database is being accessed by other users" (object_in_use),
// concurrent catalog updates, deadlocks and serialization failures.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code {
	case "55006", // object_in_use
		"40001", // serialization_failure
		"40P01": // deadlock_detected
		return true
	case "XX000": // internal_error: only "tuple concurrently updated/deleted"
		return strings.Contains(pgErr.Message, "concurrently")
	}
	return false
}

// withDatabase returns the PostgreSQL URL admin with its database name replaced.
func withDatabase(admin, name string) (string, error) {
	u, err := url.Parse(admin)
	if err != nil {
		return "", fmt.Errorf("not a URL: %w", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("want a postgres:// URL, got scheme %q", u.Scheme)
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<invalid URL>"
	}
	return u.Redacted()
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("dbtest: random name: %v", err)
	}
	return hex.EncodeToString(b)
}

// AdminURL is WFO_TEST_POSTGRES_URL ("" when unset), for callers that are not a testing.TB (testscript's Setup).
func AdminURL() string { return strings.TrimSpace(os.Getenv(EnvPostgresURL)) }

// NewPostgresDatabase creates a fresh database on the admin server and returns its URI and a function that drops
// it, for callers that are not a testing.TB.
func NewPostgresDatabase(admin string) (uri string, drop func() error, err error) {
	return NewPostgresDatabaseFrom(admin, "template0")
}

// NewPostgresDatabaseFrom is NewPostgresDatabase copying the database template, which nobody may be connected to
// (a database prepared once and closed, so that each test starts from a copy instead of migrating its own).
func NewPostgresDatabaseFrom(admin, template string) (uri string, drop func() error, err error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	name := "wfo_test_" + hex.EncodeToString(b)
	if uri, err = withDatabase(admin, name); err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := adminExec(ctx, admin, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{template}.Sanitize()); err != nil {
		return "", nil, fmt.Errorf("dbtest: creating PostgreSQL database %s: %w", name, err)
	}
	drop = func() error {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		return adminExec(ctx, admin, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	}
	return uri, drop, nil
}

// MustHavePostgres reports whether PostgreSQL tests can run; under CI=true a missing server is an error.
func MustHavePostgres() (bool, error) {
	if AdminURL() != "" {
		return true, nil
	}
	if strings.EqualFold(strings.TrimSpace(os.Getenv("CI")), "true") {
		return false, errors.New(ciMissingPostgres)
	}
	return false, nil
}
