package settings_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/settings"
)

func TestDefaults(t *testing.T) {
	t.Parallel()
	s, err := settings.Load(nil)
	require.NoError(t, err)
	require.Equal(t, "", s.DatabaseURI)
	require.True(t, s.Testing)
	require.Equal(t, 5, s.MaxWorkers)
	require.Equal(t, 3, s.TaskLogRetentionDays)
	require.Equal(t, []string{"modify_note"}, s.DefaultProductWorkflows)
	require.Equal(t, "UTC", s.Timezone)
}

func TestFromEnvironment(t *testing.T) {
	t.Parallel()
	s, err := settings.Load([]string{
		"database_uri=postgresql://u:p@h/db", "TESTING=false", "MAX_WORKERS=8", "TASK_LOG_RETENTION_DAYS=0",
		`DEFAULT_PRODUCT_WORKFLOWS=["modify_note","validate"]`, "VALIDATE_OUT_OF_SYNC_SUBSCRIPTIONS=1",
	})
	require.NoError(t, err)
	require.Equal(t, "postgresql://u:p@h/db", s.DatabaseURI)
	require.False(t, s.Testing)
	require.Equal(t, 8, s.MaxWorkers)
	require.Equal(t, 0, s.TaskLogRetentionDays)
	require.Equal(t, []string{"modify_note", "validate"}, s.DefaultProductWorkflows)
	require.True(t, s.ValidateOutOfSyncSubscriptions)
}

func TestInvalidValuesNameTheVariable(t *testing.T) {
	t.Parallel()
	for env, want := range map[string]string{
		"TESTING=maybe":                         `settings: TESTING="maybe" is not valid: use true or false`,
		"MAX_WORKERS=0":                         `settings: MAX_WORKERS="0" is not valid: use an integer >= 1`,
		"DEFAULT_PRODUCT_WORKFLOWS=modify_note": `settings: DEFAULT_PRODUCT_WORKFLOWS="modify_note" is not valid: use a JSON list`,
		"EXECUTOR=celery":                       `settings: EXECUTOR="celery" is not valid: use threadpool`,
	} {
		_, err := settings.Load([]string{env})
		require.ErrorContains(t, err, want)
	}
}
