// Package dbcmd implements the "db" command group: the migration commands over the revision graph.
package dbcmd

import (
	"bufio"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/migration"
)

// New returns the db command group.
func New(env *base.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Interact with the application database.",
		Long:  fmt.Sprintf("Interact with the application database. By default, does nothing, specify %s db --help for more information.", env.Name),
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newInit(env), newRevision(env), newUpgrade(env), newDowngrade(env), newHeads(env),
		newHistory(env), newMerge(env), newCurrent(env), newStamp(env),
	)
	cmd.AddCommand(newMigrateWorkflows(env), newMigrateTasks(env), newMigrateDomainModels(env))
	return cmd
}

func newInit(env *base.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: "Initialize an empty migrations environment.",
		Long: "Initialize an empty migrations environment. This command will throw an exception when it detects " +
			"conflicting files and directories.\n\nIt creates migrations/versions/schema/, where the application's " +
			"revisions go, and a README. wfo needs no alembic.ini, env.py or script template: the database comes from " +
			"DATABASE_URI and the core's revisions are built in.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			created, err := migration.InitDir(env.Migrations())
			if err != nil {
				return err
			}
			for _, p := range created {
				abs, _ := filepath.Abs(p)
				fmt.Fprintf(env.Stdout, "Creating %s\n", abs)
			}
			return nil
		},
	}
}

func newRevision(env *base.Env) *cobra.Command {
	var o migration.ReviseOptions
	var autogenerate, noAutogenerate bool
	cmd := &cobra.Command{
		Use:   "revision",
		Short: "The revision command creates a new Alembic revision file.",
		Long: "The revision command creates a new revision file.\n\nOn a project without a data branch it first " +
			"writes the data root (branch label data, no down revision, depending on the schema head). Every new " +
			"data revision depends on the schema head of its day, so a fresh database runs it only after the core " +
			"revisions it was written against.\n\n" + autogenerateHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.Head == "" {
				return migration.CheckTarget(o.Head) // the library reads "" as the default; an explicit "" is refused
			}
			if autogenerate && !noAutogenerate {
				return reviseAutogenerate(cmd.Context(), env, o)
			}
			paths, err := env.Project().Revise(o)
			if err != nil {
				return err
			}
			printGenerated(env, paths)
			return nil
		},
	}
	cmd.Flags().StringVarP(&o.Message, "message", "m", "", "The revision message")
	cmd.Flags().BoolVar(&autogenerate, "autogenerate", false, "Write the difference between the database and the desired schema (migrations/schema.sql) as the revision")
	cmd.Flags().BoolVar(&noAutogenerate, "no-autogenerate", false, "Write an empty revision (the default)")
	cmd.Flags().StringVar(&o.VersionPath, "version-path", "", "Specify specific path from config for version file")
	cmd.Flags().StringVar(&o.Head, "head", "data@head", "Determine the head you need to add your migration to.")
	cmd.RegisterFlagCompletionFunc("head", completeRevisions(env))
	return cmd
}

func printGenerated(env *base.Env, paths []string) {
	for _, p := range paths {
		fmt.Fprintf(env.Stdout, "Generating %s ...  done\n", p)
	}
}

func newUpgrade(env *base.Env) *cobra.Command {
	var sqlOnly bool
	cmd := &cobra.Command{
		Use:   "upgrade REVISION",
		Short: "The upgrade command will upgrade the database to the specified revision.",
		Long: "The upgrade command will upgrade the database to the specified revision.\n\nREVISION is heads (every " +
			"branch), head, base, a revision id or unique prefix, <label>@head, <label>@<id>, <label>, +N, " +
			"<label>@+N or <id>+N. Each revision runs in its own transaction together with its version-table update.\n\n" +
			"With --sql nothing runs and the database is not read (offline mode): the SQL is planned from base, or " +
			"from <from> when REVISION is a range <from>:<to>.",
		Args:              exactArgs(1, "REVISION", "Rev id to upgrade to"),
		ValidArgsFunction: completeRevisions(env),
		RunE: func(cmd *cobra.Command, args []string) error {
			return migrate(cmd.Context(), env, sqlOnly, true, args[0])
		},
	}
	cmd.Flags().BoolVar(&sqlOnly, "sql", false, "Don't emit SQL to database - dump to standard output instead; REVISION may then be a range <from>:<to>")
	return cmd
}

func newDowngrade(env *base.Env) *cobra.Command {
	var sqlOnly bool
	cmd := &cobra.Command{
		Use:   "downgrade [REVISION]",
		Short: "The downgrade command will downgrade the database to the previous revision or to the optionally specified revision.",
		Long: "The downgrade command will downgrade the database to the previous revision or to the optionally " +
			"specified revision.\n\nREVISION (default -1) is base, a revision id or unique prefix, <label>@<id>, " +
			"-N or <label>@-N.\n\nWith --sql nothing runs and the database is not read (offline mode): REVISION " +
			"must be a range <from>:<to>, e.g. heads:base.",
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeRevisions(env),
		RunE: func(cmd *cobra.Command, args []string) error {
			target := "-1"
			if len(args) == 1 {
				target = args[0]
			}
			return migrate(cmd.Context(), env, sqlOnly, false, target)
		},
	}
	cmd.Flags().BoolVar(&sqlOnly, "sql", false, "Don't emit SQL to database - dump to standard output instead; REVISION must then be a range <from>:<to>")
	return cmd
}

// migrate runs the migration, or with sqlOnly prints its SQL in offline mode: planned from the target's range
// ("from:to", or base for an upgrade) without a database, as Alembic's --sql does.
func migrate(ctx context.Context, env *base.Env, sqlOnly bool, upgrade bool, target string) error {
	if sqlOnly {
		loc, err := env.DatabaseLocation()
		if err != nil {
			return err
		}
		g, err := env.Project().Graph()
		if err != nil {
			return err
		}
		rows, steps, err := g.OfflinePlan(upgrade, target, warner(env))
		if err != nil {
			return err
		}
		out := bufio.NewWriter(env.Stdout)
		if err := g.WriteSQL(out, string(loc.Dialect), rows, steps, len(rows) == 0); err != nil {
			return err
		}
		return out.Flush()
	}
	g, db, err := graphAndDB(ctx, env, env.OpenDB)
	if err != nil {
		return err
	}
	defer db.Close()
	m := &migration.Migrator{DB: db, Graph: g, Progress: env.Stderr, Logger: env.Log(), Warn: warner(env)}
	if upgrade {
		err = m.Upgrade(ctx, target)
	} else {
		err = m.Downgrade(ctx, target)
	}
	if err != nil {
		return err
	}
	if env.OwnTables != nil {
		return env.OwnTables(ctx, db, env.Stderr)
	}
	return nil
}

// warner prints Alembic's warnings as Python shows a UserWarning.
func warner(env *base.Env) func(string) {
	return func(s string) { fmt.Fprintln(env.Stderr, "UserWarning: "+s) }
}

// graphAndDB loads the revision graph and opens the database (with open: env.OpenDB or env.OpenExistingDB, which
// may return nil). On PostgreSQL the connection is set up while the graph loads: both take tens of milliseconds,
// mostly waiting (for the file system, for the server to start a backend), so a command pays for the slower of
// the two rather than their sum. On SQLite the graph comes first, so a project that does not load never creates
// a database file.
func graphAndDB(ctx context.Context, env *base.Env, open func(context.Context) (*database.DB, error)) (*migration.Graph, *database.DB, error) {
	loc, err := env.DatabaseLocation()
	if err != nil {
		return nil, nil, err
	}
	if !loc.Dialect.IsServer() {
		g, err := env.Project().Graph()
		if err != nil {
			return nil, nil, err
		}
		db, err := open(ctx)
		return g, db, err
	}
	type opened struct {
		db  *database.DB
		err error
	}
	done := make(chan opened, 1)
	go func() {
		db, err := open(ctx)
		done <- opened{db, err}
	}()
	g, graphErr := env.Project().Graph()
	o := <-done
	if graphErr != nil {
		if o.db != nil {
			o.db.Close()
		}
		return nil, nil, graphErr
	}
	return g, o.db, o.err
}

func newHeads(env *base.Env) *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "heads",
		Short: "Get the database heads",
		Long:  "Get the database heads: every revision no other revision builds on, with its branch labels. (effective head) marks a head that another revision depends on.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := env.Project().Graph()
			if err != nil {
				return err
			}
			out := bufio.NewWriter(env.Stdout)
			for _, h := range g.Heads() {
				fmt.Fprintln(out, h.Format(migration.FormatOptions{Verbose: verbose, Branches: true}))
			}
			return out.Flush()
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "Verbose output")
	return cmd
}

func newHistory(env *base.Env) *cobra.Command {
	var verbose, current, noCurrent bool
	cmd := &cobra.Command{
		Use:   "history",
		Short: "The history command lists Alembic revision history/changeset scripts in chronological order.",
		Long: "The history command lists revision history in chronological order, newest first.\n\nWith --current " +
			"(the default) the revisions recorded in the database's version table are marked (current); a database " +
			"that does not exist yet is not created. --no-current lists without touching the database.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var g *migration.Graph
			var db *database.DB
			var err error
			if current && !noCurrent {
				g, db, err = graphAndDB(cmd.Context(), env, env.OpenExistingDB)
			} else {
				g, err = env.Project().Graph()
			}
			if err != nil {
				return err
			}
			marks := map[string]bool{}
			if db != nil {
				defer db.Close()
				rows, err := (&migration.Migrator{DB: db, Graph: g}).Current(cmd.Context())
				if err != nil {
					return err
				}
				for _, r := range rows {
					marks[r] = true
				}
			}
			o := migration.FormatOptions{Verbose: verbose, Parents: true, Branches: true, Doc: true, TreeIndicators: true, Current: marks}
			out := bufio.NewWriter(env.Stdout) // thousands of lines: one write, not one per line
			for _, n := range g.History() {
				fmt.Fprintln(out, n.Format(o))
			}
			return out.Flush()
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "Verbose output")
	cmd.Flags().BoolVarP(&current, "current", "c", true, "Indicate current revision")
	cmd.Flags().BoolVar(&noCurrent, "no-current", false, "Do not read the database; list revisions only")
	return cmd
}

func newMerge(env *base.Env) *cobra.Command {
	var o migration.MergeOptions
	cmd := &cobra.Command{
		Use:   "merge REVISIONS...",
		Short: "Merge database revisions.",
		Long: "Merge database revisions.\n\nIt is possible when using multiple git branches in your WFO development " +
			"lifecycle to have multiple Alembic heads emerge. This command will allow you to merge those two (or " +
			"more) heads to resolve the issue. You also might need to run this after updating your version of " +
			"orchestrator-core if there have been schema changes.\n\nREVISIONS are heads to merge (or 'heads'). " +
			"Merging fewer than two heads is refused. Merging a data head with a schema head fuses the two branch " +
			"labels, which makes schema@head ambiguous after the next core release: prefer merging heads of one branch.",
		Args:              minArgs(1, "REVISIONS...", "Add the revision you would like to merge to this command."),
		ValidArgsFunction: completeRevisions(env),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Revisions = args
			paths, err := env.Project().Merge(o)
			if err != nil {
				return err
			}
			printGenerated(env, paths)
			return nil
		},
	}
	cmd.Flags().StringVarP(&o.Message, "message", "m", "", "The revision message")
	return cmd
}

func newCurrent(env *base.Env) *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "current",
		Short: "Show the revisions the database is at.",
		Long:  "Show the revisions the database is at: one line per applied head (dependencies that are heads of their branch included).",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, db, err := graphAndDB(cmd.Context(), env, env.OpenExistingDB)
			if err != nil {
				return err
			}
			var rows []string
			if db != nil {
				defer db.Close()
				if rows, err = (&migration.Migrator{DB: db, Graph: g}).Current(cmd.Context()); err != nil {
					return err
				}
			}
			if verbose {
				loc, _ := env.DatabaseLocation()
				fmt.Fprintf(env.Stdout, "Current revision(s) for %s:\n", loc.Redacted)
			}
			nodes, err := g.CurrentHeads(rows)
			if err != nil {
				return err
			}
			for _, n := range nodes {
				fmt.Fprintln(env.Stdout, n.Format(migration.FormatOptions{Verbose: verbose, TreeIndicators: true}))
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "Verbose output")
	return cmd
}

func newStamp(env *base.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "stamp REVISION",
		Short: "Set the version table to a revision without running any migration.",
		Long: "Set the version table to REVISION without running any migration, to adopt a database whose schema " +
			"is already there. REVISION is heads, a revision id, <label>@head, or base (empties the table). The " +
			"table afterwards holds exactly the given revisions.",
		Args:              exactArgs(1, "REVISION", "Rev id to stamp"),
		ValidArgsFunction: completeRevisions(env),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, db, err := graphAndDB(cmd.Context(), env, env.OpenDB)
			if err != nil {
				return err
			}
			defer db.Close()
			return (&migration.Migrator{DB: db, Graph: g}).Stamp(cmd.Context(), args[0])
		},
	}
}

func exactArgs(n int, name, help string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return fmt.Errorf("%w: missing argument '%s' (%s)", base.ErrUsage, name, help)
		}
		if len(args) > n {
			return fmt.Errorf("%w: got unexpected extra argument (%s)", base.ErrUsage, strings.Join(args[n:], " "))
		}
		return nil
	}
}

func minArgs(n int, name, help string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return fmt.Errorf("%w: missing argument '%s' (%s)", base.ErrUsage, name, help)
		}
		return nil
	}
}

// completeRevisions offers heads, head, base, <label>@head and every revision id with its doc.
func completeRevisions(env *base.Env) func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		g, err := env.Project().Graph()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		out := []cobra.Completion{"heads\tevery head", "head\tthe single head", "base\tbefore the first revision"}
		labels := map[string]bool{}
		for _, n := range g.Nodes() {
			for _, l := range n.BranchLabels {
				if !labels[l] {
					labels[l] = true
					out = append(out, cobra.Completion(l+"@head\thead of branch "+l))
				}
			}
		}
		for _, n := range g.Nodes() {
			out = append(out, cobra.Completion(n.ID+"\t"+n.ShortDoc()))
		}
		var matched []cobra.Completion
		for _, c := range out {
			if strings.HasPrefix(string(c), toComplete) {
				matched = append(matched, c)
			}
		}
		return matched, cobra.ShellCompDirectiveNoFileComp
	}
}
