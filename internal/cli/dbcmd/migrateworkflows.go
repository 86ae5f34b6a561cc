package dbcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/internal/prompt"
	"github.com/wfo-go/wfo/settings"
	"github.com/wfo-go/wfo/tasks"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowmigration"
)

func newMigrateWorkflows(env *base.Env) *cobra.Command {
	return newMigrateWizard(env, workflowmigration.Workflows, "migrate-workflows",
		"The migrate-workflows command creates a migration file based on the difference between workflows in the database and registered WorkflowInstances in your codebase.",
		"It asks, in menus read from standard input (so answers can be piped in), which registered workflows to add "+
			"to which product type (linking them to every product of that type, also when the workflow is in the "+
			"database already) and which workflows to delete, then writes a SQL revision on the data branch whose "+
			"upgrade adds and removes rows of workflows and products_workflows and whose downgrade reverses it.")
}

func newMigrateTasks(env *base.Env) *cobra.Command {
	return newMigrateWizard(env, workflowmigration.Tasks, "migrate-tasks",
		"The migrate-tasks command creates a migration file based on the difference between tasks in the database and registered WorkflowInstances in your codebase.",
		"It asks, in menus read from standard input (so answers can be piped in), which registered tasks to add and "+
			"which tasks to delete, then writes a SQL revision on the data branch whose upgrade adds and removes rows "+
			"of workflows (is_task true) and whose downgrade reverses it.")
}

func newMigrateWizard(env *base.Env, kind workflowmigration.Kind, use, short, long string) *cobra.Command {
	var test bool
	cmd := &cobra.Command{
		Use:   use + " MESSAGE",
		Short: short,
		Long: short + "\n\nBACKUP YOUR DATABASE BEFORE USING THE MIGRATION!\n\n" + long +
			" The revision is created on the data branch, after creating the data root when the project has none.\n\n" +
			"With --test nothing is written: it prints what would be added and removed, and the SQL.",
		Args: exactArgs(1, "MESSAGE", "Migration name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			p := prompt.New(env.Stdin, env.Stdout, prompt.IsTerminal(env.Stdout))
			if test {
				fmt.Fprintf(env.Stdout, "%s Running in test mode. No migration file will be generated.\n\n", p.Fmt("NOTE:", prompt.Bold, prompt.Cyan))
			}
			s, err := env.Settings()
			if err != nil {
				return err
			}
			reg, err := workflows(env, s)
			if err != nil {
				return err
			}
			db, err := env.OpenDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			st, err := workflowmigration.Load(ctx, db)
			if err != nil {
				return err
			}
			wiz := &workflowWizard{p: p, plan: workflowmigration.NewPlanner(kind, st, reg)}
			plan, err := wiz.run()
			if err != nil {
				return err
			}
			if plan.Empty() {
				fmt.Fprintln(env.Stdout, "Nothing to do")
				return nil
			}
			if test {
				up, down := plan.SQL()
				fmt.Fprint(env.Stdout, "\n"+planSummary(plan))
				fmt.Fprintf(env.Stdout, "\n-- upgrade\n%s\n-- downgrade\n%s\n", up, down)
				return nil
			}
			fmt.Fprint(env.Stdout, "Generating migration file.\n\n")
			paths, err := plan.Write(env.Project(), args[0])
			if err != nil {
				return err
			}
			for _, path := range paths {
				fmt.Fprintf(env.Stdout, "  Generating %s ...  done\n", path)
			}
			fmt.Fprintln(env.Stdout, "Migration generated. Don't forget to create a database backup before migrating!")
			return nil
		},
	}
	var noTest bool
	cmd.Flags().BoolVar(&test, "test", false, "Optional boolean if you don't want to generate a migration file")
	cmd.Flags().BoolVar(&noTest, "no-test", false, "Generate the migration file (the default)")
	cmd.PreRun = func(*cobra.Command, []string) {
		if noTest {
			test = false
		}
	}
	return cmd
}

// workflows is the application's registry, the core's built-ins when the application gave none.
func workflows(env *base.Env, s settings.Settings) (*workflow.Registry, error) {
	if env.Workflows != nil {
		return env.Workflows(s)
	}
	return workflow.NewRegistry(tasks.Workflows(s)...)
}
