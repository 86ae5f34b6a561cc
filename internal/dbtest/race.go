package dbtest

import (
	"os"
	"strings"
)

// ChildGORACE is the GORACE setting for the commands a test runs from its own binary (script tests run it
// hundreds of times). A binary built with -race sleeps one second before it exits, the race detector's default
// atexit_sleep_ms, which would make those commands take seconds each; this turns the sleep off unless GORACE
// already sets it, and keeps GORACE's other options. Without -race the variable is ignored.
func ChildGORACE() string {
	g := os.Getenv("GORACE")
	if strings.Contains(g, "atexit_sleep_ms") {
		return g
	}
	return strings.TrimSpace(g + " atexit_sleep_ms=0")
}
