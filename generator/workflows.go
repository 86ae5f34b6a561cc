package generator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// workflowData is what the workflow and test templates see.
type workflowData struct {
	Model       *Model
	Package     string
	ProductType GoType
	RootGoName  string
	TDD         bool
	// Inputs are the root block's single values: the fields of the forms.
	Inputs []*Input
	// Modifiable are the inputs the modify form offers.
	Modifiable []*Input
	// Validators are the field validations of the inputs, ModifyValidators those of the modifiable ones.
	Validators, ModifyValidators        []Validator
	Create, Modify, Terminate, Validate WorkflowModel
	// Enabled are the names of the enabled workflows, EnabledVars their variables.
	Enabled     []string
	EnabledVars []GoType
	Construct   string
	LoadState   string
	// Filled are the root block's nested blocks that the create step makes empty (required, with no required
	// fields of their own); Todo the required fields it cannot fill.
	Filled, Todo []*FieldModel
	// FirstProduct is the product the tests create subscriptions of.
	FirstProduct string
	Harness      GoType
}

// Input is a form field made from a root block field.
type Input struct {
	Field  *FieldModel
	Name   string
	GoName string
	// CreateRequired is true when the create form requires the field (required from initial or provisioning).
	CreateRequired bool
	// Sample is a valid value as a Go literal of the form's JSON input, for the tests.
	Sample string
}

// Optional reports whether the create form's field is a pointer.
func (i *Input) Optional() bool { return !i.CreateRequired }

// Validator is a field validation: a function checking one input.
type Validator struct {
	Func, ID, Description string
	Field                 *FieldModel
	Input                 *Input
}

// WorkflowModel is one of the four workflows.
type WorkflowModel struct {
	Kind, Name, Var, Description, Target string
	Form, Input                          string
	Enabled                              bool
	Validations                          []WorkflowValidation
}

// WorkflowValidation is a validation of a workflow: a model validator of a form or a check step.
type WorkflowValidation struct {
	Func, ID, Description string
}

func (g *Generator) workflowData() *workflowData {
	m := g.m
	p := m.Product
	wfDir := m.dir("workflows", m.Config.Variable)
	d := &workflowData{
		Model: m, Package: m.Config.Variable, TDD: g.opts.TDD,
		ProductType: GoType{Path: p.ImportPath, Pkg: p.Package, Name: p.GoType},
		RootGoName:  p.RootGoName,
		Construct:   "construct" + exportType(p.GoType) + "Model",
		LoadState:   "loadInitialState",
	}
	if len(p.Variants) > 0 {
		d.FirstProduct = p.Variants[0].Name
	}
	for _, f := range m.Root.Fields {
		if !f.Input() {
			continue
		}
		in := &Input{Field: f, Name: f.Name, GoName: f.GoName, CreateRequired: f.Required == "initial" || f.Required == "provisioning", Sample: sample(f)}
		d.Inputs = append(d.Inputs, in)
		if f.Config.Modifiable {
			d.Modifiable = append(d.Modifiable, in)
		}
		for _, v := range f.Config.Validations {
			val := Validator{Func: lowerFirst(GoName(v.ID)), ID: v.ID, Description: v.Description, Field: f, Input: in}
			d.Validators = append(d.Validators, val)
			if f.Config.Modifiable {
				d.ModifyValidators = append(d.ModifyValidators, val)
			}
		}
	}
	d.Filled, d.Todo = g.fills()
	for _, k := range workflowKinds {
		wc := m.Config.Workflow(k.kind)
		name := k.kind + "_" + m.Config.Variable
		wm := WorkflowModel{
			Kind: k.kind, Name: name, Var: GoName(name), Target: k.target, Enabled: wc.Enabled,
			Description: strings.ToUpper(k.kind[:1]) + k.kind[1:] + " " + m.Config.Name,
			Form:        GoName(name) + "Form", Input: lowerFirst(GoName(name)) + "Input",
		}
		for _, v := range wc.Validations {
			fn := lowerFirst(GoName(v.ID))
			if k.kind == "validate" {
				fn = "check" + GoName(v.ID)
			}
			wm.Validations = append(wm.Validations, WorkflowValidation{Func: fn, ID: v.ID, Description: v.Description})
		}
		if wc.Enabled {
			d.Enabled = append(d.Enabled, name)
			d.EnabledVars = append(d.EnabledVars, GoType{Path: m.importPath(wfDir), Pkg: d.Package, Name: wm.Var})
		}
		switch k.kind {
		case "create":
			d.Create = wm
		case "modify":
			d.Modify = wm
		case "terminate":
			d.Terminate = wm
		case "validate":
			d.Validate = wm
		}
	}
	d.Harness = GoType{Name: "newHarness"}
	return d
}

// fills sorts the root block's fields that the create form does not set but that the active lifecycle requires:
// nested blocks of this configuration without required fields of their own are created empty, the others are
// left to the developer (a TODO in the create step).
func (g *Generator) fills() (filled, todo []*FieldModel) {
	for _, f := range g.m.Root.Fields {
		if f.Input() {
			continue
		}
		switch f.Kind {
		case KindBlock:
			if f.Required == "" || f.Required == "initial" {
				// Optional, or created by subscription.Create.
				if f.Required == "initial" && !g.emptyBlockValid(f.Ref.Type) {
					todo = append(todo, f)
				}
				continue
			}
			if g.emptyBlockValid(f.Ref.Type) {
				filled = append(filled, f)
			} else {
				todo = append(todo, f)
			}
		case KindBlockList:
			if c := f.Config; c.MinItems != nil && *c.MinItems > 0 && !g.emptyBlockValid(f.Ref.Type) {
				todo = append(todo, f)
			}
		case KindValueList:
			if c := f.Config; c.MinItems != nil && *c.MinItems > 0 {
				todo = append(todo, f)
			}
		}
	}
	return filled, todo
}

// emptyBlockValid reports whether an empty block of the type is valid in every lifecycle: a block of this
// configuration whose fields are all optional (blocks of other configurations are not known here).
func (g *Generator) emptyBlockValid(typ string) bool {
	b := g.m.Config.Block(typ)
	if b == nil {
		return false
	}
	for _, bm := range g.m.Blocks {
		if bm.Config != b {
			continue
		}
		for _, f := range bm.Fields {
			if f.Required != "" || (f.Config.MinItems != nil && *f.Config.MinItems > 0) {
				return false
			}
		}
	}
	return true
}

// sample is a valid value of the field as a Go literal of its JSON form: what the tests enter in the forms.
func sample(f *FieldModel) string {
	var v any
	switch f.Kind {
	case KindEnum:
		v = f.Enum.Members[0].Value
		if f.HasDefault {
			v = f.Default
		}
		if f.Enum.Int {
			return f.Enum.Member(v.(string)).Literal
		}
	case KindInt:
		n := int64(1)
		if f.Int.Min != nil {
			n = *f.Int.Min
		} else if f.Int.Max != nil && *f.Int.Max < 1 {
			n = *f.Int.Max
		}
		v = n
	case KindValue:
		switch {
		case f.Elem.Name == "Addr" && f.IP == 6:
			v = "2001:db8::1"
		case f.Elem.Name == "Addr":
			v = "192.0.2.1"
		case f.Elem.Name == "Prefix" && f.IP == 6:
			v = "2001:db8::/64"
		case f.Elem.Name == "Prefix":
			v = "192.0.2.0/24"
		case f.Elem.Name == "Time":
			v = "2026-01-01T00:00:00Z"
		default:
			v = "8b5a2c52-44b5-4c2c-8cc8-1d3e3b0a9f01"
		}
	default:
		switch f.Elem.Name {
		case "int":
			v = 1
		case "bool":
			v = true
		case "string":
			v = "test " + f.Name
		default:
			v = "8b5a2c52-44b5-4c2c-8cc8-1d3e3b0a9f01"
		}
	}
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

// Workflows returns the workflows' package (a file per enabled workflow and one with the field validators) and
// its registration in package workflows, and the translations.
func (g *Generator) Workflows() ([]File, error) {
	m := g.m
	d := g.workflowData()
	dir := m.dir("workflows", d.Package)
	self := m.importPath(dir)
	var files []File
	add := func(tmpl, name string) error {
		out, err := g.t.render(tmpl, self, d.Package, m.Module.Path, d)
		if err != nil {
			return err
		}
		files = append(files, File{Path: g.file(dir, name), Content: out})
		return nil
	}
	if err := add("workflows_forms.go.tmpl", "forms.go"); err != nil {
		return nil, err
	}
	for _, w := range []WorkflowModel{d.Create, d.Modify, d.Terminate, d.Validate} {
		if !w.Enabled {
			continue
		}
		if err := add(w.Kind+"_product.go.tmpl", w.Name+".go"); err != nil {
			return nil, err
		}
	}
	wfDir := m.dir("workflows")
	reg, err := g.t.render("workflows_register.go.tmpl", m.importPath(wfDir), "workflows", m.Module.Path, d)
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: g.file(wfDir, d.Package+".go"), Content: reg})
	files = append(files, File{Path: g.file(m.dir("translations"), "en-GB.json"), Merge: g.translations(d)})
	shared, err := g.shared()
	if err != nil {
		return nil, err
	}
	return append(files, shared...), nil
}

// translations merges the enabled workflows' names into translations/en-GB.json, written as the reference writes
// it: sorted keys, indented by four spaces, a final newline. Unlike the reference, names are added without
// --force (nothing is lost); a name already there is changed only with it.
func (g *Generator) translations(d *workflowData) func(old []byte, force bool) ([]byte, error) {
	return func(old []byte, force bool) ([]byte, error) {
		doc := map[string]any{"workflow": map[string]any{}}
		if old != nil {
			if err := json.Unmarshal(old, &doc); err != nil {
				return nil, fmt.Errorf("the translations are not valid JSON: %w", err)
			}
		}
		wf, ok := doc["workflow"].(map[string]any)
		if !ok {
			wf = map[string]any{}
			doc["workflow"] = wf
		}
		for _, w := range []WorkflowModel{d.Create, d.Modify, d.Terminate, d.Validate} {
			if _, there := wf[w.Name]; w.Enabled && (!there || force) {
				wf[w.Name] = w.Description
			}
		}
		out, err := json.MarshalIndent(doc, "", "    ")
		if err != nil {
			return nil, err
		}
		return append(out, '\n'), nil
	}
}

// Blocked says why the tests cannot create a subscription to run the workflows on, "" when they can.
func (d *workflowData) Blocked() string {
	if !d.Create.Enabled {
		return d.Create.Name + " is disabled, so the tests have no subscription to run the workflows on"
	}
	if len(d.Todo) > 0 {
		var names []string
		for _, f := range d.Todo {
			names = append(names, f.Name)
		}
		return "the create step does not set " + strings.Join(names, ", ") + " yet, which the active lifecycle requires"
	}
	return ""
}

// UnitTests returns the tests: one of the product type (create, store and load a subscription) and one per
// enabled workflow (its happy flow and a row per validation), with the helpers they share when missing.
func (g *Generator) UnitTests() ([]File, error) {
	m := g.m
	d := g.workflowData()
	var files []File
	typesDir, wfDir := "test/unit_tests/domain/product_types", "test/unit_tests/workflows"
	out, err := g.t.render("test_product_type.go.tmpl", m.importPath(typesDir), "product_types_test", m.Module.Path, d)
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: g.file(typesDir, d.Package+"_test.go"), Content: out})
	for _, w := range []WorkflowModel{d.Create, d.Modify, d.Terminate, d.Validate} {
		if !w.Enabled {
			continue
		}
		out, err := g.t.render("test_"+w.Kind+"_product.go.tmpl", m.importPath(wfDir), "workflows_test", m.Module.Path, d)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: g.file(wfDir, w.Name+"_test.go"), Content: out})
	}
	out, err = g.t.render("test_harness.go.tmpl", m.importPath(wfDir), "workflows_test", m.Module.Path, d)
	if err != nil {
		return nil, err
	}
	return append(files, File{Path: g.file(wfDir, "harness_test.go"), Content: out, IfMissing: true}), nil
}

// Products and Workflows are the module's registration packages, for the tests.
func (d *workflowData) Products() GoType {
	return GoType{Path: d.Model.importPath(d.Model.dir("products")), Pkg: "products", Name: "Registry"}
}

// Workflows: see Products.
func (d *workflowData) Workflows() GoType {
	return GoType{Path: d.Model.importPath(d.Model.dir("workflows")), Pkg: "workflows", Name: "All"}
}

var _ = slices.Contains[[]string]
