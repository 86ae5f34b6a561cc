// Command wfo is the Workflow Orchestrator's command line with nothing registered: the core's revisions,
// commands and schedules only. Applications build the same command line around their own registrations with
// package wfo.
package main

import (
	"os"

	"github.com/wfo-go/wfo"
)

func main() {
	os.Exit(wfo.New().Main(os.Args[1:]))
}
