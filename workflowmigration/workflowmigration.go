// Package workflowmigration is what db migrate-workflows and db migrate-tasks decide, without their questions: the
// workflows registered in code against the rows of workflows and products_workflows (State, Compare), what may be
// added to or deleted from the database at each point of the wizard (Planner), and the SQL revision on the data
// branch whose upgrade makes the chosen changes and whose downgrade reverses them (Plan). Everything here but Load
// is a pure function of its inputs; the menus and prompts are the command line's.
//
// It fixes the reference's bugs in these wizards: every dangling workflow or task is deleted (not the first four
// or two); adding a workflow that already exists to a further product type links it; soft-deleted rows are not
// listed; a workflow linked to several product types shows (and restores) all of them; a task keeps its own target
// (SYSTEM or VALIDATE) and a registered task whose row is not marked as a task becomes one; deleting a workflow that
// processes ran keeps its row, marked deleted (deleted_at), instead of failing on the foreign key; lists are
// sorted. The SQL runs unchanged on PostgreSQL and SQLite.
package workflowmigration

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/wfo-go/wfo/catalogue"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/workflow"
)

// Kind selects the wizard: workflows (linked to product types) or tasks.
type Kind int

// The two wizards.
const (
	Workflows Kind = iota
	Tasks
)

// Noun is "workflow" or "task".
func (k Kind) Noun() string {
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
	// Exists says the row is in the database (not deleted) when the plan was made: adding it then only links it.
	Exists bool
}

// Plan is what to change.
type Plan struct {
	Kind   Kind
	Add    []Entry
	Delete []Entry
}

// Empty reports whether there is nothing to do.
func (p *Plan) Empty() bool { return len(p.Add) == 0 && len(p.Delete) == 0 }

// Row is a row of workflows (not deleted) with the product types it is linked to.
type Row struct {
	Name         string
	Target       workflow.Target
	Description  string
	IsTask       bool
	ProductTypes []string
}

// Entry is the row as an entry to delete.
func (r Row) Entry() Entry {
	return Entry{Name: r.Name, Target: r.Target, Description: r.Description, ProductTypes: r.ProductTypes, Exists: true}
}

// State is the database's side: the workflows and the product types of its products.
type State struct {
	Rows         []Row
	ProductTypes []string
}

// ErrNoSchema: the database does not have the core schema yet.
var ErrNoSchema = catalogue.ErrNoSchema

// Load reads the state from the catalogue store.
func Load(ctx context.Context, db *database.DB) (*State, error) {
	store := catalogue.New(db)
	rows, err := store.Workflows(ctx)
	if errors.Is(err, catalogue.ErrNoSchema) {
		return nil, fmt.Errorf("workflowmigration: %w", ErrNoSchema)
	}
	if err != nil {
		return nil, fmt.Errorf("workflowmigration: %w", err)
	}
	st := &State{}
	for _, r := range rows {
		st.Rows = append(st.Rows, Row{Name: r.Name, Target: workflow.Target(r.Target), Description: r.Description, IsTask: r.IsTask, ProductTypes: r.ProductTypes})
	}
	if st.ProductTypes, err = store.ProductTypes(ctx); err != nil {
		return nil, fmt.Errorf("workflowmigration: %w", err)
	}
	return st, nil
}

func (s *State) row(name string) *Row {
	for i := range s.Rows {
		if s.Rows[i].Name == name {
			return &s.Rows[i]
		}
	}
	return nil
}

// Diff is how the registrations and the database differ, for one kind.
type Diff struct {
	// Unregistered are the rows of the kind that no registered workflow has (the dangling ones), sorted as
	// Planner.Deletable sorts them.
	Unregistered []Row
	// NotInDatabase are the registered workflows of the kind without a row, or (tasks) whose row is not marked
	// as a task; sorted by name.
	NotInDatabase []string
	// Unlinked are the registered workflows (not tasks) that are linked to no product type; sorted by name.
	Unlinked []string
}

// Compare is the difference between the registry and the state, for the kind.
func Compare(kind Kind, st *State, reg *workflow.Registry) Diff {
	p := NewPlanner(kind, st, reg)
	d := Diff{Unregistered: p.Deletable(true)}
	for _, wf := range p.Registered() {
		r := st.row(wf.Name)
		switch {
		case r == nil || (kind == Tasks && !r.IsTask):
			d.NotInDatabase = append(d.NotInDatabase, wf.Name)
		case kind == Workflows && len(r.ProductTypes) == 0:
			d.Unlinked = append(d.Unlinked, wf.Name)
		}
	}
	return d
}

// Planner builds a plan step by step, as the wizard's answers come: it says what may be chosen next and records the
// choices. It reads nothing and asks nothing.
type Planner struct {
	kind  Kind
	state *State
	reg   *workflow.Registry
	plan  Plan
}

// NewPlanner returns a planner with an empty plan.
func NewPlanner(kind Kind, st *State, reg *workflow.Registry) *Planner {
	return &Planner{kind: kind, state: st, reg: reg, plan: Plan{Kind: kind}}
}

// Kind is the planner's kind.
func (p *Planner) Kind() Kind { return p.kind }

// Plan returns the plan so far.
func (p *Planner) Plan() *Plan { return &p.plan }

// ProductTypes are the product types workflows can be added to.
func (p *Planner) ProductTypes() []string { return p.state.ProductTypes }

func (p *Planner) deleting(name string) bool {
	return slices.ContainsFunc(p.plan.Delete, func(e Entry) bool { return e.Name == name })
}

func (p *Planner) adding(name, productType string) bool {
	return slices.ContainsFunc(p.plan.Add, func(e Entry) bool {
		return e.Name == name && (productType == "" || slices.Contains(e.ProductTypes, productType))
	})
}

// Registered lists the registered workflows of the planner's kind, sorted by name: tasks or the others.
func (p *Planner) Registered() []*workflow.Workflow {
	var out []*workflow.Workflow
	for _, wf := range p.reg.All() {
		if wf.IsTask == (p.kind == Tasks) {
			out = append(out, wf)
		}
	}
	return out
}

// Addable lists the names that may be added next: for workflows, the registered ones not linked to productType yet
// and not chosen; for tasks (productType ignored), the registered ones without a task row and not chosen.
func (p *Planner) Addable(productType string) []string {
	var names []string
	for _, wf := range p.Registered() {
		r := p.state.row(wf.Name)
		if p.kind == Tasks {
			if r != nil && r.IsTask {
				continue
			}
			productType = ""
		} else if r != nil && slices.Contains(r.ProductTypes, productType) {
			continue // linked already
		}
		if p.adding(wf.Name, productType) || p.deleting(wf.Name) {
			continue
		}
		names = append(names, wf.Name)
	}
	return names
}

// NeedsDescription reports whether adding the workflow name needs a description from the user: it has no row and
// is not in the plan yet. (A task's description is its registered one.)
func (p *Planner) NeedsDescription(name string) bool {
	return p.kind == Workflows && p.state.row(name) == nil && !p.adding(name, "")
}

// AddWorkflow adds the registered workflow to the plan for productType. A workflow in the database is only linked
// (its description stays); one in the plan already gets the product type too; otherwise it is added with the
// description.
func (p *Planner) AddWorkflow(name, productType, description string) error {
	wf, err := p.reg.Get(name)
	if err != nil {
		return fmt.Errorf("workflowmigration: %w", err)
	}
	e := Entry{Name: wf.Name, Target: wf.Target, ProductTypes: []string{productType}, Description: description}
	if r := p.state.row(wf.Name); r != nil {
		e.Exists, e.Description = true, r.Description
	} else if i := slices.IndexFunc(p.plan.Add, func(a Entry) bool { return a.Name == wf.Name }); i >= 0 {
		p.plan.Add[i].ProductTypes = append(p.plan.Add[i].ProductTypes, productType)
		return nil
	}
	p.plan.Add = append(p.plan.Add, e)
	return nil
}

// AddTask adds the registered task to the plan.
func (p *Planner) AddTask(name string) error {
	wf, err := p.reg.Get(name)
	if err != nil {
		return fmt.Errorf("workflowmigration: %w", err)
	}
	p.plan.Add = append(p.plan.Add, Entry{Name: wf.Name, Target: wf.Target, Description: wf.Description, Exists: p.state.row(wf.Name) != nil})
	return nil
}

// Delete adds rows to delete to the plan.
func (p *Planner) Delete(rows ...Row) {
	for _, r := range rows {
		p.plan.Delete = append(p.plan.Delete, r.Entry())
	}
}

// Deletable lists the database rows of the planner's kind not chosen yet: with unregisteredOnly, those no
// registered workflow has; otherwise workflows linked to a product type, or tasks. Workflows are sorted by product
// types, target and name, tasks by description and name.
func (p *Planner) Deletable(unregisteredOnly bool) []Row {
	var out []Row
	for _, r := range p.state.Rows {
		if r.IsTask != (p.kind == Tasks) || p.deleting(r.Name) || p.adding(r.Name, "") {
			continue
		}
		if unregisteredOnly && p.reg.Has(r.Name) {
			continue
		}
		if p.kind == Workflows && !unregisteredOnly && len(r.ProductTypes) == 0 {
			continue
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if p.kind == Tasks {
			return a.Description+"\x00"+a.Name < b.Description+"\x00"+b.Name
		}
		ka := strings.Join(a.ProductTypes, ", ") + "\x00" + string(a.Target) + "\x00" + a.Name
		kb := strings.Join(b.ProductTypes, ", ") + "\x00" + string(b.Target) + "\x00" + b.Name
		return ka < kb
	})
	return out
}
