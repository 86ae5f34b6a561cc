package wfo_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/cli"
	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/internal/dbtest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"wfo": func() { cli.Main(wfo.New()) },
		// wfo-sched and waitlines are the scheduler scripts' test application and helper (scheduler_test.go).
		"wfo-sched": schedulerTestApp,
		"waitlines": waitLines,
		// wfo-lab is an application without the core's revisions whose "core" is the directory core/ of the
		// script's work directory, loaded after migrations/versions/schema: the layout of the Alembic lab
		// scenarios in spec/migrations.md §2.
		"wfo-lab": func() {
			cli.Main(wfo.New(wfo.WithName("wfo-lab"), wfo.WithoutCoreRevisions(), wfo.WithVersionLocations("core")))
		},
		// netapp is the example application of examples/netapp; catalogue prints the catalogue rows of the database.
		"netapp":    func() { cli.Main(netapp.App()) },
		"catalogue": func() { os.Exit(printCatalogue()) },
		// netapp-bare has the example's revisions but registers no products (db_migrate_domain_models.txtar).
		"netapp-bare": func() {
			cli.Main(wfo.New(wfo.WithName("netapp"), wfo.WithEmbeddedRevisions(netapp.Migrations, "netapp:migrations")))
		},
		// wfo-wf registers workflows and tasks for the migrate-workflows and migrate-tasks scripts.
		"wfo-wf": workflowTestApp,
		// wfo-ops runs the process, subscription and serve scripts (ops_script_test.go).
		"wfo-ops": opsTestApp,
	})
}

// TestScripts runs every testdata/script/*.txtar end to end through the wfo binary, once on SQLite and once on
// PostgreSQL, each script with a fresh database in DATABASE_URI. Conditions [sqlite] and [postgres] select lines
// for one dialect.
func TestScripts(t *testing.T) {
	dialects := []string{"sqlite"}
	havePG, err := dbtest.MustHavePostgres()
	if err != nil {
		t.Fatal(err)
	}
	if havePG {
		dialects = append(dialects, "postgres")
	}
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			testscript.Run(t, testscript.Params{
				Dir:                 "testdata/script",
				UpdateScripts:       os.Getenv("WFO_UPDATE_SCRIPTS") == "1",
				RequireUniqueNames:  true,
				RequireExplicitExec: false,
				Setup: func(env *testscript.Env) error {
					env.Setenv("DIALECT", dialect)
					env.Setenv("HOME", filepath.Join(env.WorkDir, "home"))
					env.Setenv("GORACE", dbtest.ChildGORACE())
					if dialect == "sqlite" {
						env.Setenv("DATABASE_URI", "sqlite:///"+filepath.Join(env.WorkDir, "test.db"))
						return nil
					}
					uri, drop, err := dbtest.NewPostgresDatabase(dbtest.AdminURL())
					if err != nil {
						return err
					}
					env.Defer(func() {
						if err := drop(); err != nil {
							env.T().Log(err)
						}
					})
					env.Setenv("DATABASE_URI", uri)
					return nil
				},
				Condition: func(cond string) (bool, error) {
					switch cond {
					case "sqlite", "postgres":
						return cond == dialect, nil
					}
					return false, nil
				},
			})
		})
	}
}
