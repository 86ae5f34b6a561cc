package settings_test

import (
	"testing"
	"time"

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
	require.Equal(t, 30*time.Second, s.ProcessLease)
	require.Equal(t, 10*time.Second, s.ProcessLeaseRenew)
}

func TestProcessLease(t *testing.T) {
	t.Parallel()
	s, err := settings.Load([]string{"WFO_PROCESS_LEASE=2m", "WFO_PROCESS_LEASE_RENEW=20"})
	require.NoError(t, err)
	require.Equal(t, 2*time.Minute, s.ProcessLease)
	require.Equal(t, 20*time.Second, s.ProcessLeaseRenew)
	s, err = settings.Load([]string{"WFO_PROCESS_LEASE=1500ms", "WFO_PROCESS_LEASE_RENEW=250ms"})
	require.NoError(t, err)
	require.Equal(t, 1500*time.Millisecond, s.ProcessLease)
	require.Equal(t, 250*time.Millisecond, s.ProcessLeaseRenew)
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
		"WFO_PROCESS_LEASE=soon":                `settings: WFO_PROCESS_LEASE="soon" is not valid: use a positive duration such as "30s"`,
		"WFO_PROCESS_LEASE=-5s":                 `settings: WFO_PROCESS_LEASE="-5s" is not valid`,
		"WFO_PROCESS_LEASE_RENEW=30s":           `settings: WFO_PROCESS_LEASE_RENEW="30s" is not valid: use a lease longer than its renewal interval (now WFO_PROCESS_LEASE=30s, WFO_PROCESS_LEASE_RENEW=30s)`,
		"WFO_PROCESS_LEASE=5s":                  `settings: WFO_PROCESS_LEASE="5s" is not valid: use a lease longer than its renewal interval`,
	} {
		_, err := settings.Load([]string{env})
		require.ErrorContains(t, err, want)
	}
}
