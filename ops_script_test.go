package wfo_test

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/cli"
	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/internal/opstest"
)

// opsApp is the application of the process, subscription, workflow and serve tests: the example's products and
// workflows, two tasks that suspend and fail on purpose (package opstest), and a command of its own.
func opsApp() *wfo.App {
	return wfo.New(
		wfo.WithName("wfo-ops"),
		wfo.WithProducts(netapp.Products),
		wfo.WithEmbeddedRevisions(netapp.Migrations, "netapp:migrations"),
		wfo.WithEmbeddedRevisions(opstest.Migrations, "opstest:migrations"),
		wfo.WithWorkflows(netapp.Workflows...),
		wfo.WithWorkflows(opstest.Tasks...),
		opsCommands,
	)
}

// opsCommands is the test application's command of its own.
var opsCommands = wfo.WithCommands(func() *cobra.Command {
	return &cobra.Command{Use: "hello", Short: "Say hello.", RunE: func(cmd *cobra.Command, _ []string) error {
		_, err := fmt.Fprintln(cmd.OutOrStdout(), "hello from the application")
		return err
	}}
})

func opsTestApp() { cli.Main(opsApp()) }
