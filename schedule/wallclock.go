package schedule

import "time"

// Zone changes are found by probing offsets rather than with time.Time.ZoneBounds, which for some zones returns
// bounds that do not contain the time asked about (America/St_Johns at the end of 2040, beyond the explicit
// transitions of the zone data). No real zone keeps an offset for less than probeStep.
const probeStep = 30 * time.Minute

func offsetAt(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}

// changeIn returns the first instant in (a, b] at which loc's offset differs from its offset at a.
func changeIn(a, b time.Time, loc *time.Location) (time.Time, bool) {
	off := offsetAt(a, loc)
	lo := a
	for p := a; p.Before(b); {
		p = p.Add(probeStep)
		if p.After(b) {
			p = b
		}
		if offsetAt(p, loc) != off {
			// The offset changes in (lo, p]: narrow it down to the nanosecond.
			hi := p
			for hi.Sub(lo) > time.Nanosecond {
				mid := lo.Add(hi.Sub(lo) / 2)
				if offsetAt(mid, loc) == off {
					lo = mid
				} else {
					hi = mid
				}
			}
			return hi, true
		}
		lo = p
	}
	return time.Time{}, false
}

// resolve returns the instant at which the clocks of loc show the wall-clock time y-m-d hh:mm:ss.
//
// Around a daylight-saving change a wall-clock time can occur twice or not at all. A time the clocks pass twice
// (when they are set back) resolves to its first occurrence, so a daily run happens once. A time the clocks skip
// (when they are set forward) resolves to the moment of the change, when that time would have come: the run is
// late rather than lost. time.Date leaves both cases unspecified, hence this function.
func resolve(y int, m time.Month, d, hh, mm, ss int, loc *time.Location) time.Time {
	// The wall-clock time read as UTC; the instant is this minus the offset in effect at that instant, and
	// offsets lie within -12h..+14h.
	wall := time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
	if loc == time.UTC {
		return wall
	}
	offsets := map[int]bool{}
	for p := wall.Add(-15 * time.Hour); !p.After(wall.Add(13 * time.Hour)); p = p.Add(probeStep) {
		offsets[offsetAt(p, loc)] = true
	}
	var first, gapEnd time.Time
	for off := range offsets {
		c := wall.Add(-secs(off))
		if offsetAt(c, loc) == off {
			if first.IsZero() || c.Before(first) {
				first = c
			}
			continue
		}
		// Read with this offset the wall time lies after a change to a larger one that skipped it; read with
		// the other offsets it lies before: the change in between is the jump over it.
		for other := range offsets {
			if other <= off {
				continue
			}
			before := wall.Add(-secs(other))
			if offsetAt(before, loc) == off && offsetAt(c, loc) == other {
				if t, ok := changeIn(before, c, loc); ok && (gapEnd.IsZero() || t.Before(gapEnd)) {
					gapEnd = t
				}
			}
		}
	}
	switch {
	case !first.IsZero():
		return first.In(loc)
	case !gapEnd.IsZero():
		return gapEnd.In(loc)
	}
	return time.Date(y, m, d, hh, mm, ss, 0, loc) // not reached with real zone data
}

func secs(n int) time.Duration { return time.Duration(n) * time.Second }

// isJump reports whether t is the moment loc's clocks are set forward, and returns the offsets before and after.
func isJump(t time.Time, loc *time.Location) (before, after int, ok bool) {
	before, after = offsetAt(t.Add(-time.Nanosecond), loc), offsetAt(t, loc)
	return before, after, after > before
}

// nextPosition returns the first instant after t (or at t, when inclusive) at which the clocks of loc are at
// position pos within a period of one minute or one hour: ":SS" of every minute, "MM:SS" of every hour. Positions
// follow the local clock, so in a zone whose offset is not a whole number of hours (or changes by half an hour)
// "every hour at 10:00" still means ten past on the clocks of that zone.
func nextPosition(t time.Time, loc *time.Location, period, pos time.Duration, inclusive bool) time.Time {
	cur := t
	for {
		at := positionIn(cur.In(loc), period)
		d := pos - at
		if d < 0 || (d == 0 && !inclusive) {
			d += period
		}
		c := cur.Add(d)
		change, ok := changeIn(cur, c, loc)
		if !ok {
			return c.In(loc)
		}
		// The offset changes before c: look again from the change on, which may itself be a match.
		cur, inclusive = change, true
	}
}

// positionIn is how far the local clock of t is into its current minute or hour.
func positionIn(t time.Time, period time.Duration) time.Duration {
	p := time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
	if period == time.Hour {
		p += time.Duration(t.Minute()) * time.Minute
	}
	return p
}
