// Package domain is wfo's domain model: products, product blocks, resource types and fixed inputs declared as Go
// types, the registry of product names, and the validation of a subscription's instance tree per lifecycle.
//
// An application declares each product block as a struct that embeds Block, whose tag names the block, and each
// product type as a struct that embeds Subscription. Fields carry a wfo tag: the attribute name (the resource type,
// fixed input or nested block attribute), then options.
//
//	type NodeBlock struct {
//		domain.Block `wfo:"Node"`
//		NodeID       *int        `wfo:"node_id,required=provisioning"`
//		IPv4Loopback *netip.Addr `wfo:"ipv4_loopback,required=active,ip=4"`
//	}
//
//	type Node struct {
//		domain.Subscription
//		Vendor Vendor    `wfo:"vendor"` // a fixed input: a non-block field of a product type
//		Node   NodeBlock `wfo:"node"`   // the root block
//	}
//
//	reg, err := domain.NewRegistry(domain.Product[Node]("Node Cisco", "Node Nokia"))
//
// Field types:
//   - A resource type is string, bool, an integer type, uuid.UUID, netip.Addr, netip.Prefix, time.Time, or a
//     named string or integer type. A named type with a method Values() []T is an enum; a named integer type
//     with a method Bounds() (min, max int64) is a constrained int.
//   - A nested block is a struct that embeds Block; a list of blocks is a slice of such structs; a list of values
//     is a slice of a resource type.
//   - A value field (not a pointer) is always present: it is required from the initial lifecycle on. A pointer
//     field is optional (nil is stored as no row) and may be required from a later lifecycle.
//   - A list's min= and max= apply from the lifecycle its required= names (default initial): a product's "at
//     least two ports, from provisioning on" is `wfo:"ports,min=2,required=provisioning"`, and such a list may be
//     empty before. A new subscription gets min instances only of lists whose bounds apply from initial.
//
// The catalogue rows beside the types: the tag on the embedded Block may add tag=T and status=S after the block
// name, and a struct tag description:"..." describes the block (on Block) or a resource type (on its field).
// Products declares each product's description, tag, status and fixed-input values; Registry.Catalogue returns
// the whole declared catalogue.
//
// Tag options: required=initial|provisioning|active|never (initial may be written inactive; pointer fields and
// lists, default never for pointers, initial for lists), min=N and max=N (lists), ip=4 or ip=6 (addresses and prefixes), default=V (a
// resource's value in a new subscription, written as it is stored). The tag "-" leaves a field out.
//
// Everything is checked when a product type is registered; the registry then describes the model for the
// storage layer (package subscription) and for the catalogue migrations, and the model is never inspected by
// reflection again except to read and write field values.
package domain

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// FieldKind is what a field of a block or product type holds.
type FieldKind int

// The field kinds.
const (
	// ResourceField holds one value of a resource type.
	ResourceField FieldKind = iota + 1
	// ResourceListField holds a list of values of one resource type, stored one row per element.
	ResourceListField
	// BlockField holds one nested block instance.
	BlockField
	// BlockListField holds a list of block instances, in order.
	BlockListField
	// FixedInputField is a product type's fixed input: its value comes from the product, never from the
	// subscription.
	FixedInputField
)

// Field is one declared field of a block or product type.
type Field struct {
	// Name is the attribute name: the resource type, the fixed input's name or the nested block attribute
	// (subscription_instance_relations.domain_model_attr).
	Name string
	// GoName is the struct field's name.
	GoName string
	Kind   FieldKind
	// Optional is true for a pointer field, which may be nil.
	Optional bool
	// RequiredFrom is the lifecycle from which the field must be set: Initial, Provisioning, Active, or "" for
	// never. Value fields are required from Initial. For a list it is the lifecycle from which Min and Max apply
	// (Initial unless the tag says required=provisioning or required=active); before it any length is accepted.
	RequiredFrom Lifecycle
	// Min and Max bound a list's length; Max 0 means no maximum.
	Min, Max int
	// Value is the value type of a resource or fixed input field, or of a list of values' elements.
	Value *ValueType
	// Block is the block type of a block or block list field.
	Block *BlockType
	// Default is the stored form of a resource's default value, when HasDefault.
	Default    string
	HasDefault bool
	// Description is the resource type's description from the struct tag description:"...", "" when none.
	Description string

	index        int
	defaultValue reflect.Value
}

// RequiredIn reports whether the field must be set in lifecycle lc.
func (f *Field) RequiredIn(lc Lifecycle) bool { return requiredIn(f.RequiredFrom, lc) }

// IsBlock reports whether the field holds block instances.
func (f *Field) IsBlock() bool { return f.Kind == BlockField || f.Kind == BlockListField }

// BlockType is a registered product block (product_blocks.name).
type BlockType struct {
	Name   string
	GoType reflect.Type
	// Description, Tag and Status are the block's declared catalogue details ("" when not declared): the struct
	// tag description:"..." and the wfo tag options tag= and status= on the embedded Block.
	Description string
	Tag         string
	Status      ProductLifecycle
	// Fields are the block's fields in declaration order.
	Fields []*Field

	baseIndex int
}

// ResourceTypes returns the block's resource type fields (single values and lists) in declaration order.
func (b *BlockType) ResourceTypes() []*Field {
	return slices.DeleteFunc(slices.Clone(b.Fields), func(f *Field) bool { return f.IsBlock() })
}

// BlockFields returns the block's nested block fields in declaration order.
func (b *BlockType) BlockFields() []*Field {
	return slices.DeleteFunc(slices.Clone(b.Fields), func(f *Field) bool { return !f.IsBlock() })
}

// DependsOn returns the names of the block types nested directly in this one, sorted: the rows of
// product_block_relations with this block as in_use_by.
func (b *BlockType) DependsOn() []string { return blockNames(b.Fields) }

// Field returns the field with the attribute name, or nil.
func (b *BlockType) Field(name string) *Field { return fieldNamed(b.Fields, name) }

// ProductType is a registered product type (products.product_type) with the product names registered for it.
type ProductType struct {
	// Name is the product type as stored in products.product_type.
	Name   string
	GoType reflect.Type
	// Fields are the fixed inputs and root block fields in declaration order.
	Fields []*Field
	// ProductNames are the products registered for this type, sorted.
	ProductNames []string

	baseIndex int
}

// FixedInputs returns the product type's fixed inputs in declaration order.
func (p *ProductType) FixedInputs() []*Field {
	return slices.DeleteFunc(slices.Clone(p.Fields), func(f *Field) bool { return f.Kind != FixedInputField })
}

// BlockFields returns the root block fields in declaration order.
func (p *ProductType) BlockFields() []*Field {
	return slices.DeleteFunc(slices.Clone(p.Fields), func(f *Field) bool { return !f.IsBlock() })
}

// RootBlocks returns the names of the root block types, sorted: the rows of product_product_blocks.
func (p *ProductType) RootBlocks() []string { return blockNames(p.Fields) }

// Field returns the field with the attribute name, or nil.
func (p *ProductType) Field(name string) *Field { return fieldNamed(p.Fields, name) }

func fieldNamed(fields []*Field, name string) *Field {
	for _, f := range fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func blockNames(fields []*Field) []string {
	var names []string
	for _, f := range fields {
		if f.IsBlock() && !slices.Contains(names, f.Block.Name) {
			names = append(names, f.Block.Name)
		}
	}
	slices.Sort(names)
	return names
}

// Registration is one product type with the products registered for it, made by Product or Products.
type Registration struct {
	goType reflect.Type
	specs  []ProductSpec
	// declared is true for Products: every fixed input must have a value.
	declared bool
}

// Product registers product names for the product type T, a struct embedding Subscription, leaving their
// catalogue details to defaults (Products declares them). Several names may share one type:
// Product[User]("User internal", "User external").
func Product[T any, PT interface {
	*T
	Model
}](names ...string) Registration {
	specs := make([]ProductSpec, len(names))
	for i, n := range names {
		specs[i].Name = n
	}
	return Registration{goType: reflect.TypeFor[T](), specs: specs}
}

// Registry maps product names to product types and knows every block reachable from them. It is built once at
// start-up and only read afterwards, so it is safe for concurrent use.
type Registry struct {
	products   map[string]*ProductType // by product name
	types      map[reflect.Type]*ProductType
	typeNames  map[string]*ProductType // by products.product_type
	blocks     map[string]*BlockType
	blockTypes map[reflect.Type]*BlockType
	specs      map[string]productSpec // by product name
}

// NewRegistry returns a registry with the registrations, or the first error: a model that cannot be stored is
// refused with an error naming the type and field.
func NewRegistry(regs ...Registration) (*Registry, error) {
	r := &Registry{
		products:   map[string]*ProductType{},
		types:      map[reflect.Type]*ProductType{},
		typeNames:  map[string]*ProductType{},
		blocks:     map[string]*BlockType{},
		blockTypes: map[reflect.Type]*BlockType{},
		specs:      map[string]productSpec{},
	}
	if err := r.Register(regs...); err != nil {
		return nil, err
	}
	return r, nil
}

// MustNewRegistry is NewRegistry for package-level variables: it panics on an error.
func MustNewRegistry(regs ...Registration) *Registry {
	r, err := NewRegistry(regs...)
	if err != nil {
		panic(err)
	}
	return r
}

// Register adds registrations. On an error the registry is left as it was.
func (r *Registry) Register(regs ...Registration) error {
	b := newBuilder(r)
	added := map[string]*ProductType{}
	specs := map[string]productSpec{}
	for _, reg := range regs {
		p, err := b.product(reg.goType)
		if err != nil {
			return err
		}
		if len(reg.specs) == 0 {
			return fmt.Errorf("domain: product type %s is registered without a product name", reg.goType)
		}
		for _, s := range reg.specs {
			name := s.Name
			if strings.TrimSpace(name) == "" {
				return fmt.Errorf("domain: product type %s: empty product name", reg.goType)
			}
			prev := r.products[name]
			if prev == nil {
				prev = added[name]
			}
			if prev != nil {
				return fmt.Errorf("domain: product name %q is registered twice (for %s and %s)", name, prev.GoType, reg.goType)
			}
			if specs[name], err = checkSpec(p, s, reg.declared); err != nil {
				return err
			}
			added[name] = p
		}
	}
	if err := b.checkFinite(); err != nil {
		return err
	}
	if err := b.checkDescriptions(); err != nil {
		return err
	}
	maps.Copy(r.specs, specs)
	// Commit: nothing above changed the registry.
	maps.Copy(r.blockTypes, b.blockTypes)
	maps.Copy(r.blocks, b.blocks)
	for t, p := range b.types {
		r.types[t] = p
		r.typeNames[p.Name] = p
	}
	for name, p := range added {
		r.products[name] = p
		p.ProductNames = append(p.ProductNames, name)
		slices.Sort(p.ProductNames)
	}
	return nil
}

// ProductNames returns every registered product name, sorted.
func (r *Registry) ProductNames() []string { return slices.Sorted(maps.Keys(r.products)) }

// Product returns the product type registered for a product name.
func (r *Registry) Product(name string) (*ProductType, bool) {
	p, ok := r.products[name]
	return p, ok
}

// ProductTypes returns every registered product type, sorted by name.
func (r *Registry) ProductTypes() []*ProductType {
	return slices.SortedFunc(maps.Values(r.typeNames), func(a, b *ProductType) int { return strings.Compare(a.Name, b.Name) })
}

// ProductTypeOf returns the product type of a model (a pointer to a registered product type struct).
func (r *Registry) ProductTypeOf(m Model) (*ProductType, bool) {
	t := reflect.TypeOf(m)
	if t == nil || t.Kind() != reflect.Pointer {
		return nil, false
	}
	p, ok := r.types[t.Elem()]
	return p, ok
}

// Blocks returns every block reachable from the registered product types, sorted by name.
func (r *Registry) Blocks() []*BlockType {
	return slices.SortedFunc(maps.Values(r.blocks), func(a, b *BlockType) int { return strings.Compare(a.Name, b.Name) })
}

// Block returns the block type with a name.
func (r *Registry) Block(name string) (*BlockType, bool) {
	b, ok := r.blocks[name]
	return b, ok
}
