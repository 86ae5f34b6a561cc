package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"
)

func postgresConfigured() bool { return strings.TrimSpace(os.Getenv(EnvPostgresURL)) != "" }

// sqlitePath turns a sqlite:////abs/path URI back into /abs/path.
func sqlitePath(t *testing.T, uri string) string {
	t.Helper()
	if !strings.HasPrefix(uri, "sqlite:////") {
		t.Fatalf("SQLite URI %q does not start with sqlite://// (absolute path form)", uri)
	}
	path := strings.TrimPrefix(uri, "sqlite:///")
	if !filepath.IsAbs(path) {
		t.Fatalf("SQLite URI %q does not hold an absolute path", uri)
	}
	return path
}

func connectPostgres(t *testing.T, uri string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, uri)
	if err != nil {
		t.Fatalf("connect to %s: %v", redact(uri), err)
	}
	return conn
}

// databaseExists asks the admin database whether a database called name exists.
func databaseExists(t *testing.T, name string) bool {
	t.Helper()
	conn := connectPostgres(t, os.Getenv(EnvPostgresURL))
	defer conn.Close(context.Background())
	var n int
	err := conn.QueryRow(context.Background(),
		"SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n)
	if err != nil {
		t.Fatalf("query pg_database: %v", err)
	}
	return n > 0
}

func TestTargetsAlwaysHasUsableSQLite(t *testing.T) {
	targets := Targets(t)
	if len(targets) == 0 || targets[0].Name != SQLite {
		t.Fatalf("Targets()[0] = %+v, want a %q target first", targets, SQLite)
	}
	path := sqlitePath(t, targets[0].URI)
	if !strings.HasPrefix(path, filepath.Clean(os.TempDir())+string(filepath.Separator)) {
		t.Errorf("SQLite file %s is not in the test's temp dir", path)
	}

	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatalf("create table in fresh SQLite database: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("SQLite file not created: %v", err)
	}

	wantLen := 1
	if postgresConfigured() {
		wantLen = 2
		if targets[1].Name != Postgres {
			t.Errorf("Targets()[1].Name = %q, want %q", targets[1].Name, Postgres)
		}
	}
	if len(targets) != wantLen {
		t.Errorf("len(Targets()) = %d, want %d (%s set: %v)", len(targets), wantLen, EnvPostgresURL, postgresConfigured())
	}

	// Every call gives a fresh database.
	again := Targets(t)
	for i := range again {
		if again[i].URI == targets[i].URI {
			t.Errorf("second Targets() call reused %s", again[i].URI)
		}
	}
}

func TestPostgresTargetIsConnectableAndDroppedAtCleanup(t *testing.T) {
	if !postgresConfigured() {
		PostgresURL(t) // skips, or fails under CI=true
	}
	var name string
	t.Run("use", func(t *testing.T) {
		targets := Targets(t)
		if len(targets) != 2 || targets[1].Name != Postgres {
			t.Fatalf("Targets() = %+v, want sqlite and postgres", targets)
		}
		uri := targets[1].URI
		if !strings.HasPrefix(uri, "postgres://") {
			t.Errorf("PostgreSQL URI %q does not start with postgres://", uri)
		}
		conn := connectPostgres(t, uri)
		// Left open on purpose: the drop must not be blocked by it.
		t.Cleanup(func() { conn.Close(context.Background()) })

		ctx := context.Background()
		if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "wfo_test_") {
			t.Errorf("database name %q does not start with wfo_test_", name)
		}
		if !strings.Contains(uri, "/"+name+"?") && !strings.HasSuffix(uri, "/"+name) {
			t.Errorf("URI %s does not name database %s", redact(uri), name)
		}
		var tables int
		if err := conn.QueryRow(ctx,
			"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").Scan(&tables); err != nil {
			t.Fatal(err)
		}
		if tables != 0 {
			t.Errorf("fresh database has %d tables, want 0", tables)
		}
		if _, err := conn.Exec(ctx, "CREATE TABLE t (x int)"); err != nil {
			t.Fatalf("create table: %v", err)
		}
		if !databaseExists(t, name) {
			t.Fatalf("database %s not found in pg_database while in use", name)
		}
	})
	if name == "" {
		t.Fatal("subtest did not report its database name")
	}
	if databaseExists(t, name) {
		t.Errorf("database %s still exists after the subtest's cleanup", name)
	}
}

func TestRunGivesEachSubtestAFreshDatabase(t *testing.T) {
	var (
		mu   sync.Mutex
		seen = map[string]string{}
	)
	for round := 0; round < 2; round++ {
		t.Run(fmt.Sprint("round", round), func(t *testing.T) {
			Run(t, func(t *testing.T, target Target) {
				t.Parallel()
				mu.Lock()
				defer mu.Unlock()
				if prev, dup := seen[target.URI]; dup {
					t.Errorf("URI %s handed out twice (before to %s)", target.URI, prev)
				}
				seen[target.URI] = t.Name()
				if !strings.HasSuffix(t.Name(), "/"+target.Name) {
					t.Errorf("subtest %s got a %s target", t.Name(), target.Name)
				}
			})
		})
	}
	want := 2
	if postgresConfigured() {
		want = 4
	}
	if len(seen) != want {
		t.Errorf("Run handed out %d databases, want %d: %v", len(seen), want, seen)
	}
}

func TestPostgresURLParallel(t *testing.T) {
	if !postgresConfigured() {
		PostgresURL(t)
	}
	const n = 12
	var (
		mu   sync.Mutex
		uris = map[string]bool{}
	)
	t.Run("group", func(t *testing.T) {
		for i := 0; i < n; i++ {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				uri := PostgresURL(t)
				conn := connectPostgres(t, uri)
				defer conn.Close(context.Background())
				if _, err := conn.Exec(context.Background(), "CREATE TABLE t (x int)"); err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				uris[uri] = true
				mu.Unlock()
			})
		}
	})
	if len(uris) != n {
		t.Errorf("got %d distinct databases from %d parallel PostgresURL calls", len(uris), n)
	}
}

func TestWithDatabase(t *testing.T) {
	for _, tc := range []struct{ admin, want string }{
		{"postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable", "postgres://postgres@127.0.0.1:55432/wfo_test_x?sslmode=disable"},
		{"postgresql://u:p%40ss@db:5432/admin", "postgresql://u:p%40ss@db:5432/wfo_test_x"},
		{"postgres://u@db", "postgres://u@db/wfo_test_x"},
	} {
		got, err := withDatabase(tc.admin, "wfo_test_x")
		if err != nil || got != tc.want {
			t.Errorf("withDatabase(%q) = %q, %v; want %q", tc.admin, got, err, tc.want)
		}
	}
	if _, err := withDatabase("host=db user=u", "x"); err == nil {
		t.Error("withDatabase accepted a key=value DSN")
	}
}

// TestCIWithoutPostgres runs this test binary again without
// WFO_TEST_POSTGRES_URL: under CI=true Targets must fail with a clear
// message, otherwise it must quietly give only SQLite.
func TestCIWithoutPostgres(t *testing.T) {
	if os.Getenv("WFO_DBTEST_CHILD") == "1" {
		targets := Targets(t)
		fmt.Printf("child targets: %d\n", len(targets))
		return
	}
	run := func(ci string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCIWithoutPostgres$", "-test.count=1", "-test.v")
		var env []string
		for _, kv := range os.Environ() {
			if strings.HasPrefix(kv, EnvPostgresURL+"=") || strings.HasPrefix(kv, "CI=") {
				continue
			}
			env = append(env, kv)
		}
		env = append(env, "WFO_DBTEST_CHILD=1")
		if ci != "" {
			env = append(env, "CI="+ci)
		}
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := run("true")
	if err == nil {
		t.Errorf("under CI=true without %s the test passed; output:\n%s", EnvPostgresURL, out)
	}
	if !strings.Contains(out, ciMissingPostgres) {
		t.Errorf("under CI=true the output lacks %q; output:\n%s", ciMissingPostgres, out)
	}

	out, err = run("")
	if err != nil {
		t.Errorf("without CI and %s the test failed: %v; output:\n%s", EnvPostgresURL, err, out)
	}
	if !strings.Contains(out, "child targets: 1") {
		t.Errorf("without CI and %s want exactly the SQLite target; output:\n%s", EnvPostgresURL, out)
	}
}
