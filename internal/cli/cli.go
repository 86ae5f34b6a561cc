// Package cli builds wfo's command tree (the db, generate and scheduler groups under one root) and runs it:
// top-level completion options, error messages and exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/internal/cli/dbcmd"
	"github.com/wfo-go/wfo/internal/cli/enginecmd"
	"github.com/wfo-go/wfo/internal/cli/generatecmd"
	"github.com/wfo-go/wfo/internal/cli/processcmd"
	"github.com/wfo-go/wfo/internal/cli/schedulercmd"
	"github.com/wfo-go/wfo/internal/cli/servecmd"
	"github.com/wfo-go/wfo/internal/cli/subscriptioncmd"
	"github.com/wfo-go/wfo/internal/cli/workflowcmd"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitInterrupted = 130 // 128 + SIGINT, as shells report a process a signal ended
)

var shells = []string{"bash", "zsh", "fish", "powershell", "pwsh"}

// NewRoot returns the root command with every command group.
func NewRoot(env *base.Env) *cobra.Command {
	root := &cobra.Command{
		Use:           env.Name,
		Short:         "The Workflow Orchestrator's command line: database migrations, processes, subscriptions, the HTTP API and the scheduler.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		CompletionOptions: cobra.CompletionOptions{
			HiddenDefaultCmd: true,
		},
	}
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetIn(env.Stdin)
	root.Flags().String("install-completion", "", "Install completion for the specified shell. [bash|zsh|fish|powershell|pwsh]")
	root.Flags().String("show-completion", "", "Show completion for the specified shell, to copy it or customize the installation. [bash|zsh|fish|powershell|pwsh]")
	root.Flags().Lookup("install-completion").NoOptDefVal = "auto"
	root.Flags().Lookup("show-completion").NoOptDefVal = "auto"
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return fmt.Errorf("%w: %v", base.ErrUsage, err) })
	root.AddCommand(dbcmd.New(env))
	root.AddCommand(generatecmd.New(env))
	root.AddCommand(schedulercmd.New(env))
	root.AddCommand(processcmd.New(env))
	root.AddCommand(subscriptioncmd.New(env))
	root.AddCommand(workflowcmd.New(env))
	root.AddCommand(servecmd.New(env))
	root.AddCommand(enginecmd.New(env))
	for _, c := range env.Commands {
		root.AddCommand(c())
	}
	return root
}

// Run runs the command line args (without the program name) and returns the exit code.
func Run(ctx context.Context, env *base.Env, args []string) int {
	root := NewRoot(env)
	if code, handled := completionOption(root, env, args); handled {
		return code
	}
	root.SetArgs(relativeRevisionArgs(generatecmd.LongOptions(args)))
	return exitCode(env, root, args, root.ExecuteContext(ctx))
}

// exitCode reports err and maps it to the exit code: the one place where errors become exit codes.
func exitCode(env *base.Env, root *cobra.Command, args []string, err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, base.ErrInterrupted):
		return ExitInterrupted
	}
	var exit *base.ExitError
	if errors.As(err, &exit) {
		if exit.Err != nil {
			fmt.Fprintf(env.Stderr, "FAILED: %s\n", firstLine(exit.Err.Error()))
		}
		return exit.Code
	}
	switch {
	case errors.Is(err, base.ErrUsage) || isCobraUsage(err):
		msg := strings.TrimPrefix(err.Error(), base.ErrUsage.Error()+": ")
		fmt.Fprintf(env.Stderr, "Error: %s\nTry '%s --help' for help.\n", msg, commandPath(root, args))
		return ExitUsage
	}
	fmt.Fprintf(env.Stderr, "FAILED: %s\n", firstLine(err.Error()))
	return ExitFailure
}

// relativeRevisionArgs lets "db downgrade -1" and "db upgrade -2" mean a relative revision, as in Alembic, not a
// flag: a "-N" argument after the upgrade or downgrade command word moves to the end, after a "--", so flags
// after it ("db downgrade -1 --sql") are still flags.
func relativeRevisionArgs(args []string) []string {
	seenCommand := false
	for i, a := range args {
		if a == "--" {
			return args
		}
		if (a == "upgrade" || a == "downgrade") && !seenCommand {
			seenCommand = true
		} else if seenCommand && len(a) > 1 && a[0] == '-' && strings.Trim(a[1:], "0123456789") == "" {
			out := make([]string, 0, len(args)+1)
			out = append(out, args[:i]...)
			out = append(out, args[i+1:]...)
			return append(out, "--", a)
		}
	}
	return args
}

// isCobraUsage recognises cobra's own command-line errors.
func isCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.HasPrefix(s, "unknown flag") ||
		strings.HasPrefix(s, "unknown shorthand flag") || strings.HasPrefix(s, "accepts ") ||
		strings.Contains(s, "flag needs an argument") || strings.HasPrefix(s, "invalid argument")
}

func commandPath(root *cobra.Command, args []string) string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil {
		return root.Name()
	}
	return cmd.CommandPath()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// completionOption handles the top-level --install-completion and --show-completion options, which take an
// optional shell name as the next argument (as Typer's do).
func completionOption(root *cobra.Command, env *base.Env, args []string) (int, bool) {
	if len(args) == 0 {
		return 0, false
	}
	opt, value, hasValue := strings.Cut(args[0], "=")
	if opt != "--install-completion" && opt != "--show-completion" {
		return 0, false
	}
	if !hasValue && len(args) > 1 {
		value = args[1]
	}
	shell := value
	if shell == "" {
		shell = filepath.Base(os.Getenv("SHELL"))
		for _, kv := range env.Environ {
			if v, ok := strings.CutPrefix(kv, "SHELL="); ok {
				shell = filepath.Base(v)
			}
		}
	}
	script, err := completionScript(root, shell)
	if err != nil {
		fmt.Fprintf(env.Stderr, "Error: %v\n", err)
		return ExitUsage, true
	}
	if opt == "--show-completion" {
		fmt.Fprint(env.Stdout, script)
		return ExitOK, true
	}
	path, err := installCompletion(env, shell, script)
	if err != nil {
		fmt.Fprintf(env.Stderr, "FAILED: %v\n", err)
		return ExitFailure, true
	}
	fmt.Fprintf(env.Stdout, "%s completion installed in %s\nCompletion will take effect once you restart the terminal\n", shell, path)
	return ExitOK, true
}

func completionScript(root *cobra.Command, shell string) (string, error) {
	var b strings.Builder
	var err error
	switch shell {
	case "bash":
		err = root.GenBashCompletionV2(&b, true)
	case "zsh":
		err = root.GenZshCompletion(&b)
	case "fish":
		err = root.GenFishCompletion(&b, true)
	case "powershell", "pwsh":
		err = root.GenPowerShellCompletionWithDesc(&b)
	default:
		return "", fmt.Errorf("%w: shell %q is not supported: use one of %s", base.ErrUsage, shell, strings.Join(shells, ", "))
	}
	return b.String(), err
}

// installCompletion writes the script where each shell looks for it (the places Typer uses) and, for bash and
// zsh, makes the shell's rc file load it.
func installCompletion(env *base.Env, shell, script string) (string, error) {
	home, err := os.UserHomeDir()
	for _, kv := range env.Environ {
		if v, ok := strings.CutPrefix(kv, "HOME="); ok {
			home, err = v, nil
		}
	}
	if err != nil {
		return "", err
	}
	name := env.Name
	var path, rc, rcLine string
	switch shell {
	case "bash":
		path = filepath.Join(home, ".bash_completions", name+".sh")
		rc, rcLine = filepath.Join(home, ".bashrc"), "source "+path
	case "zsh":
		path = filepath.Join(home, ".zfunc", "_"+name)
		rc, rcLine = filepath.Join(home, ".zshrc"), "autoload -Uz compinit\ncompinit\nzstyle ':completion:*' menu select\nfpath+=~/.zfunc"
	case "fish":
		path = filepath.Join(home, ".config", "fish", "completions", name+".fish")
	default:
		path = filepath.Join(home, ".config", "powershell", "Microsoft.PowerShell_profile.ps1")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	if shell == "powershell" || shell == "pwsh" {
		if err := appendOnce(path, script); err != nil {
			return "", err
		}
		return path, nil
	}
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		return "", err
	}
	if rc != "" {
		if err := appendOnce(rc, rcLine); err != nil {
			return "", err
		}
	}
	return path, nil
}

func appendOnce(path, text string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if strings.Contains(string(old), text) {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "\n%s\n", text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
