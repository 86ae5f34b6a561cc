package schedule_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/schedule"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func at(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
	require.NoError(t, err)
	return v
}

// The reference's every/at rules (schedule 1.1.0), in UTC.
func TestNextEveryAndAt(t *testing.T) {
	t.Parallel()
	utc := time.UTC
	for _, tc := range []struct {
		rule, after, want string
	}{
		// Intervals: one full period after the previous run ended (or the scheduler started).
		{"every 1 second", "2026-11-25 10:00:00", "2026-11-25 10:00:01"},
		{"every 30 seconds", "2026-11-25 10:00:00", "2026-11-25 10:00:30"},
		{"every 1 hour", "2026-11-25 10:17:03", "2026-11-25 11:17:03"},
		{"every 6 hours", "2026-11-25 22:00:00", "2026-11-26 04:00:00"},
		{"every 2 days", "2026-11-25 10:00:00", "2026-11-27 10:00:00"},
		{"every 1 week", "2026-11-25 10:00:00", "2026-12-02 10:00:00"},
		// Daily at: today while the time is still ahead, else tomorrow.
		{"every 1 day at 00:10", "2026-11-25 00:09:59", "2026-11-25 00:10:00"},
		{"every 1 day at 00:10", "2026-11-25 00:10:00", "2026-11-26 00:10:00"},
		{"every 1 day at 02:30", "2026-11-25 10:00:00", "2026-11-26 02:30:00"},
		{"every 1 day at 23:59:59", "2026-12-31 23:59:59", "2027-01-01 23:59:59"},
		{"every 2 days at 10:00", "2026-11-25 10:00:05", "2026-11-27 10:00:00"},
		{"every 1 week at 08:00", "2026-11-25 09:00:00", "2026-12-02 08:00:00"},
		// Hourly at MM:SS or :MM, minutely at :SS.
		{"every 1 hour at 15:00", "2026-11-25 10:10:00", "2026-11-25 10:15:00"},
		{"every 1 hour at :15", "2026-11-25 10:20:00", "2026-11-25 11:15:00"},
		{"every 2 hours at 05:30", "2026-11-25 10:20:00", "2026-11-25 12:05:30"},
		{"every 1 minute at :30", "2026-11-25 10:20:31", "2026-11-25 10:21:30"},
		{"every 1 minute at :30", "2026-11-25 10:20:29", "2026-11-25 10:20:30"},
		// Cron.
		{"cron 10 0 * * *", "2026-11-25 00:10:00", "2026-11-26 00:10:00"},
		{"cron */15 * * * *", "2026-11-25 10:16:00", "2026-11-25 10:30:00"},
		{"cron 0 9 * * mon-fri", "2026-11-27 09:00:00", "2026-11-30 09:00:00"},
		{"cron 0 0 29 2 *", "2026-03-01 00:00:00", "2028-02-29 00:00:00"},
		{"cron 0 12 1 * 0", "2026-11-25 00:00:00", "2026-11-29 12:00:00"}, // day of month OR day of week
		{"cron @monthly", "2026-11-25 00:00:00", "2026-12-01 00:00:00"},
		{"cron 30 4 * * 7", "2026-11-25 00:00:00", "2026-11-29 04:30:00"}, // 7 is Sunday
	} {
		r, err := schedule.ParseRule(tc.rule)
		require.NoError(t, err, tc.rule)
		got := r.Next(at(t, utc, tc.after), utc)
		require.Equal(t, at(t, utc, tc.want), got, "%s after %s", tc.rule, tc.after)
	}
}

// Wall-clock times in a zone with daylight saving: Europe/Amsterdam moves from 02:00 CET to 03:00 CEST on
// 2026-03-29 and from 03:00 CEST back to 02:00 CET on 2026-10-25.
func TestNextAcrossDaylightSaving(t *testing.T) {
	t.Parallel()
	ams := mustLoc(t, "Europe/Amsterdam")
	for _, tc := range []struct {
		rule, after, want string // in Amsterdam time; want "...Z" is UTC
	}{
		// A daily time keeps its wall-clock time across the change.
		{"every 1 day at 00:10", "2026-03-28 00:10:00", "2026-03-29 00:10:00"},
		{"every 1 day at 00:10", "2026-03-29 00:10:00", "2026-03-30 00:10:00"},
		{"every 1 day at 00:10", "2026-10-25 00:10:00", "2026-10-26 00:10:00"},
		// 02:30 does not exist on 2026-03-29: the run comes at the jump (03:00 CEST).
		{"every 1 day at 02:30", "2026-03-28 02:30:00", "2026-03-29 03:00:00"},
		{"every 1 day at 02:30", "2026-03-29 03:00:00", "2026-03-30 02:30:00"},
		// Days without at keep the wall-clock time.
		{"every 1 day", "2026-03-28 12:00:00", "2026-03-29 12:00:00"},
		// cron too.
		{"cron 30 2 * * *", "2026-03-28 02:30:00", "2026-03-29 03:00:00"},
		{"cron 0 9 * * *", "2026-10-24 09:00:00", "2026-10-25 09:00:00"},
	} {
		r := schedule.MustParseRule(tc.rule)
		got := r.Next(at(t, ams, tc.after), ams)
		require.Equal(t, at(t, ams, tc.want).String(), got.String(), "%s after %s", tc.rule, tc.after)
	}

	// The first 02:30 on 2026-10-25 is 00:30 UTC, the second 01:30 UTC; it runs once.
	r := schedule.Every(1, schedule.Day).At("02:30")
	first := r.Next(at(t, ams, "2026-10-24 02:30:00"), ams)
	require.Equal(t, "2026-10-25T00:30:00Z", first.UTC().Format(time.RFC3339))
	require.Equal(t, "2026-10-26T01:30:00Z", r.Next(first, ams).UTC().Format(time.RFC3339))
	// Hours are elapsed time: every hour at :15 runs through both 02:15s.
	h := schedule.Every(1, schedule.Hour).At(":15")
	var got []string
	for x := at(t, ams, "2026-10-25 01:00:00"); len(got) < 4; {
		x = h.Next(x, ams)
		got = append(got, x.Format("15:04 MST"))
	}
	require.Equal(t, []string{"01:15 CEST", "02:15 CEST", "02:15 CET", "03:15 CET"}, got)
	// and skips none in spring: 01:15 CET is followed by 03:15 CEST, one hour later.
	x := h.Next(at(t, ams, "2026-03-29 01:00:00"), ams)
	y := h.Next(x, ams)
	require.Equal(t, "01:15 CET", x.Format("15:04 MST"))
	require.Equal(t, "03:15 CEST", y.Format("15:04 MST"))
	require.Equal(t, time.Hour, y.Sub(x))
}

// Lord Howe Island moves its clocks by half an hour; "at :10" follows its clocks.
func TestNextHalfHourShift(t *testing.T) {
	t.Parallel()
	lh := mustLoc(t, "Australia/Lord_Howe")
	h := schedule.Every(1, schedule.Hour).At("10:00")
	// 2026-10-04 02:00 +1030 becomes 02:30 +11: 02:10 does not exist, the next :10 is 03:10.
	x := h.Next(at(t, lh, "2026-10-04 01:20:00"), lh)
	require.Equal(t, "2026-10-04 03:10 +1100", x.Format("2006-01-02 15:04 -0700"))
	// 2026-04-05 02:00 +11 becomes 01:30 +1030: 01:20 +11 is followed by 02:10 +1030.
	x = h.Next(at(t, lh, "2026-04-05 01:20:00"), lh)
	require.Equal(t, "2026-04-05 02:10 +1030", x.Format("2006-01-02 15:04 -0700"))
}

func TestParseRuleRoundTripAndErrors(t *testing.T) {
	t.Parallel()
	for text, canonical := range map[string]string{
		"every hour":             "every 1 hour",
		"every 6 hours":          "every 6 hours",
		"Every 1 Day at 00:10":   "every 1 day at 00:10",
		"every day at 00:10:30":  "every 1 day at 00:10:30",
		"every hour at :05":      "every 1 hour at 05:00",
		"every 2 minutes at :07": "every 2 minutes at :07",
		"every 3 weeks at 08:00": "every 3 weeks at 08:00",
		"cron   10 0 *  * *":     "cron 10 0 * * *",
		"cron @DAILY":            "cron @daily",
		"cron 0 9 * jan-mar MON": "cron 0 9 * jan-mar MON",
		"every 1 seconds":        "every 1 second",
	} {
		r, err := schedule.ParseRule(text)
		require.NoError(t, err, text)
		require.Equal(t, canonical, r.String())
		again, err := schedule.ParseRule(r.String())
		require.NoError(t, err)
		require.Equal(t, r.String(), again.String())
	}
	for text, want := range map[string]string{
		"":                        "empty rule",
		"sometimes":               `use "every N units [at TIME]" or "cron EXPRESSION"`,
		"every 0 hours":           "the period must be at least 1",
		"every 2 fortnights":      `unknown unit "fortnights"`,
		"every":                   "the unit is missing",
		"every 1 day at 24:00":    "use HH:MM or HH:MM:SS",
		"every 1 day at 7:00":     "use HH:MM or HH:MM:SS",
		"every 1 hour at 10":      "use MM:SS or :MM for hours",
		"every 1 minute at 10:00": "use :SS for minutes",
		"every 10 seconds at :05": "only days, weeks, hours and minutes can have an at time",
		"every 1 day on monday":   `unexpected "on monday"`,
		"cron * * * *":            "4 fields",
		"cron 60 * * * *":         `minute field "60": "60" is not a value: use 0-59`,
		"cron 0 0 30 2 *":         "no date matches",
		"cron 0 0 * * 1-0":        "goes backwards",
		"cron */0 * * * *":        `step "0"`,
		"cron @sometimes":         "unknown macro",
		"cron 0 0 * foo *":        "use 1-12 or jan-dec",
	} {
		_, err := schedule.ParseRule(text)
		require.ErrorIs(t, err, schedule.ErrInvalidRule, text)
		require.ErrorContains(t, err, want, text)
	}
	require.ErrorContains(t, schedule.Rule{}.Err(), "no rule")
	require.ErrorContains(t, schedule.Every(1, schedule.Unit(9)).Err(), "unknown unit")
	require.ErrorContains(t, schedule.Cron("0 0 * * *").At("10:00").Err(), "a cron rule has no at time")
	require.True(t, schedule.Rule{}.Next(time.Now(), nil).IsZero())
}

// Cron in UTC agrees with a minute-by-minute search.
func TestCronAgainstBruteForce(t *testing.T) {
	t.Parallel()
	specs := []string{"* * * * *", "*/7 3-5 * * *", "0 0 1,15 * *", "5 4 * * sun", "0 22 * * 1-5", "15 10 13 * 5",
		"0 0 1 1 *", "1-59/10 */5 * 2-11/3 *", "0 12 * * 0,6", "30 23 31 * *"}
	start := time.Date(2026, 2, 27, 23, 58, 0, 0, time.UTC)
	for _, spec := range specs {
		r := schedule.Cron(spec)
		require.NoError(t, r.Err(), spec)
		after := start
		for i := 0; i < 20 && after.Before(start.AddDate(0, 2, 0)); i++ {
			want := after.Truncate(time.Minute).Add(time.Minute)
			for !r.Matches(want, time.UTC) {
				want = want.Add(time.Minute)
			}
			got := r.Next(after, time.UTC)
			require.Equal(t, want, got, "%s after %s", spec, after)
			after = got.Add(17 * time.Second)
		}
	}
}
