// Package settings reads wfo's configuration from the environment, with the names and defaults of
// orchestrator-core's AppSettings (variable names are matched case-insensitively, lists are JSON).
package settings

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Settings are the values the CLI, the engine and the scheduler read.
type Settings struct {
	// DatabaseURI is DATABASE_URI; empty means the embedded SQLite file wfo.db in the working directory.
	DatabaseURI string
	// Testing runs processes synchronously (TESTING, default true as in the reference).
	Testing bool
	// Executor is "threadpool" (EXECUTOR).
	Executor string
	// MaxWorkers is the size of the worker pool (MAX_WORKERS, default 5).
	MaxWorkers int
	// TaskLogRetentionDays is how long task_clean_up_tasks keeps finished tasks (TASK_LOG_RETENTION_DAYS, default 3).
	TaskLogRetentionDays int
	// ValidateOutOfSyncSubscriptions makes the validator include out-of-sync subscriptions
	// (VALIDATE_OUT_OF_SYNC_SUBSCRIPTIONS, default false).
	ValidateOutOfSyncSubscriptions bool
	// DefaultProductWorkflows are linked to every product (DEFAULT_PRODUCT_WORKFLOWS, default ["modify_note"]).
	DefaultProductWorkflows []string
	// SkipModelForMigrationDBDiff lists models migrate-domain-models ignores (SKIP_MODEL_FOR_MIGRATION_DB_DIFF).
	SkipModelForMigrationDBDiff []string
	// TranslationsDir is TRANSLATIONS_DIR (unset by default).
	TranslationsDir string
	// CacheURI is CACHE_URI (default redis://localhost:6379/0); wfo does not need a cache, it is kept for parity.
	CacheURI string
	// LogLevel is LOG_LEVEL (default DEBUG in the reference; wfo logs at INFO unless told otherwise).
	LogLevel string
	// Environment and ServiceName label logs (ENVIRONMENT, SERVICE_NAME).
	Environment, ServiceName string
	// Timezone is the scheduler's time zone (WFO_TIMEZONE, default UTC).
	Timezone string
	// ProcessLease is how long an engine's claim on a running process lasts unless renewed (WFO_PROCESS_LEASE,
	// default 30s): a process whose engine was killed is continued by another engine this long after the engine's
	// last renewal. ProcessLeaseRenew is how often an engine renews its claims (WFO_PROCESS_LEASE_RENEW, default
	// 10s), below ProcessLease. Both are Go durations ("45s", "2m") or whole seconds.
	ProcessLease, ProcessLeaseRenew time.Duration
}

// FromEnvironment reads the settings from the process environment.
func FromEnvironment() (Settings, error) { return Load(os.Environ()) }

// Load reads the settings from environment entries of the form NAME=value.
func Load(environ []string) (Settings, error) {
	env := map[string]string{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok {
			env[strings.ToUpper(k)] = v
		}
	}
	s := Settings{
		Testing:                 true,
		Executor:                "threadpool",
		MaxWorkers:              5,
		TaskLogRetentionDays:    3,
		DefaultProductWorkflows: []string{"modify_note"},
		CacheURI:                "redis://localhost:6379/0",
		LogLevel:                "INFO",
		Environment:             "local",
		ServiceName:             "orchestrator-core",
		Timezone:                "UTC",
		ProcessLease:            30 * time.Second,
		ProcessLeaseRenew:       10 * time.Second,
	}
	r := reader{env: env}
	r.str("DATABASE_URI", &s.DatabaseURI)
	r.boolean("TESTING", &s.Testing)
	r.str("EXECUTOR", &s.Executor)
	r.integer("MAX_WORKERS", &s.MaxWorkers, 1)
	r.integer("TASK_LOG_RETENTION_DAYS", &s.TaskLogRetentionDays, 0)
	r.boolean("VALIDATE_OUT_OF_SYNC_SUBSCRIPTIONS", &s.ValidateOutOfSyncSubscriptions)
	r.list("DEFAULT_PRODUCT_WORKFLOWS", &s.DefaultProductWorkflows)
	r.list("SKIP_MODEL_FOR_MIGRATION_DB_DIFF", &s.SkipModelForMigrationDBDiff)
	r.str("TRANSLATIONS_DIR", &s.TranslationsDir)
	r.str("CACHE_URI", &s.CacheURI)
	r.str("LOG_LEVEL", &s.LogLevel)
	r.str("ENVIRONMENT", &s.Environment)
	r.str("SERVICE_NAME", &s.ServiceName)
	r.str("WFO_TIMEZONE", &s.Timezone)
	r.duration("WFO_PROCESS_LEASE", &s.ProcessLease)
	r.duration("WFO_PROCESS_LEASE_RENEW", &s.ProcessLeaseRenew)
	if r.err == nil && s.ProcessLeaseRenew >= s.ProcessLease {
		name, v := "WFO_PROCESS_LEASE_RENEW", r.env["WFO_PROCESS_LEASE_RENEW"]
		if _, ok := r.env[name]; !ok {
			name, v = "WFO_PROCESS_LEASE", r.env["WFO_PROCESS_LEASE"]
		}
		r.fail(name, v, fmt.Sprintf("a lease longer than its renewal interval (now WFO_PROCESS_LEASE=%s, WFO_PROCESS_LEASE_RENEW=%s)", s.ProcessLease, s.ProcessLeaseRenew))
	}
	if s.Executor != "threadpool" {
		r.fail("EXECUTOR", s.Executor, "threadpool (wfo has no celery executor)")
	}
	return s, r.err
}

type reader struct {
	env map[string]string
	err error
}

func (r *reader) fail(name, value, valid string) {
	if r.err == nil {
		r.err = fmt.Errorf("settings: %s=%q is not valid: use %s", name, value, valid)
	}
}

func (r *reader) str(name string, dst *string) {
	if v, ok := r.env[name]; ok {
		*dst = v
	}
}

func (r *reader) boolean(name string, dst *bool) {
	v, ok := r.env[name]
	if !ok {
		return
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on", "t", "y":
		*dst = true
	case "0", "false", "no", "off", "f", "n":
		*dst = false
	default:
		r.fail(name, v, "true or false (also 1/0, yes/no, on/off)")
	}
}

func (r *reader) integer(name string, dst *int, minimum int) {
	v, ok := r.env[name]
	if !ok {
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < minimum {
		r.fail(name, v, fmt.Sprintf("an integer >= %d", minimum))
		return
	}
	*dst = n
}

func (r *reader) duration(name string, dst *time.Duration) {
	v, ok := r.env[name]
	if !ok {
		return
	}
	s := strings.TrimSpace(v)
	d, err := time.ParseDuration(s)
	if n, nerr := strconv.Atoi(s); nerr == nil {
		d, err = time.Duration(n)*time.Second, nil
	}
	if err != nil || d < time.Millisecond {
		r.fail(name, v, `a positive duration such as "30s" or "2m", or whole seconds`)
		return
	}
	*dst = d
}

func (r *reader) list(name string, dst *[]string) {
	v, ok := r.env[name]
	if !ok {
		return
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		r.fail(name, v, `a JSON list of strings, e.g. ["modify_note"]`)
		return
	}
	*dst = out
}
