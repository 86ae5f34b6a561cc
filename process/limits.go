package process

import "database/sql"

// The reference limits the text columns of processes (its revision d69e10434a04): a failure reason keeps its
// first 10,000 characters, a traceback its last 50,000 (where the failing call is).
const (
	maxFailedReason = 10000
	maxTraceback    = 50000
)

// firstChars keeps the first n characters (not bytes) of s.
func firstChars(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// lastChars keeps the last n characters (not bytes) of s.
func lastChars(s string, n int) string {
	count := 0
	for i := len(s); i > 0; {
		i--
		for i > 0 && s[i]&0xC0 == 0x80 { // continuation byte of a UTF-8 sequence
			i--
		}
		count++
		if count == n {
			return s[i:]
		}
	}
	return s
}

func limitReason(s sql.NullString) sql.NullString {
	s.String = firstChars(s.String, maxFailedReason)
	return s
}

func limitTraceback(s sql.NullString) sql.NullString {
	s.String = lastChars(s.String, maxTraceback)
	return s
}
