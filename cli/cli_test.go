package cli_test

import (
	"bytes"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/cli"
)

// TestRun runs the command line in-process with the public API only: the application's own command, usage errors
// and failures map to the documented exit codes.
func TestRun(t *testing.T) {
	t.Parallel()
	hello := wfo.WithCommands(func() *cobra.Command {
		return &cobra.Command{Use: "hello", RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := cmd.OutOrStdout().Write([]byte("hello\n"))
			return err
		}}
	})
	app := wfo.New(wfo.WithName("myapp"), hello)
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		env := cli.WithEnviron([]string{"DATABASE_URI=sqlite:///" + t.TempDir() + "/x.db"})
		code := cli.Run(t.Context(), app, args, cli.WithIO(strings.NewReader(""), &out, &errOut), env)
		return code, out.String(), errOut.String()
	}
	code, out, _ := run("hello")
	require.Equal(t, cli.ExitOK, code)
	require.Equal(t, "hello\n", out)

	code, _, errOut := run("no-such-command")
	require.Equal(t, cli.ExitUsage, code)
	require.Contains(t, errOut, "Try 'myapp --help' for help.")

	code, _, errOut = run("db", "upgrade", "nosuchrevision")
	require.Equal(t, cli.ExitFailure, code)
	require.True(t, strings.HasPrefix(errOut, "FAILED: "), errOut)

	root := cli.Command(app)
	require.Equal(t, "myapp", root.Name())
	var names []string
	for _, c := range root.Commands() {
		names = append(names, c.Name())
	}
	require.Subset(t, names, []string{"db", "process", "scheduler", "serve", "hello"})
}

// The application's logger (wfo.WithLogger) is the command line's: the migrator logs through it, not to stderr.
func TestRunUsesTheApplicationsLogger(t *testing.T) {
	t.Parallel()
	var logs, errOut bytes.Buffer
	app := wfo.New(wfo.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	code := cli.Run(t.Context(), app, []string{"db", "upgrade", "heads"}, cli.WithIO(nil, io.Discard, &errOut),
		cli.WithEnviron([]string{"DATABASE_URI=sqlite:///" + t.TempDir() + "/x.db"}))
	require.Equal(t, cli.ExitOK, code, errOut.String())
	require.Contains(t, logs.String(), "msg=\"running revision\"")
	require.NotContains(t, errOut.String(), "running revision")
}
