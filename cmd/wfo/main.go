// Command wfo is the Workflow Orchestrator's command line with nothing registered: the core's revisions,
// commands and schedules only. Applications build the same command line around their own registrations with
// packages wfo and cli.
package main

import (
	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/cli"
)

func main() {
	cli.Main(wfo.New())
}
