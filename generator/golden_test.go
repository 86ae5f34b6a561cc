package generator

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// goldenConfigs are the example configurations that generate, in an order that lets each use the blocks of the
// ones before it (config1 uses Example2 of config2, user uses UserGroup of user_group). edge_cases is wfo's own:
// quotes, backslashes and non-ASCII in texts, Go keywords as names, one-sided bounds.
var goldenConfigs = []string{"product_config2", "product_config1", "product_config4", "user_group", "user", "node", "edge_cases"}

// generateAll runs every command for a configuration in module mod and writes the files (as --no-dryrun --force
// would). It returns the files in command order and the data revision.
func generateAll(t testing.TB, mod Module, config string, opts Options) ([]File, Migration) {
	t.Helper()
	var all []File
	var mig Migration
	for _, command := range []string{CmdProductBlocks, CmdProduct, CmdWorkflows, CmdUnitTests, CmdMigration} {
		m, err := Load(filepath.Join("testdata", "configs", config+".yaml"), mod.Dir, "", command)
		require.NoError(t, err)
		g, err := New(m, opts)
		require.NoError(t, err)
		var files []File
		switch command {
		case CmdProductBlocks:
			files, err = g.ProductBlocks()
		case CmdProduct:
			files, err = g.Product()
		case CmdWorkflows:
			files, err = g.Workflows()
		case CmdUnitTests:
			files, err = g.UnitTests()
		case CmdMigration:
			mig, err = g.Migration(MigrationOptions{DefaultWorkflows: []string{"modify_note"}})
		}
		require.NoError(t, err)
		require.NoError(t, Write(mod.Dir, files, WriteOptions{Force: true}))
		all = append(all, files...)
	}
	return all, mig
}

// TestGolden generates every example configuration into one module and compares each configuration's files and
// data revision with testdata/golden/<config>.txt (go test -run Golden -update rewrites them).
func TestGolden(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/orch\n\ngo 1.26\n"), 0o644))
	mod := Module{Dir: dir, Path: "example.com/orch", Work: dir}
	for _, config := range goldenConfigs {
		files, mig := generateAll(t, mod, config, Options{TDD: true})
		var b bytes.Buffer
		for _, f := range files {
			if f.IfMissing {
				continue // the same for every configuration: compared once, below
			}
			content := f.Content
			if f.Merge != nil {
				content, _ = f.Merge(nil, false)
			}
			fmt.Fprintf(&b, "# %s\n%s\n", f.Path, content)
		}
		fmt.Fprintf(&b, "# migration: %s\n-- upgrade\n%s\n-- downgrade\n%s", mig.Message, mig.Upgrade, mig.Downgrade)
		compareGolden(t, config+".txt", b.Bytes())
		if config == goldenConfigs[0] {
			b.Reset()
			seen := map[string]bool{}
			for _, f := range files {
				if f.IfMissing && !seen[f.Path] {
					seen[f.Path] = true
					fmt.Fprintf(&b, "# %s\n%s\n", f.Path, f.Content)
				}
			}
			compareGolden(t, "shared.txt", b.Bytes())
		}
	}
}

func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -run Golden -update to create it")
	require.Equal(t, strings.Split(string(want), "\n"), strings.Split(string(got), "\n"), "%s differs; go test -run Golden -update rewrites it", path)
}

// TestDeterministic generates the richest configuration twice: the same input gives the same bytes.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	var outs [2]string
	for i := range outs {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/orch\n\ngo 1.26\n"), 0o644))
		mod := Module{Dir: dir, Path: "example.com/orch", Work: dir}
		generateAll(t, mod, "product_config2", Options{})
		files, mig := generateAll(t, mod, "product_config1", Options{})
		var b strings.Builder
		for _, f := range files {
			fmt.Fprintf(&b, "%s\n%s", f.Path, f.Content)
		}
		outs[i] = b.String() + mig.Upgrade + mig.Downgrade
	}
	require.Equal(t, outs[0], outs[1])
}
