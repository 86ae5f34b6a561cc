// Package workflowmigration is what db migrate-workflows and db migrate-tasks do: a wizard that compares the
// workflows registered in code with the rows of workflows and products_workflows, asks which to add and which to
// remove (with orchestrator-core's prompts and menus, spec/domain-migrations.md §6), and writes a SQL revision on
// the data branch whose upgrade makes those changes and whose downgrade reverses them.
//
// It fixes the reference's bugs listed in spec/domain-migrations.md §8 (items 15 and 16): every dangling workflow
// or task is deleted (not the first four or two); adding a workflow that already exists to a further product type
// links it; soft-deleted rows are not listed; a workflow linked to several product types shows (and restores) all
// of them; a task keeps its own target (SYSTEM or VALIDATE) and a registered task whose row is not marked as a task
// becomes one; deleting a workflow that processes ran keeps its row, marked deleted (deleted_at), instead of
// failing on the foreign key; menus are sorted. The SQL runs unchanged on PostgreSQL and SQLite.
package workflowmigration

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/prompt"
	"github.com/wfo-go/wfo/workflow"
)

// Kind selects the wizard: workflows (linked to product types) or tasks.
type Kind int

// The two wizards.
const (
	Workflows Kind = iota
	Tasks
)

func (k Kind) noun() string {
	if k == Tasks {
		return "task"
	}
	return "workflow"
}

// Entry is one workflow or task to add or delete.
type Entry struct {
	Name        string
	Target      workflow.Target
	Description string
	// ProductTypes are the product types to link (add) or that were linked (delete); none for tasks.
	ProductTypes []string
	// Exists says the row is in the database (not deleted) when the wizard ran: adding it then only links it.
	Exists bool
}

// Plan is what the wizard decided.
type Plan struct {
	Kind   Kind
	Add    []Entry
	Delete []Entry
}

// Empty reports whether there is nothing to do.
func (p *Plan) Empty() bool { return len(p.Add) == 0 && len(p.Delete) == 0 }

// dbWorkflow is a row of workflows with its product types.
type dbWorkflow struct {
	name         string
	target       workflow.Target
	description  string
	isTask       bool
	productTypes []string
}

// Wizard asks the questions.
type Wizard struct {
	Kind     Kind
	DB       *database.DB
	Registry *workflow.Registry
	Prompt   *prompt.Prompter

	rows         []*dbWorkflow
	productTypes []string
	plan         Plan
}

// ErrNoSchema: the database does not have the core schema yet.
var ErrNoSchema = errors.New("the database has no table workflows; run 'db upgrade heads' first")

// load reads the workflows (not deleted) with their product types, and the product types.
func (w *Wizard) load(ctx context.Context) error {
	rows, err := w.DB.QueryContext(ctx, "SELECT workflow_id, name, target, description, is_task FROM workflows WHERE deleted_at IS NULL ORDER BY name")
	if err != nil {
		if strings.Contains(err.Error(), "workflows") {
			return fmt.Errorf("workflowmigration: %w (%v)", ErrNoSchema, err)
		}
		return fmt.Errorf("workflowmigration: reading workflows: %w", err)
	}
	byID := map[string]*dbWorkflow{}
	for rows.Next() {
		var id, target string
		r := &dbWorkflow{}
		if err := rows.Scan(&id, &r.name, &target, &r.description, &r.isTask); err != nil {
			rows.Close()
			return fmt.Errorf("workflowmigration: reading workflows: %w", err)
		}
		r.target = workflow.Target(target)
		byID[id] = r
		w.rows = append(w.rows, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("workflowmigration: reading workflows: %w", err)
	}
	links, err := w.DB.QueryContext(ctx, "SELECT DISTINCT pw.workflow_id, p.product_type FROM products_workflows pw JOIN products p ON p.product_id = pw.product_id")
	if err != nil {
		return fmt.Errorf("workflowmigration: reading products_workflows: %w", err)
	}
	for links.Next() {
		var id, pt string
		if err := links.Scan(&id, &pt); err != nil {
			links.Close()
			return fmt.Errorf("workflowmigration: reading products_workflows: %w", err)
		}
		if r := byID[id]; r != nil && !slices.Contains(r.productTypes, pt) {
			r.productTypes = append(r.productTypes, pt)
		}
	}
	links.Close()
	if err := links.Err(); err != nil {
		return fmt.Errorf("workflowmigration: reading products_workflows: %w", err)
	}
	for _, r := range w.rows {
		sort.Strings(r.productTypes)
	}
	types, err := w.DB.QueryContext(ctx, "SELECT DISTINCT product_type FROM products ORDER BY product_type")
	if err != nil {
		return fmt.Errorf("workflowmigration: reading product types: %w", err)
	}
	defer types.Close()
	for types.Next() {
		var pt string
		if err := types.Scan(&pt); err != nil {
			return fmt.Errorf("workflowmigration: reading product types: %w", err)
		}
		w.productTypes = append(w.productTypes, pt)
	}
	return types.Err()
}

func (w *Wizard) row(name string) *dbWorkflow {
	for _, r := range w.rows {
		if r.name == name {
			return r
		}
	}
	return nil
}

func (w *Wizard) deleting(name string) bool {
	return slices.ContainsFunc(w.plan.Delete, func(e Entry) bool { return e.Name == name })
}

func (w *Wizard) adding(name, productType string) bool {
	return slices.ContainsFunc(w.plan.Add, func(e Entry) bool {
		return e.Name == name && (productType == "" || slices.Contains(e.ProductTypes, productType))
	})
}

// Run asks until the user finishes (y) or quits (q, which gives an empty plan).
func (w *Wizard) Run(ctx context.Context) (*Plan, error) {
	w.plan = Plan{Kind: w.Kind}
	if err := w.load(ctx); err != nil {
		return nil, err
	}
	noun := w.Kind.noun()
	for {
		w.Prompt.Println("\nWhat do you want to do?\n", prompt.Underline, prompt.Bold)
		choice, err := w.Prompt.Menu([]prompt.Option{
			{Key: "a", Label: "Add " + noun + " to database"},
			{Key: "x", Label: "Delete " + noun + " from database"},
			{Key: "c", Label: "Delete unregistered " + noun + "s from database"},
			{Key: "y", Label: "Finish and create migration file"},
			{Key: "d", Label: "Show current diff"},
			{Key: "q", Label: "Quit menu without creating a migration file"},
		})
		if err != nil {
			return nil, err
		}
		switch choice {
		case "a":
			if w.Kind == Tasks {
				err = w.addTask()
			} else {
				err = w.addWorkflow()
			}
		case "x":
			err = w.deleteOne()
		case "c":
			err = w.deleteDangling()
		case "d":
			w.show()
		case "y":
			return &w.plan, nil
		case "q":
			return &Plan{Kind: w.Kind}, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// registered lists the registered workflows the wizard handles, sorted by name: tasks or the others.
func (w *Wizard) registered() []*workflow.Workflow {
	var out []*workflow.Workflow
	for _, wf := range w.Registry.All() {
		if wf.IsTask == (w.Kind == Tasks) {
			out = append(out, wf)
		}
	}
	return out
}

func (w *Wizard) addWorkflow() error {
	p := w.Prompt
	p.Println("\nAdd new workflow\n", prompt.Underline)
	registered := w.registered()
	if len(registered) == 0 {
		p.Printf("No registered workflows found to add to the database\n")
		return nil
	}
	if len(w.productTypes) == 0 {
		p.Printf("No registered product types found\n")
		return nil
	}
	p.Printf("Which product type should the workflow be added to?\n")
	key, err := p.Menu(prompt.Numbered(w.productTypes, prompt.Option{Key: "q", Label: "cancel"}))
	if err != nil || key == "q" {
		return err
	}
	pt := w.productTypes[index(key)]
	var names []string
	for _, wf := range registered {
		if r := w.row(wf.Name); r != nil && slices.Contains(r.productTypes, pt) {
			continue // linked already
		}
		if w.adding(wf.Name, pt) || w.deleting(wf.Name) {
			continue
		}
		names = append(names, wf.Name)
	}
	p.Printf("\nAdd product type %s to which workflow?\n", p.Fmt(pt, prompt.Bold))
	key, err = p.Menu(prompt.Numbered(names, prompt.Option{Key: "q", Label: "cancel"}))
	if err != nil || key == "q" {
		return err
	}
	wf, err := w.Registry.Get(names[index(key)])
	if err != nil {
		p.Printf("Could not load workflow\n")
		return nil
	}
	e := Entry{Name: wf.Name, Target: wf.Target, ProductTypes: []string{pt}}
	if r := w.row(wf.Name); r != nil {
		// In the database already: the revision only links it; its description stays as it is.
		e.Exists, e.Description = true, r.description
	} else if i := slices.IndexFunc(w.plan.Add, func(a Entry) bool { return a.Name == wf.Name }); i >= 0 {
		w.plan.Add[i].ProductTypes = append(w.plan.Add[i].ProductTypes, pt)
		return nil
	} else {
		p.Printf("Please provide a description for this workflow.\n")
		p.Printf("This description will be managed in the database and can be updated via the UI/API endpoint.\n")
		if e.Description, err = p.Input("Workflow description: ", ""); err != nil {
			return err
		}
	}
	w.plan.Add = append(w.plan.Add, e)
	return nil
}

func (w *Wizard) addTask() error {
	p := w.Prompt
	p.Println("\nAdd new task\n", prompt.Underline)
	var names []string
	for _, wf := range w.registered() {
		if r := w.row(wf.Name); r != nil && r.isTask {
			continue
		}
		if w.adding(wf.Name, "") || w.deleting(wf.Name) {
			continue
		}
		names = append(names, wf.Name)
	}
	if len(names) == 0 {
		p.Printf("No registered tasks found to add to the database\n")
		return nil
	}
	p.Printf("\nWhich task should be added?\n")
	key, err := p.Menu(prompt.Numbered(names, prompt.Option{Key: "q", Label: "cancel"}))
	if err != nil || key == "q" {
		return err
	}
	wf, err := w.Registry.Get(names[index(key)])
	if err != nil {
		p.Printf("Could not load workflow\n")
		return nil
	}
	w.plan.Add = append(w.plan.Add, Entry{Name: wf.Name, Target: wf.Target, Description: wf.Description, Exists: w.row(wf.Name) != nil})
	return nil
}

// deletable lists the database rows of the wizard's kind not chosen yet: workflows linked to a product type
// (sorted by product type, target and name), or tasks (sorted by description and name).
func (w *Wizard) deletable(unregisteredOnly bool) []*dbWorkflow {
	var out []*dbWorkflow
	for _, r := range w.rows {
		if r.isTask != (w.Kind == Tasks) || w.deleting(r.name) || w.adding(r.name, "") {
			continue
		}
		if unregisteredOnly && w.Registry.Has(r.name) {
			continue
		}
		if w.Kind == Workflows && !unregisteredOnly && len(r.productTypes) == 0 {
			continue
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if w.Kind == Tasks {
			return a.description+"\x00"+a.name < b.description+"\x00"+b.name
		}
		ka := strings.Join(a.productTypes, ", ") + "\x00" + string(a.target) + "\x00" + a.name
		kb := strings.Join(b.productTypes, ", ") + "\x00" + string(b.target) + "\x00" + b.name
		return ka < kb
	})
	return out
}

func (w *Wizard) table(rows []*dbWorkflow) string {
	var cells [][]string
	for _, r := range rows {
		if w.Kind == Tasks {
			cells = append(cells, []string{r.name, r.description})
		} else {
			cells = append(cells, []string{r.name, string(r.target), r.description, strings.Join(r.productTypes, ", ")})
		}
	}
	if w.Kind == Tasks {
		return prompt.Table([]string{"#", "name", "description"}, cells)
	}
	return prompt.Table([]string{"#", "name", "target", "description", "product_type"}, cells)
}

func entry(r *dbWorkflow) Entry {
	return Entry{Name: r.name, Target: r.target, Description: r.description, ProductTypes: r.productTypes, Exists: true}
}

func (w *Wizard) deleteOne() error {
	p := w.Prompt
	noun := w.Kind.noun()
	p.Println("\nDelete existing "+noun+"\n", prompt.Underline)
	rows := w.deletable(false)
	if len(rows) == 0 {
		p.Printf("No deletable %ss in database\n", noun)
		return nil
	}
	p.Println(w.table(rows) + "\n")
	answer, err := p.Input("Which "+noun+" do you want to delete? (q to cancel) ", "q")
	if err != nil {
		return err
	}
	i := index(answer)
	if i < 0 || i >= len(rows) {
		return nil
	}
	w.plan.Delete = append(w.plan.Delete, entry(rows[i]))
	return nil
}

func (w *Wizard) deleteDangling() error {
	p := w.Prompt
	noun := w.Kind.noun()
	rows := w.deletable(true)
	if len(rows) == 0 {
		p.Printf("No dangling %ss found.\n", noun)
		return nil
	}
	p.Println("\nThe following " + noun + "s were found in the database that do not have a corresponding LazyWorkflowInstance:\n")
	p.Println(w.table(rows) + "\n")
	answer, err := p.Input("Do you wish to delete all dangling "+noun+"s from the database? [y/n]: ", "n")
	if err != nil {
		return err
	}
	if strings.ToLower(answer) != "y" {
		p.Printf("Cancelling\n")
		return nil
	}
	for _, r := range rows {
		w.plan.Delete = append(w.plan.Delete, entry(r))
	}
	return nil
}

func (w *Wizard) show() {
	p := w.Prompt
	title := "Workflows"
	if w.Kind == Tasks {
		title = "Tasks"
	}
	p.Println("\n"+title+" to add:", prompt.Green)
	p.Println(w.plan.table(w.plan.Add) + "\n")
	p.Println(title+" to delete:", prompt.Red)
	p.Println(w.plan.table(w.plan.Delete) + "\n")
}

// table renders entries as the reference's diff tables (headers are the keys of its dicts).
func (p *Plan) table(entries []Entry) string {
	if len(entries) == 0 {
		return ""
	}
	var cells [][]string
	for _, e := range entries {
		if p.Kind == Tasks {
			cells = append(cells, []string{e.Name, e.Description})
		} else {
			cells = append(cells, []string{e.Name, string(e.Target), e.Description, strings.Join(e.ProductTypes, ", ")})
		}
	}
	if p.Kind == Tasks {
		return prompt.Table([]string{"", "name", "description"}, cells)
	}
	return prompt.Table([]string{"", "name", "target", "description", "product_type"}, cells)
}

// Summary is what --test prints: the entries to add and to delete as tables.
func (p *Plan) Summary() string {
	title := "Workflows"
	if p.Kind == Tasks {
		title = "Tasks"
	}
	var b strings.Builder
	for _, part := range []struct {
		what    string
		entries []Entry
	}{{"add", p.Add}, {"delete", p.Delete}} {
		fmt.Fprintf(&b, "%s to %s:\n", title, part.what)
		if t := p.table(part.entries); t != "" {
			b.WriteString(t + "\n")
		} else {
			b.WriteString("(none)\n")
		}
	}
	return b.String()
}

// index turns a 1-based menu key into a 0-based index, -1 when it is not a number.
func index(key string) int {
	var n int
	if _, err := fmt.Sscanf(key, "%d", &n); err != nil || fmt.Sprint(n) != key {
		return -1
	}
	return n - 1
}
