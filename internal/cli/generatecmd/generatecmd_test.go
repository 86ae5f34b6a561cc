package generatecmd_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/cli"
	"github.com/wfo-go/wfo/internal/dbtest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"wfo": func() { cli.Main(wfo.New()) },
	})
}

// TestApp runs testdata/script/*.txtar: whole applications generated into empty modules, built and tested with
// the go command. They live apart from the repository's other scripts because they take long (they compile), so
// that the two run side by side. DATABASE_URI is a fresh SQLite file; PG_URI a fresh PostgreSQL database when
// there is a server (condition [pg]).
func TestApp(t *testing.T) {
	havePG, err := dbtest.MustHavePostgres()
	if err != nil {
		t.Fatal(err)
	}
	goVars, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: false,
		Setup: func(env *testscript.Env) error {
			// The go command keeps the test process's caches, so builds reuse compiled packages, and works offline.
			for i, v := range strings.Split(strings.TrimSpace(string(goVars)), "\n") {
				env.Setenv([]string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT"}[i], v)
			}
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("HOME", filepath.Join(env.WorkDir, "home"))
			env.Setenv("GORACE", dbtest.ChildGORACE())
			env.Setenv("WFO_ROOT", root)
			env.Setenv("DATABASE_URI", "sqlite:///"+filepath.Join(env.WorkDir, "test.db"))
			if havePG {
				uri, drop, err := dbtest.NewPostgresDatabase(dbtest.AdminURL())
				if err != nil {
					return fmt.Errorf("postgres: %w", err)
				}
				env.Defer(func() {
					if err := drop(); err != nil {
						env.T().Log(err)
					}
				})
				env.Setenv("PG_URI", uri)
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "pg" {
				return havePG, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}
