package filelock

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTryLockExcludesASecondHolder(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.lock")
	first, err := TryLock(path)
	require.NoError(t, err)
	require.NotNil(t, first)
	second, err := TryLock(path)
	require.NoError(t, err)
	require.Nil(t, second, "a second lock while the first is held")
	first.Unlock()
	third, err := Wait(path)
	require.NoError(t, err)
	require.NotNil(t, third)
	third.Unlock()
}
