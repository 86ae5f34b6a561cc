package dbcmd

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/domainmigration"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/internal/prompt"
	"github.com/wfo-go/wfo/migration"
)

func newMigrateDomainModels(env *base.Env) *cobra.Command {
	var test, noTest, confirmWarnings, noConfirmWarnings bool
	var inputsJSON, updatesJSON string
	const short = "Create migration file based on SubscriptionModel.diff_product_in_database. BACKUP DATABASE BEFORE USING THE MIGRATION!"
	cmd := &cobra.Command{
		Use:   "migrate-domain-models MESSAGE",
		Short: short,
		Long: short + "\n\nIt compares the products, fixed inputs, product blocks and resource types the application " +
			"registers with the catalogue rows of the database and writes a SQL revision on the data branch that makes " +
			"the database match (and a downgrade that undoes it). Renames are asked for in menus, or given with " +
			"--updates; values the model does not declare (descriptions, tags, fixed-input values, default values for " +
			"existing instances) are asked for, or given with --inputs. Answers are read from standard input, so they " +
			"can be piped in. Subscriptions get new instances and values for the subscriptions there are when the " +
			"revision runs.\n\n" +
			"--inputs: {\"<product>\": {\"description\": ..., \"tag\": ..., \"<fixed input>\": ...}, \"<block>\": " +
			"{\"description\": ..., \"tag\": ...}, \"<resource type>\": {\"description\": ..., \"<block>\": <default>, " +
			"\"value\": <default>}}\n" +
			"--updates: {\"fixed_inputs\": {\"<product>\": {\"<old>\": \"<new>\"}}, \"resource_types\": {\"<old>\": " +
			"\"<new>\"}, \"block_resource_types\": {\"<block>\": {\"<old>\": \"<new>\"}}}\n\n" +
			"With --test nothing is written: it prints the upgrade and downgrade SQL.",
		Args: exactArgs(1, "MESSAGE", "Migration name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if noTest {
				test = false
			}
			inputs, err := domainmigration.ParseInputs(inputsJSON)
			if err != nil {
				return err
			}
			updates, err := domainmigration.ParseUpdates(updatesJSON)
			if err != nil {
				return err
			}
			s, err := env.Settings()
			if err != nil {
				return err
			}
			reg := domain.MustNewRegistry()
			if env.Products != nil {
				reg = env.Products()
			}
			ctx := cmd.Context()
			db, err := env.OpenDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			cat, err := domainmigration.ReadCatalogue(ctx, db)
			if err != nil {
				return err
			}
			model := domainmigration.FromRegistry(reg)
			if err := domainmigration.Check(model, cat, inputs, updates); err != nil {
				return err
			}

			p := prompt.New(env.Stdin, env.Stdout, prompt.IsTerminal(env.Stdout))
			if test {
				fmt.Fprintf(env.Stdout, "%s Running in test mode. No migration file will be generated.\n\n", p.Fmt("NOTE:", prompt.Bold, prompt.Cyan))
			}
			diff := domainmigration.Compare(model, cat, domainmigration.Skipper(s.SkipModelForMigrationDBDiff))
			if updates.Empty() {
				if updates, err = askUpdates(p, diff); err != nil {
					return err
				}
			}
			changes := diff.Changes(updates)
			for _, line := range changes.Summary() {
				fmt.Fprintln(env.Stdout, line)
			}
			fmt.Fprintf(env.Stdout, "\n%s Deleting products will also delete its subscriptions.\n", p.Fmt("WARNING:", prompt.Bold, prompt.Yellow))
			if !test {
				answer, err := p.Input("Confirm the above actions [y/n]: ", "n")
				if err != nil {
					return err
				}
				if !strings.Contains(strings.ToLower(answer), "y") {
					return nil
				}
			}
			up, down, err := changes.SQL(&asker{p: p, inputs: inputs})
			if err != nil {
				return err
			}
			if changes.Empty() {
				fmt.Fprintln(env.Stdout, "Nothing to do")
				return nil
			}
			warn := func() {
				if notes := changes.Irreversible(); len(notes) > 0 {
					fmt.Fprintf(env.Stdout, "%s The downgrade does not restore what the upgrade deletes: %s.\n", p.Fmt("WARNING:", prompt.Bold, prompt.Yellow), strings.Join(notes, "; "))
				}
			}
			if test {
				warn()
				fmt.Fprintf(env.Stdout, "\n-- upgrade\n%s\n-- downgrade\n%s", up, down)
				return nil
			}
			fmt.Fprint(env.Stdout, "Generating migration file.\n\n")
			paths, err := env.Project().Revise(migration.ReviseOptions{Message: args[0], Head: "data@head", Upgrade: up, Downgrade: down})
			if err != nil {
				return err
			}
			for _, path := range paths {
				fmt.Fprintf(env.Stdout, "  Generating %s ...  done\n", path)
			}
			warn()
			fmt.Fprintln(env.Stdout, "Migration generated. Don't forget to create a database backup before migrating!")
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&test, "test", false, "Optional boolean if you don't want to generate a migration file")
	f.BoolVar(&noTest, "no-test", false, "Generate the migration file (the default)")
	f.StringVar(&inputsJSON, "inputs", "{}", "Stringified dict to prefill inputs")
	f.StringVar(&updatesJSON, "updates", "{}", "Stringified dict to map updates instead of using inputs")
	f.BoolVar(&confirmWarnings, "confirm-warnings", false, "Optional boolean if you want to accept all warning inputs")
	f.BoolVar(&noConfirmWarnings, "no-confirm-warnings", false, "Ask about warnings (the default)")
	return cmd
}

// askUpdates asks which differences are renames: resource types everywhere, resource types of one block, and
// fixed inputs.
func askUpdates(p *prompt.Prompter, diff *domainmigration.Diff) (domainmigration.Updates, error) {
	u := domainmigration.Updates{ResourceTypes: map[string]string{}, BlockResourceTypes: map[string]map[string]string{}, FixedInputs: map[string]map[string]string{}}

	p.Println("\nRename resource types\n", prompt.Underline, prompt.Bold)
	options := diff.RenameCandidates()
	for {
		for old, news := range options {
			if len(news) == 0 {
				delete(options, old)
			}
		}
		if len(options) == 0 {
			break
		}
		olds := slices.Sorted(maps.Keys(options))
		p.Println("Which resource type would you want to rename?")
		key, err := p.Menu(prompt.Numbered(olds, prompt.Option{Key: "q", Label: "continue"}))
		if err != nil {
			return u, err
		}
		if key == "q" {
			break
		}
		old := olds[menuIndex(key)]
		news := options[old]
		p.Println("\nWhich resource type should rename " + old + "?")
		key, err = p.Menu(prompt.Numbered(news, prompt.Option{Key: "q", Label: "cancel"}))
		if err != nil {
			return u, err
		}
		if key == "q" {
			continue
		}
		n := news[menuIndex(key)]
		u.ResourceTypes[old] = n
		delete(options, old)
		for o := range options {
			options[o] = slices.DeleteFunc(options[o], func(s string) bool { return s == n })
		}
	}

	p.Println("\nUpdate block resource types\n", prompt.Underline, prompt.Bold)
	for _, block := range slices.Sorted(maps.Keys(diff.Blocks)) {
		olds, news := diff.BlockUpdateCandidates(block, u.ResourceTypes)
		for len(olds) > 0 && len(news) > 0 {
			p.Println("Which resource type would you want to update in " + block + " Block?")
			key, err := p.Menu(prompt.Numbered(olds, prompt.Option{Key: "q", Label: "continue"}))
			if err != nil {
				return u, err
			}
			if key == "q" {
				break
			}
			old := olds[menuIndex(key)]
			p.Println("\nWhich resource type should update " + old + "?")
			key, err = p.Menu(prompt.Numbered(news, prompt.Option{Key: "q", Label: "cancel"}))
			if err != nil {
				return u, err
			}
			if key == "q" {
				continue
			}
			n := news[menuIndex(key)]
			if u.BlockResourceTypes[block] == nil {
				u.BlockResourceTypes[block] = map[string]string{}
			}
			u.BlockResourceTypes[block][old] = n // every pair is kept (the reference kept the last one only)
			olds = slices.DeleteFunc(olds, func(s string) bool { return s == old })
			news = slices.DeleteFunc(news, func(s string) bool { return s == n })
		}
	}

	p.Println("\nUpdate fixed inputs\n", prompt.Underline, prompt.Bold)
	for _, c := range diff.FixedInputRenameCandidates() {
		answer, err := p.Input(fmt.Sprintf("Do you wish to rename fixed input %s to %s for product %s? [y/N]: ",
			p.Fmt(c.Old, prompt.Magenta), p.Fmt(c.New, prompt.Magenta), p.Fmt(c.Product, prompt.Bold)), "N")
		if err != nil {
			return u, err
		}
		if answer == "y" {
			u.FixedInputs[c.Product] = map[string]string{c.Old: c.New}
		}
	}
	return u, nil
}

// asker answers the questions about what the application does not declare: from --inputs, else by asking.
type asker struct {
	p      *prompt.Prompter
	inputs domainmigration.Inputs
}

func (a *asker) Section(title string) { a.p.Println("\n"+title+"\n", prompt.Underline, prompt.Bold) }

func (a *asker) Ask(q domainmigration.Question) (string, error) {
	switch q.Kind {
	case domainmigration.ProductDescription:
		a.p.Println("Product: " + q.ProductType + " " + q.Product)
	case domainmigration.BlockDescription:
		a.p.Println("Product block: " + q.Block)
	}
	if v, ok := a.inputs.Answer(q); ok {
		return v, nil
	}
	var text string
	switch q.Kind {
	case domainmigration.ProductDescription:
		text = "Supply the product description: "
	case domainmigration.ProductTag:
		text = "Supply the product tag: "
	case domainmigration.FixedInputValue:
		text = fmt.Sprintf("Supply fixed input value for product %s and fixed input %s: ", q.Product, q.FixedInput)
	case domainmigration.BlockDescription:
		text = "Supply the product block description: "
	case domainmigration.BlockTag:
		text = "Supply the product block tag: "
	case domainmigration.ResourceTypeDescription:
		text = fmt.Sprintf("Supply description for new resource type %s: ", q.ResourceType)
	case domainmigration.DefaultValue:
		text = fmt.Sprintf("Supply default subscription instance value for resource type %s and product block %s: ", q.ResourceType, q.Block)
	}
	return a.p.Input(text, "")
}
