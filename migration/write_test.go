package migration

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestReviseKilledHalfWay stops "db revision" on a project without a data branch after it has put the data root
// in place but before the revision itself, as a SIGKILL there would: the project loads as if nothing had been
// written, the leftovers are removed, and the next revision writes both files.
func TestReviseKilledHalfWay(t *testing.T) {
	dir := t.TempDir()
	p := &Project{Locations: []*Location{DirLocation(dir)}, Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }}
	crashAt = func(stage string) bool { return stage == "rename 1" }
	_, err := p.Revise(ReviseOptions{Message: "first"})
	crashAt = nil
	require.Error(t, err)
	require.Len(t, dirNames(t, dir), 3, "root in place, revision's temporary file and the journal left behind")

	g, err := p.Graph()
	require.NoError(t, err)
	require.Zero(t, g.Len(), "a write that did not finish adds no revision")
	require.Empty(t, dirNames(t, dir), "loading removes what the dead write left")

	paths, err := p.Revise(ReviseOptions{Message: "first"})
	require.NoError(t, err)
	require.Len(t, paths, 2)
	require.Len(t, dirNames(t, dir), 2)
}

// TestNewRevisionFileMode checks that a new revision file gets the permissions of any new file (0666 less the
// umask), not a temporary file's 0600.
func TestNewRevisionFileMode(t *testing.T) {
	dir := t.TempDir()
	p := &Project{Locations: []*Location{DirLocation(dir)}}
	paths, err := p.Revise(ReviseOptions{Message: "first"})
	require.NoError(t, err)
	probe := filepath.Join(t.TempDir(), "probe")
	require.NoError(t, os.WriteFile(probe, nil, 0o666))
	want, err := os.Stat(probe)
	require.NoError(t, err)
	for _, path := range paths {
		st, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, want.Mode().Perm(), st.Mode().Perm(), path)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}
