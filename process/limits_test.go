package process

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTextLimits(t *testing.T) {
	t.Parallel()
	require.Equal(t, "ab", firstChars("abc", 2))
	require.Equal(t, "abc", firstChars("abc", 5))
	require.Equal(t, "éü", firstChars("éüx", 2))
	require.Equal(t, "bc", lastChars("abc", 2))
	require.Equal(t, "abc", lastChars("abc", 3))
	require.Equal(t, "üx", lastChars("éüx", 2))
	long := strings.Repeat("é", maxTraceback+7)
	require.Equal(t, maxTraceback, len([]rune(lastChars(long, maxTraceback))))
	require.Equal(t, maxFailedReason, len([]rune(firstChars(long, maxFailedReason))))
}
