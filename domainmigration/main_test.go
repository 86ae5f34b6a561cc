package domainmigration_test

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wfo-go/wfo/coremigration"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/migration"
)

// Every scenario starts from a copy of a database that has the core schema, made once per dialect: copying is
// much cheaper than migrating.
var templates struct {
	sync.Mutex
	dir        string
	sqlite     string
	pg, pgName string
	pgDrop     func() error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if templates.pgDrop != nil {
		if err := templates.pgDrop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	if templates.dir != "" {
		os.RemoveAll(templates.dir)
	}
	os.Exit(code)
}

func migrateCore(uri string) error {
	ctx := context.Background()
	loc, err := database.ParseURI(uri)
	if err != nil {
		return err
	}
	db, err := database.Open(ctx, loc)
	if err != nil {
		return err
	}
	defer db.Close()
	g, err := (&migration.Project{Locations: []*migration.Location{coremigration.Location()}}).Graph()
	if err != nil {
		return err
	}
	return (&migration.Migrator{DB: db, Graph: g}).Upgrade(ctx, "heads")
}

// freshSQLite returns the URI of a new SQLite file with the core schema.
func freshSQLite(t testing.TB) string {
	t.Helper()
	templates.Lock()
	if templates.sqlite == "" {
		dir, err := os.MkdirTemp("", "wfo-domainmigration-")
		if err != nil {
			templates.Unlock()
			t.Fatal(err)
		}
		templates.dir = dir
		path := filepath.Join(dir, "core.db")
		if err := migrateCore("sqlite:///" + path); err != nil {
			templates.Unlock()
			t.Fatal(err)
		}
		templates.sqlite = path
	}
	templates.Unlock()
	dst := filepath.Join(t.TempDir(), "test.db")
	in, err := os.Open(templates.sqlite)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return "sqlite:///" + dst
}

// freshPostgres returns the URI of a new PostgreSQL database with the core schema, dropped when the test ends.
func freshPostgres(t testing.TB) string {
	t.Helper()
	ok, err := dbtest.MustHavePostgres()
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Skip(dbtest.EnvPostgresURL + " is not set; skipping PostgreSQL test (run the tests through scripts/with-postgres)")
	}
	admin := dbtest.AdminURL()
	templates.Lock()
	if templates.pg == "" {
		uri, drop, err := dbtest.NewPostgresDatabase(admin)
		if err == nil {
			templates.pgDrop = drop
			err = migrateCore(uri)
		}
		if err != nil {
			templates.Unlock()
			t.Fatal(err)
		}
		u, _ := url.Parse(uri)
		templates.pg, templates.pgName = uri, strings.TrimPrefix(u.Path, "/")
	}
	templates.Unlock()
	uri, drop, err := dbtest.NewPostgresDatabaseFrom(admin, templates.pgName)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	return uri
}
