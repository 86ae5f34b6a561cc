package generator

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Model is a configuration resolved against the module: Go names, types and packages for every block, field and
// fixed input, the blocks in dependency order and the product variants.
type Model struct {
	Config *Config
	Module Module
	// Base is the slash path, relative to the module root, of the folder the files go under (the working
	// directory plus the folder prefix).
	Base string
	// Blocks are the configuration's blocks, each after the blocks it uses.
	Blocks []*BlockModel
	Root   *BlockModel
	// Product is the product type.
	Product *ProductModel
	// Existing are the blocks found in the module's code.
	Existing map[string]*ExistingBlock
}

// BlockModel is a product block of the configuration.
type BlockModel struct {
	Config *BlockConfig
	// GoType is the struct's name (<Type>Block), Package its package and Dir its folder (slash path from the
	// module root).
	GoType, Package, Dir, ImportPath string
	Fields                           []*FieldModel
	Enums                            []*EnumModel
	Ints                             []*IntModel
	// DependsOn are the block names (product_blocks.name) of the blocks it uses, sorted.
	DependsOn []string
	deps      []string // block types of the same configuration it uses
}

// Name is product_blocks.name.
func (b *BlockModel) Name() string { return b.Config.BlockName }

// Tag is the wfo tag of the block's embedded domain.Block: the block name and the declared tag and status.
func (b *BlockModel) Tag() string {
	tag := b.Config.BlockName
	if b.Config.Tag != "" {
		tag += ",tag=" + b.Config.Tag
	}
	return tag + ",status=active"
}

// BlockRef is a block a field refers to: one of the configuration or one in the module's code.
type BlockRef struct {
	Type, GoType, Package, ImportPath, BlockName string
}

// Kind is what a field holds.
type Kind string

// The field kinds.
const (
	KindScalar    Kind = "scalar"     // int, string, bool, UUID
	KindEnum      Kind = "enum"       // a named type with values
	KindInt       Kind = "int"        // a constrained int
	KindValue     Kind = "value"      // a dotted type: an address, a prefix, a time
	KindBlock     Kind = "block"      // a nested block
	KindBlockList Kind = "block list" // a list of blocks
	KindValueList Kind = "value list" // a list of values
)

// GoType is a Go type, possibly from another package.
type GoType struct {
	// Path is the import path, "" for a predeclared type or one of the file's own package.
	Path, Pkg, Name string
}

// FieldModel is a field of a block.
type FieldModel struct {
	Config *FieldConfig
	Name   string
	GoName string
	Kind   Kind
	// Elem is the type of the value (of one element for lists).
	Elem GoType
	// Pointer is true for an optional single field.
	Pointer bool
	// Required is the lifecycle the field is required from: "", initial, provisioning or active.
	Required string
	IP       int
	Enum     *EnumModel
	Int      *IntModel
	Ref      *BlockRef
	// Default is the stored form of the default, when the field has one.
	Default    string
	HasDefault bool
	// Tag is the wfo struct tag's value.
	Tag string
}

// Input reports whether the field appears in the workflows' forms: a single value of the root block.
func (f *FieldModel) Input() bool {
	return f.Kind != KindBlock && f.Kind != KindBlockList && f.Kind != KindValueList
}

// RequiredBy reports whether the field must be set in lifecycle lc (initial, provisioning or active).
func (f *FieldModel) RequiredBy(lc string) bool {
	order := map[string]int{"initial": 1, "provisioning": 2, "active": 3}
	return f.Required != "" && order[f.Required] <= order[lc]
}

// EnumModel is an enum type: a named string or int type with a constant per value.
type EnumModel struct {
	TypeName    string
	Int         bool
	Members     []EnumMember
	Description string
	// Field is the attribute name the enum was made for.
	Field string
}

// EnumMember is one value of an enum.
type EnumMember struct {
	// Name is the constant's name, Literal its Go literal and Value its stored form.
	Name, Literal, Value string
}

// Member returns the member with the stored value.
func (e *EnumModel) Member(value string) EnumMember {
	for _, m := range e.Members {
		if m.Value == value {
			return m
		}
	}
	return EnumMember{}
}

// IntModel is a constrained int: a named int type with bounds.
type IntModel struct {
	TypeName    string
	Min, Max    *int64
	Description string
	Field       string
}

// MinLiteral and MaxLiteral are the bounds as Go literals, open sides the int64 limits.
func (i *IntModel) MinLiteral() string {
	if i.Min == nil {
		return "math.MinInt64"
	}
	return intLiteral(*i.Min)
}

// MaxLiteral: see MinLiteral.
func (i *IntModel) MaxLiteral() string {
	if i.Max == nil {
		return "math.MaxInt64"
	}
	return intLiteral(*i.Max)
}

// intLiteral writes an integer with "_" between thousands, as the reference prints bounds (32_767).
func intLiteral(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) > 4 {
		var b strings.Builder
		for i, r := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
		}
		s = b.String()
	}
	if neg {
		return "-" + s
	}
	return s
}

// ProductModel is the product type.
type ProductModel struct {
	GoType, Package, Dir, ImportPath string
	// TypeName is products.product_type.
	TypeName    string
	FixedInputs []*FixedInputModel
	Enums       []*EnumModel
	// RootField is the root block's attribute name and RootGoName its Go field name.
	RootField, RootGoName string
	Variants              []Variant
}

// FixedInputModel is a fixed input of the product type.
type FixedInputModel struct {
	Config *FixedInput
	Name   string
	GoName string
	Elem   GoType
	Enum   *EnumModel
}

// Variant is one product of the product type: its name and its fixed inputs' values (stored form).
type Variant struct {
	Name   string
	Values []VariantValue
}

// VariantValue is a fixed input's value in a variant.
type VariantValue struct{ Name, Value string }

// Command names, for the checks that differ between them.
const (
	CmdProductBlocks = "product-blocks"
	CmdProduct       = "product"
	CmdWorkflows     = "workflows"
	CmdUnitTests     = "unit-tests"
	CmdMigration     = "migration"
)

// Resolve resolves a configuration for a command: block references against the configuration and the existing
// blocks, the dependency order and the root block. The checks and their order follow the reference: product-blocks
// and migration sort the blocks first (a cycle is reported as one), the others look for the root first.
func Resolve(cfg *Config, mod Module, base string, existing map[string]*ExistingBlock, command string) (*Model, error) {
	m := &Model{Config: cfg, Module: mod, Base: path.Clean(base), Existing: existing}
	var errs Errors
	for _, b := range cfg.Blocks {
		bm, ferrs := m.block(b)
		errs = append(errs, ferrs...)
		m.Blocks = append(m.Blocks, bm)
	}
	if errs = append(slices.Clone(cfg.problems), errs...); len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *Error) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Col - b.Col
		})
		return nil, errs
	}
	if command == CmdProductBlocks || command == CmdMigration {
		if err := m.sort(); err != nil {
			return nil, err
		}
		if err := m.findRoot(); err != nil {
			return nil, err
		}
	} else {
		if err := m.findRoot(); err != nil {
			return nil, err
		}
		if err := m.sort(); err != nil {
			return nil, err
		}
	}
	if !attrPattern.MatchString(m.Root.Config.Name) {
		return nil, Errors{cfg.errorAt(m.Root.Config.path+"/name", fmt.Sprintf("invalid identifier %q: the root block's name is the product type's attribute for it; want letters, digits and underscores, starting with a letter", m.Root.Config.Name))}
	}
	if err := m.product(); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Model) dir(parts ...string) string { return path.Join(append([]string{m.Base}, parts...)...) }

func (m *Model) importPath(dir string) string {
	if dir == "." {
		return m.Module.Path
	}
	return m.Module.Path + "/" + dir
}

// ref finds the block a field type names.
func (m *Model) ref(typ string) *BlockRef {
	if b := m.Config.Block(typ); b != nil {
		dir := m.dir("products", "product_blocks", b.Variable)
		return &BlockRef{Type: typ, GoType: exportType(typ) + "Block", Package: b.Variable, ImportPath: m.importPath(dir), BlockName: b.BlockName}
	}
	if e, ok := m.Existing[typ]; ok {
		return &BlockRef{Type: typ, GoType: e.GoType, Package: e.Package, ImportPath: e.ImportPath, BlockName: e.BlockName}
	}
	return nil
}

func (m *Model) block(b *BlockConfig) (*BlockModel, Errors) {
	dir := m.dir("products", "product_blocks", b.Variable)
	bm := &BlockModel{Config: b, GoType: exportType(b.Type) + "Block", Package: b.Variable, Dir: dir, ImportPath: m.importPath(dir)}
	var errs Errors
	for _, f := range b.Fields {
		fm, err := m.field(f, b)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		bm.Fields = append(bm.Fields, fm)
		if fm.Enum != nil {
			bm.Enums = append(bm.Enums, fm.Enum)
		}
		if fm.Int != nil {
			bm.Ints = append(bm.Ints, fm.Int)
		}
		if fm.Ref != nil {
			if !slices.Contains(bm.DependsOn, fm.Ref.BlockName) {
				bm.DependsOn = append(bm.DependsOn, fm.Ref.BlockName)
			}
			if m.Config.Block(fm.Ref.Type) != nil && !slices.Contains(bm.deps, fm.Ref.Type) {
				bm.deps = append(bm.deps, fm.Ref.Type)
			}
		}
	}
	slices.Sort(bm.DependsOn)
	return bm, errs
}

func (m *Model) field(f *FieldConfig, b *BlockConfig) (*FieldModel, *Error) {
	blockDir := m.dir("products", "product_blocks", b.Variable)
	local := func(name string) GoType { return GoType{Path: m.importPath(blockDir), Pkg: b.Variable, Name: name} }
	fm := &FieldModel{Config: f, Name: f.Name, GoName: GoName(f.Name), Required: f.Required}
	if fm.Required == "inactive" {
		fm.Required = "initial"
	}
	typ := f.Type
	if typ == "list" {
		typ = f.ListType
	}
	switch {
	case typ == "enum":
		fm.Kind = KindEnum
		fm.Enum = enumModel(f.Name, f.EnumType, f.Values, f.Description)
		fm.Elem = local(fm.Enum.TypeName)
	case typ == "int" && (f.MinValue != nil || f.MaxValue != nil):
		fm.Kind = KindInt
		fm.Int = &IntModel{TypeName: SnakeToCamel(f.Name), Min: f.MinValue, Max: f.MaxValue, Description: f.Description, Field: f.Name}
		fm.Elem = local(fm.Int.TypeName)
	case scalarTypes[typ] != "":
		fm.Kind = KindScalar
		fm.Elem = GoType{Name: scalarTypes[typ]}
		if typ == "UUID" {
			fm.Elem = GoType{Path: "github.com/google/uuid", Pkg: "uuid", Name: "UUID"}
		}
	case dottedTypes[typ].goType != "":
		d := dottedTypes[typ]
		pkg, name, _ := strings.Cut(d.goType, ".")
		fm.Kind, fm.Elem, fm.IP = KindValue, GoType{Path: d.importPath, Pkg: pkg, Name: name}, d.ip
	default:
		ref := m.ref(typ)
		if ref == nil {
			key := "/type"
			if f.Type == "list" {
				key = "/list_type"
			}
			known := []string{}
			for _, b := range m.Config.Blocks {
				known = append(known, b.Type)
			}
			for _, t := range sortedTypes(m.Existing) {
				if !slices.Contains(known, t) {
					known = append(known, t)
				}
			}
			blocks := "none"
			if len(known) > 0 {
				blocks = strings.Join(known, ", ")
			}
			return nil, m.Config.errorAt(f.path+key, fmt.Sprintf("unknown type %q: valid are int, str, bool, UUID, enum, list, %s, or a product block's type (here or in products/product_blocks: %s)", typ, dottedNames(), blocks))
		}
		fm.Kind, fm.Ref = KindBlock, ref
		fm.Elem = GoType{Path: ref.ImportPath, Pkg: ref.Package, Name: ref.GoType}
	}
	if f.Type == "list" {
		if fm.Kind == KindBlock {
			fm.Kind = KindBlockList
		} else {
			fm.Kind = KindValueList
		}
	} else if fm.Required != "initial" {
		fm.Pointer = true
	}
	if f.HasDefault {
		fm.HasDefault, fm.Default = true, valueString(f.Default)
	}
	fm.Tag = fm.tag()
	return fm, nil
}

func (f *FieldModel) tag() string {
	parts := []string{f.Name}
	// A pointer says from which lifecycle it must be set. A list is never absent: required= says from which
	// lifecycle its bounds apply (the domain's default for lists is initial, so that one is left out).
	isList := f.Kind == KindBlockList || f.Kind == KindValueList
	if f.Required != "" && (f.Pointer || isList && f.Required != "initial") {
		parts = append(parts, "required="+f.Required)
	}
	if c := f.Config; c.MinItems != nil && *c.MinItems > 0 {
		parts = append(parts, fmt.Sprintf("min=%d", *c.MinItems))
	}
	if c := f.Config; c.MaxItems != nil {
		parts = append(parts, fmt.Sprintf("max=%d", *c.MaxItems))
	}
	if f.IP != 0 {
		parts = append(parts, fmt.Sprintf("ip=%d", f.IP))
	}
	if f.HasDefault {
		parts = append(parts, "default="+f.Default)
	}
	return strings.Join(parts, ",")
}

func enumModel(field, enumType string, values []any, description string) *EnumModel {
	e := &EnumModel{TypeName: EnumTypeName(field), Int: enumType == "int", Description: description, Field: field}
	for _, v := range values {
		s := valueString(v)
		lit := strconv.Quote(s)
		if e.Int {
			if n, ok := v.(json.Number); ok {
				lit = string(n)
			}
		}
		e.Members = append(e.Members, EnumMember{Name: enumMember(e.TypeName, s), Literal: lit, Value: s})
	}
	return e
}

// sort orders the blocks as the reference does: sweep the blocks in file order, taking every block whose
// dependencies are taken, until all are; a sweep that takes none means a cycle.
func (m *Model) sort() error {
	var sorted []*BlockModel
	done := map[string]bool{}
	for len(sorted) < len(m.Blocks) {
		progress := false
		for _, b := range m.Blocks {
			if done[b.Config.Type] {
				continue
			}
			ready := true
			for _, d := range b.deps {
				if !done[d] {
					ready = false
				}
			}
			if ready {
				sorted = append(sorted, b)
				done[b.Config.Type] = true
				progress = true
			}
		}
		if !progress {
			var parts []string
			for _, b := range m.Blocks {
				if done[b.Config.Type] {
					continue
				}
				var deps []string
				for _, d := range b.deps {
					if !done[d] {
						deps = append(deps, "'"+d+"'")
					}
				}
				slices.Sort(deps)
				parts = append(parts, fmt.Sprintf("'%s': {%s}", b.Config.Type, strings.Join(deps, ", ")))
			}
			slices.Sort(parts)
			return Errors{m.Config.errorAt("/product_blocks", fmt.Sprintf("Cycle detected in product blocks: {%s}", strings.Join(parts, ", ")))}
		}
	}
	m.Blocks = sorted
	return nil
}

// findRoot finds the one block no other block of the configuration uses.
func (m *Model) findRoot() error {
	used := map[string]bool{}
	for _, b := range m.Blocks {
		for _, d := range b.deps {
			used[d] = true
		}
	}
	var roots []string
	var root *BlockModel
	for _, b := range m.Blocks {
		if !used[b.Config.Type] {
			roots = append(roots, "'"+b.Config.Type+"'")
			root = b
		}
	}
	switch len(roots) {
	case 1:
		m.Root = root
		return nil
	case 0:
		return Errors{m.Config.errorAt("/product_blocks", "There should be exactly 1 root product block, found none. Please ensure there are no cyclic relations")}
	}
	slices.Sort(roots)
	return Errors{m.Config.errorAt("/product_blocks", fmt.Sprintf("There should be exactly 1 root product block, found multiple: {%s}", strings.Join(roots, ", ")))}
}

func (m *Model) product() error {
	c := m.Config
	dir := m.dir("products", "product_types", c.Variable)
	p := &ProductModel{
		GoType: exportType(c.Type), Package: c.Variable, Dir: dir, ImportPath: m.importPath(dir), TypeName: c.Type,
		RootField: m.Root.Config.Name, RootGoName: GoName(m.Root.Config.Name),
	}
	for _, fi := range c.FixedInputs {
		fm := &FixedInputModel{Config: fi, Name: fi.Name, GoName: GoName(fi.Name)}
		if fi.Type == "enum" {
			fm.Enum = enumModel(fi.Name, fi.EnumType, fi.Values, fi.Description)
			fm.Elem = GoType{Name: fm.Enum.TypeName}
			p.Enums = append(p.Enums, fm.Enum)
		} else if fi.Type == "UUID" {
			fm.Elem = GoType{Path: "github.com/google/uuid", Pkg: "uuid", Name: "UUID"}
		} else {
			fm.Elem = GoType{Name: scalarTypes[fi.Type]}
		}
		if fm.GoName == p.RootGoName {
			return Errors{c.errorAt(fi.path+"/name", fmt.Sprintf("fixed input %q has the Go name of the root block %q: rename one", fi.Name, m.Root.Config.Name))}
		}
		p.FixedInputs = append(p.FixedInputs, fm)
	}
	// Variants: the Cartesian product of the enum fixed inputs' values, the first varying slowest.
	p.Variants = []Variant{{Name: c.Name}}
	for _, fi := range p.FixedInputs {
		if fi.Enum == nil {
			continue
		}
		var next []Variant
		for _, v := range p.Variants {
			for _, mem := range fi.Enum.Members {
				values := append(slices.Clone(v.Values), VariantValue{Name: fi.Name, Value: mem.Value})
				next = append(next, Variant{Name: v.Name + " " + mem.Value, Values: values})
			}
		}
		p.Variants = next
	}
	m.Product = p
	return nil
}
