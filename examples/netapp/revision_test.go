package netapp_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domainmigration"
	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/internal/coretest"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/migration"
)

// catalogueRevision is the example's catalogue revision, written by db migrate-domain-models from the declared
// catalogue against a database with the core schema and the data root only.
const catalogueRevision = "migrations/2026-11-25_7c3f9a2e6b10_add_netapp_products.sql"

// noQuestions answers nothing: the example declares its whole catalogue, so nothing may be asked.
type noQuestions struct{}

func (noQuestions) Section(string) {}
func (noQuestions) Ask(q domainmigration.Question) (string, error) {
	return "", fmt.Errorf("asked %+v, which the example should declare", q)
}

// TestCatalogueRevisionIsGenerated checks that the catalogue revision's SQL is exactly what
// db migrate-domain-models writes for the declared catalogue (go test -update writes it).
func TestCatalogueRevisionIsGenerated(t *testing.T) {
	t.Parallel()
	root, err := fs.ReadFile(netapp.Migrations, "2026-11-25_5b1e4c0a9d21_create_data_head.sql")
	require.NoError(t, err)
	dataRoot := migration.EmbeddedLocation(fstest.MapFS{"2026-11-25_5b1e4c0a9d21_create_data_head.sql": {Data: root}}, "data root")
	db := coretest.Open(t, dbtest.SQLiteURI(t), dataRoot)
	cat, err := domainmigration.ReadCatalogue(context.Background(), db)
	require.NoError(t, err)
	changes := domainmigration.Compare(domainmigration.FromRegistry(netapp.Products), cat, nil).Changes(domainmigration.Updates{})
	up, down, err := changes.SQL(noQuestions{})
	require.NoError(t, err)
	body := "-- wfo:upgrade\n" + up + "\n-- wfo:downgrade\n" + down

	file, err := os.ReadFile(filepath.FromSlash(catalogueRevision))
	require.NoError(t, err)
	header, _, ok := strings.Cut(string(file), "-- wfo:upgrade\n")
	require.True(t, ok)
	if *update {
		require.NoError(t, os.WriteFile(filepath.FromSlash(catalogueRevision), []byte(header+body), 0o644))
		return
	}
	require.Equal(t, header+body, string(file), "go test -update rewrites %s", catalogueRevision)
}
