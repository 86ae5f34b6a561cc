// Package pytext writes and reads values in the text forms the reference's Python writes: str() and isoformat()
// of an aware datetime, and str() of an IP address. The database's timestamp codec (package database) and the
// domain model's stored values and JSON (package domain) share these one implementations.
package pytext

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Time is Python's str() of an aware datetime in t's own offset: YYYY-MM-DD HH:MM:SS[.ffffff]+HH:MM, with
// microseconds only when they are not zero (nanoseconds are truncated) and seconds in the offset only when the
// offset has them.
func Time(t time.Time) string {
	layout := "2006-01-02 15:04:05"
	if t.Nanosecond()/1000 != 0 {
		layout += ".000000"
	}
	return t.Format(layout) + offset(t)
}

// ISOSeconds is the reference's JSON form of an aware datetime: isoformat() truncated to the second, a T between
// date and time and the numeric offset of t ("2025-02-01T12:00:05+02:00"; never Z).
func ISOSeconds(t time.Time) string { return t.Format("2006-01-02T15:04:05") + offset(t) }

// offset is Python's form of t's UTC offset: +HH:MM, or +HH:MM:SS when it has seconds.
func offset(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	s := fmt.Sprintf("%c%02d:%02d", sign, off/3600, off/60%60)
	if off%60 != 0 {
		s += fmt.Sprintf(":%02d", off%60)
	}
	return s
}

// ParseTime reads a datetime in any form the two databases and the reference write: a space or T between date and
// time, optional fractional seconds, an offset (+00:00, Z, +02, +05:30) or none (taken as UTC). The result keeps
// the offset it was written with; a zero offset is UTC. ok is false when s is none of these.
func ParseTime(s string) (t time.Time, ok bool) {
	norm := strings.Replace(s, "T", " ", 1)
	for _, layout := range []string{"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999Z07", "2006-01-02 15:04:05.999999999Z07:00:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, norm); err == nil {
			_, off := t.Zone()
			if off == 0 {
				return t.UTC(), true
			}
			// Not the machine's local zone even when the offset matches it: what was written is what is kept.
			return t.In(time.FixedZone("", off)), true
		}
	}
	return time.Time{}, false
}

// Addr is Python's str() of an IP address: as netip writes it, except that an IPv4-mapped IPv6 address is written
// in hexadecimal groups (::ffff:a00:1, not ::ffff:10.0.0.1), as Python's ipaddress module does.
func Addr(a netip.Addr) string {
	if !a.Is4In6() {
		return a.String()
	}
	b := a.As16()
	var groups [8]string
	for i := range groups {
		g := strings.TrimLeft(hex.EncodeToString(b[2*i:2*i+2]), "0")
		if g == "" {
			g = "0"
		}
		groups[i] = g
	}
	// Compress the longest run of two or more zero groups, the first of equal runs (RFC 5952, as Python does).
	best, bestLen := -1, 1
	for i := 0; i < len(groups); {
		if groups[i] != "0" {
			i++
			continue
		}
		j := i
		for j < len(groups) && groups[j] == "0" {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	var s string
	if best < 0 {
		s = strings.Join(groups[:], ":")
	} else {
		s = strings.Join(groups[:best], ":") + "::" + strings.Join(groups[best+bestLen:], ":")
	}
	if z := a.Zone(); z != "" {
		s += "%" + z
	}
	return s
}

// Prefix is Python's str() of an IP network or interface: Addr of its address, a slash and its length.
func Prefix(p netip.Prefix) string {
	if !p.Addr().Is4In6() {
		return p.String()
	}
	return fmt.Sprintf("%s/%d", Addr(p.Addr()), p.Bits())
}
