package schedule_test

import (
	"testing"
	"time"

	"github.com/wfo-go/wfo/schedule"
)

var fuzzZones = []string{"UTC", "Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
	"America/St_Johns", "Pacific/Chatham", "Antarctica/Troll", "America/Santiago", "Pacific/Apia"}

// checkNext holds the properties of every next run: strictly in the future, at a time the rule names, and for
// plain intervals exactly one period later.
func checkNext(t *testing.T, r schedule.Rule, after time.Time, loc *time.Location) {
	t.Helper()
	next := r.Next(after, loc)
	if next.IsZero() {
		t.Fatalf("%s after %s in %s: no next run", r, after, loc)
	}
	if !next.After(after) {
		t.Fatalf("%s after %s in %s: next run %s is not in the future", r, after, loc, next)
	}
	if !r.Matches(next, loc) {
		t.Fatalf("%s after %s in %s: next run %s does not honour the rule", r, after, loc, next.In(loc))
	}
	if next.Sub(after) > 9*366*24*time.Hour {
		t.Fatalf("%s after %s in %s: next run %s is too far", r, after, loc, next)
	}
	// Monotonic for period-1 rules: a later start never gives an earlier run.
	later := r.Next(after.Add(time.Second), loc)
	if later.Before(next) && !next.Equal(after.Add(time.Second)) {
		s := r.String()
		if len(s) >= 8 && (s[:8] == "every 1 " || s[:5] == "cron ") {
			t.Fatalf("%s: next after %s is %s, but after one second later it is %s", r, after, next, later)
		}
	}
}

func fuzzTime(sec int64, zone uint8) (time.Time, *time.Location) {
	// 1990..2060: zone data is real there, and far enough to cross many changes.
	const lo, span = 631152000, 70 * 365 * 24 * 3600
	if sec < 0 {
		sec = -sec
	}
	loc, err := time.LoadLocation(fuzzZones[int(zone)%len(fuzzZones)])
	if err != nil {
		panic(err)
	}
	return time.Unix(lo+sec%span, sec%1000*1e6).In(loc), loc
}

// FuzzNext builds every/at rules from numbers and checks the next run's properties in zones with daylight
// saving, half-hour offsets and half-hour changes.
func FuzzNext(f *testing.F) {
	f.Add(int64(1774744200), uint8(1), uint8(4), uint8(1), uint32(9000), true) // 2026-03-29 Amsterdam, daily 02:30
	f.Add(int64(1792884600), uint8(1), uint8(4), uint8(1), uint32(9000), true) // 2026-10-25 Amsterdam
	f.Add(int64(1791000000), uint8(3), uint8(3), uint8(1), uint32(600), true)  // Lord Howe, hourly at 10:00
	f.Add(int64(1700000000), uint8(0), uint8(1), uint8(30), uint32(0), false)  // every 30 seconds
	f.Add(int64(1700000000), uint8(7), uint8(5), uint8(2), uint32(3600), true) // Troll, every 2 weeks at 01:00
	f.Add(int64(1600000000), uint8(9), uint8(2), uint8(3), uint32(45), true)   // Apia, every 3 minutes at :45
	f.Fuzz(func(t *testing.T, sec int64, zone, unit, n uint8, pos uint32, hasAt bool) {
		after, loc := fuzzTime(sec, zone)
		u := schedule.Unit(int(unit)%5 + 1)
		r := schedule.Every(int(n)%50+1, u)
		if hasAt {
			p := time.Duration(pos) * time.Second
			switch u {
			case schedule.Day, schedule.Week:
				p %= 24 * time.Hour
				r = r.At(time.Time{}.Add(p).Format("15:04:05"))
			case schedule.Hour:
				p %= time.Hour
				r = r.At(time.Time{}.Add(p).Format("04:05"))
			case schedule.Minute:
				p %= time.Minute
				r = r.At(time.Time{}.Add(p).Format(":05"))
			default:
				return
			}
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		checkNext(t, r, after, loc)
	})
}

// FuzzParseRule reads arbitrary rule text: no panics; a rule that parses prints back to itself and has a next
// run with the properties above.
func FuzzParseRule(f *testing.F) {
	for _, s := range []string{"every 1 hour", "every 6 hours", "every 1 day at 00:10", "every 1 day at 02:30",
		"every hour at :15", "every 2 minutes at :07", "cron 10 0 * * *", "cron */15 1-5 * jan-mar mon,fri",
		"cron @weekly", "cron 0 0 29 2 *", "cron 0 0 31 4 *", "cron 1-59/10 */5 1,15 2-11/3 0-7", "every 0 days"} {
		f.Add(s, int64(1774744200), uint8(1))
	}
	f.Fuzz(func(t *testing.T, text string, sec int64, zone uint8) {
		r, err := schedule.ParseRule(text)
		if err != nil {
			return
		}
		again, err := schedule.ParseRule(r.String())
		if err != nil || again.String() != r.String() {
			t.Fatalf("%q prints as %q, which reads back as %q (%v)", text, r.String(), again.String(), err)
		}
		after, loc := fuzzTime(sec, zone)
		checkNext(t, r, after, loc)
	})
}
