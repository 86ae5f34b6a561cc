package schemadiff_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/schemadiff"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The sections written for a change of columns, per dialect, are kept in testdata/columns.<dialect>.golden
// (regenerate with go test ./schemadiff -run Golden -update).
func TestSectionsGolden(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		f := setup(t, target)
		f.revise(stateTables, "tables")
		require.NoError(t, f.migrator().Upgrade(f.ctx, "heads"))
		plan, err := schemadiff.Diff(f.ctx, f.db, f.src(stateColumns))
		require.NoError(t, err)
		got := "-- wfo:upgrade " + target.Name + "\n" + plan.UpgradeSQL() + "\n-- wfo:downgrade " + target.Name + "\n" + plan.DowngradeSQL()
		path := filepath.Join("testdata", "columns."+target.Name+".golden")
		if *update {
			require.NoError(t, os.MkdirAll("testdata", 0o755))
			require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Equal(t, string(want), got)
	})
}
