// Package generatecmd implements the "generate" command group: Go code, tests and a data revision for a new
// product from its YAML configuration. The work is package generator's.
package generatecmd

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/generator"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/migration"
)

// New returns the generate command group.
func New(env *base.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Generate products, workflows and other artifacts.",
		Long: "Generate products, workflows and other artifacts.\n\n" +
			"Products can be described in a config file, and each command generates the code for one part of it: " +
			"product-blocks, product, workflows, unit-tests and migration, in that order for a new product. The " +
			"config is checked completely before anything is written; a config refused writes nothing.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newFiles(env, generator.CmdProductBlocks, "Create product blocks.",
			"Writes one Go package per product block of the config under products/product_blocks/<variable>, in "+
				"dependency order. Blocks used from other configs are found in the existing code there.",
			filesFlags{prefix: true}, (*generator.Generator).ProductBlocks),
		newFiles(env, generator.CmdProduct, "Create product.",
			"Writes the product type under products/product_types/<variable> and products/<variable>.go, which "+
				"registers its product names in package products. When missing, it also writes package products' and "+
				"package workflows' lists and the module's main.go, which wires them into the application.",
			filesFlags{prefix: true}, (*generator.Generator).Product),
		newFiles(env, generator.CmdWorkflows, "Create workflows.",
			"Writes the create, modify, terminate and validate workflows (the enabled ones) under "+
				"workflows/<variable>, with their forms and the field validators as skeletons, registers them in "+
				"package workflows (workflows/<variable>.go) and adds their names to translations/en-GB.json. "+
				"--custom-templates replaces built-in templates by name, such as the hooks "+
				"additional_{create,modify,terminate}_{imports,input_fields,steps}.tmpl. With --tdd (the default) the "+
				"validate workflow's checks fail until they are written; --tdd=false leaves them passing.",
			filesFlags{prefix: true, customTemplates: true, tdd: true}, (*generator.Generator).Workflows),
		newFiles(env, generator.CmdUnitTests, "Create unit tests.",
			"Writes a test of the product type (test/unit_tests/domain/product_types) and one per enabled workflow "+
				"(test/unit_tests/workflows): each runs on a fresh SQLite database with the module's revisions. With "+
				"--tdd (the default) the tests of the validations expect them to refuse input and fail until they do; "+
				"--tdd=false skips them with a TODO.",
			filesFlags{tdd: true}, (*generator.Generator).UnitTests),
		newMigration(env),
	)

	return cmd
}

// LongOptions rewrites the reference's two-letter short options (-cf, -fp, -ct) of the generate commands into
// their long forms, which the flag parser understands.
func LongOptions(args []string) []string {
	if len(args) == 0 || args[0] != "generate" {
		return args
	}
	long := map[string]string{"-cf": "--config-file", "-fp": "--folder-prefix", "-ct": "--custom-templates"}
	out := make([]string, len(args))
	for i, a := range args {
		name, value, hasValue := strings.Cut(a, "=")
		if l, ok := long[name]; ok {
			a = l
			if hasValue {
				a += "=" + value
			}
		}
		if a == "--" {
			copy(out[i:], args[i:])
			return out
		}
		out[i] = a
	}
	return out
}

// filesFlags says which options a command that writes files has besides the common ones.
type filesFlags struct {
	prefix, customTemplates, tdd bool
}

type options struct {
	configFile, prefix, customTemplates, pythonVersion string
	dryRun, noDryRun, force, tdd, skipExisting         bool
}

func commonFlags(cmd *cobra.Command, o *options) {
	cmd.Flags().StringVar(&o.configFile, "config-file", "", "The configuration file (-cf)")
	cmd.Flags().StringVarP(&o.pythonVersion, "python-version", "p", "3.11", "Accepted for compatibility and ignored: wfo generates Go")
}

func newFiles(env *base.Env, name, short, long string, ff filesFlags, generate func(*generator.Generator) ([]generator.File, error)) *cobra.Command {
	var o options
	cmd := &cobra.Command{
		Use:   name,
		Short: short,
		Long:  short + "\n\n" + long + "\n\nBy default this is a dry run: every file is printed, after a line \"# <path>\", and nothing is written. Existing files are kept, with a warning, unless --force.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := check(cmd, env, &o); err != nil {
				return err
			}
			g, err := load(env, &o, name)
			if err != nil {
				return err
			}
			files, err := generate(g)
			if err != nil {
				return err
			}
			return generator.Write(".", files, generator.WriteOptions{DryRun: !o.noDryRun, Force: o.force, Out: env.Stdout, Log: logger(env)})
		},
	}
	if name == generator.CmdProduct {
		cmd.Aliases = []string{"products"} // the reference's documentation says products
	}
	commonFlags(cmd, &o)
	cmd.Flags().BoolVar(&o.dryRun, "dryrun", true, "Print the files instead of writing them (the default)")
	cmd.Flags().BoolVar(&o.noDryRun, "no-dryrun", false, "Write the files")
	cmd.Flags().BoolVarP(&o.force, "force", "f", false, "Overwrite existing files")
	if ff.prefix {
		cmd.Flags().StringVar(&o.prefix, "folder-prefix", "", "The folder the products and workflows folders go in (-fp)")
	}
	if ff.customTemplates {
		cmd.Flags().StringVar(&o.customTemplates, "custom-templates", "", "A folder of templates (*.tmpl) that replace built-in ones by name, such as the additional_*.tmpl hooks (-ct)")
	}
	if ff.tdd {
		cmd.Flags().BoolVar(&o.tdd, "tdd", true, "Force test driven development with failing placeholders; --tdd=false leaves them passing")
	}
	return cmd
}

// check checks the options the flag parser cannot.
func check(cmd *cobra.Command, env *base.Env, o *options) error {
	if o.configFile == "" {
		return fmt.Errorf("%w: Missing option '--config-file' / '-cf'.", base.ErrUsage)
	}
	if o.noDryRun && cmd.Flags().Changed("dryrun") && o.dryRun {
		return fmt.Errorf("%w: --dryrun and --no-dryrun contradict each other", base.ErrUsage)
	}
	if cmd.Flags().Changed("python-version") {
		fmt.Fprintf(env.Stderr, "Note: --python-version %s is ignored: wfo generates Go.\n", o.pythonVersion)
	}
	return nil
}

func load(env *base.Env, o *options, command string) (*generator.Generator, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	m, err := generator.Load(o.configFile, wd, o.prefix, command)
	if err != nil {
		var errs generator.Errors
		if errors.As(err, &errs) && len(errs) > 1 {
			// Every problem on its own line; the last line says how many there are.
			for _, e := range errs {
				fmt.Fprintln(env.Stderr, e.Error())
			}
			return nil, fmt.Errorf("generator: %s: %d problems (listed above)", o.configFile, len(errs))
		}
		return nil, err
	}
	var overlay = generator.Options{TDD: o.tdd}
	if o.customTemplates != "" {
		st, err := os.Stat(o.customTemplates)
		if err != nil || !st.IsDir() {
			return nil, fmt.Errorf("generator: custom templates folder %s: not a folder", o.customTemplates)
		}
		overlay.Templates = os.DirFS(o.customTemplates)
	}
	return generator.New(m, overlay)
}

// logger logs the writer's progress to stderr, without times so that output is stable.
func logger(env *base.Env) *slog.Logger {
	return slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			return a
		},
	}))
}

func newMigration(env *base.Env) *cobra.Command {
	var o options
	cmd := &cobra.Command{
		Use:   generator.CmdMigration,
		Short: "Create migration file.",
		Long: "Create migration file.\n\n" +
			"Writes a revision on the data branch (creating the data root first when there is none) whose upgrade adds " +
			"the config's product blocks, resource types, relations, products (one per combination of enum fixed-input " +
			"values), fixed inputs and enabled workflows, and links DEFAULT_PRODUCT_WORKFLOWS to the new products; " +
			"the downgrade removes them. The config is checked before anything is written.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := check(cmd, env, &o); err != nil {
				return err
			}
			s, err := env.Settings()
			if err != nil {
				return err
			}
			g, err := load(env, &o, generator.CmdMigration)
			if err != nil {
				return err
			}
			mig, err := g.Migration(generator.MigrationOptions{SkipExistingBlocks: o.skipExisting, DefaultWorkflows: s.DefaultProductWorkflows})
			if err != nil {
				return err
			}
			paths, err := env.Project().Revise(migration.ReviseOptions{Message: mig.Message, Head: "data@head", Upgrade: mig.Upgrade, Downgrade: mig.Downgrade})
			if err != nil {
				return err
			}
			for _, p := range paths {
				fmt.Fprintf(env.Stdout, "Generating %s ...  done\n", p)
			}
			return nil
		},
	}
	commonFlags(cmd, &o)
	cmd.Flags().BoolVar(&o.skipExisting, "skip-existing-blocks", false, "Leave out the blocks declared in the code by other products (they are in the catalogue already)")
	return cmd
}
