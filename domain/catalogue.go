package domain

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// ProductLifecycle is a product's or product block's status (orchestrator-core's ProductLifecycle), stored in
// products.status and product_blocks.status.
type ProductLifecycle string

// The product lifecycles.
const (
	ProductActive        ProductLifecycle = "active"
	ProductPreProduction ProductLifecycle = "pre production"
	ProductPhaseOut      ProductLifecycle = "phase out"
	ProductEndOfLife     ProductLifecycle = "end of life"
)

// maxTagLength is the length of products.tag and product_blocks.tag (varchar(20)).
const maxTagLength = 20

// ProductLifecycles lists every product lifecycle in the reference's order.
var ProductLifecycles = []ProductLifecycle{ProductActive, ProductPreProduction, ProductPhaseOut, ProductEndOfLife}

func parseProductLifecycle(s string) (ProductLifecycle, error) {
	for _, lc := range ProductLifecycles {
		if string(lc) == s {
			return lc, nil
		}
	}
	return "", fmt.Errorf("unknown product status %q (valid: active, pre production, phase out, end of life)", s)
}

// FixedInputs gives a product's fixed-input values by fixed-input name. A value is either of the fixed-input
// field's Go type (VendorCisco) or its stored string ("Cisco").
type FixedInputs map[string]any

// ProductSpec declares one product (a products row) of a product type: its name and what its catalogue row
// holds. Fields left empty get a default (see Registry.Catalogue).
type ProductSpec struct {
	Name        string
	Description string
	// Tag is products.tag, at most 20 characters.
	Tag string
	// Status is the product's lifecycle; "" is active.
	Status ProductLifecycle
	// FixedInputs holds the value of each fixed input of the product type for this product.
	FixedInputs FixedInputs
}

// Products registers products of the product type T, a struct embedding Subscription, with their catalogue
// details:
//
//	domain.Products[Node](
//		domain.ProductSpec{Name: "Node Cisco", Description: "Cisco node", Tag: "NODE",
//			FixedInputs: domain.FixedInputs{"vendor": VendorCisco}},
//		domain.ProductSpec{Name: "Node Nokia", Description: "Nokia node", Tag: "NODE",
//			FixedInputs: domain.FixedInputs{"vendor": VendorNokia}},
//	)
//
// Every fixed input the type declares as a value field must be given for every product.
func Products[T any, PT interface {
	*T
	Model
}](products ...ProductSpec) Registration {
	return Registration{goType: reflect.TypeFor[T](), specs: products, declared: true}
}

// Catalogue is the catalogue that a registry declares: every row that products, fixed_inputs, product_blocks,
// resource_types and their link tables should hold for the registered model, as plain data. Every list is
// sorted by name, so two calls give equal values. A field the application did not declare holds its default
// and is named in the entry's Missing, so a tool can ask for it instead of writing the default.
type Catalogue struct {
	Products      []ProductEntry
	ProductBlocks []BlockEntry
	ResourceTypes []ResourceTypeEntry
}

// ProductEntry is one declared product: a products row with its fixed_inputs and product_product_blocks rows.
type ProductEntry struct {
	Name string
	// Description defaults to the product name.
	Description string
	// ProductType is products.product_type, the registered product type's name.
	ProductType string
	// Tag defaults to the product type in upper case, cut to 20 characters.
	Tag string
	// Status defaults to active.
	Status ProductLifecycle
	// FixedInputs are the product's fixed-input rows, sorted by name; a fixed input without a declared value is
	// left out (and named in Missing).
	FixedInputs []FixedInputEntry
	// RootBlocks are the names of the product's root blocks, sorted.
	RootBlocks []string
	// Missing names what was not declared, sorted: "description", "tag", "status", "fixed_input:<name>".
	Missing []string
}

// FixedInputEntry is one fixed_inputs row: a name and the stored value.
type FixedInputEntry struct {
	Name  string
	Value string
}

// BlockEntry is one declared product block: a product_blocks row with its product_block_resource_types and
// product_block_relations rows.
type BlockEntry struct {
	Name string
	// Description defaults to the block name.
	Description string
	// Tag defaults to the block name in upper case, cut to 20 characters.
	Tag string
	// Status defaults to active.
	Status ProductLifecycle
	// ResourceTypes are the names of the block's resource types, sorted.
	ResourceTypes []string
	// DependsOn are the names of the block types nested in this one, sorted.
	DependsOn []string
	// Missing names what was not declared, sorted: "description", "tag", "status".
	Missing []string
}

// ResourceTypeEntry is one declared resource type (a resource_types row), shared by every block that has a
// field of that name.
type ResourceTypeEntry struct {
	Name string
	// Description defaults to the resource type's name.
	Description string
	// Missing is ["description"] when no block declares a description.
	Missing []string
}

// Catalogue returns the declared catalogue of every registered product, block and resource type.
func (r *Registry) Catalogue() Catalogue {
	var c Catalogue
	for _, name := range r.ProductNames() {
		p := r.products[name]
		c.Products = append(c.Products, r.productEntry(name, p))
	}
	resources := map[string]*ResourceTypeEntry{}
	for _, b := range r.Blocks() {
		e := BlockEntry{Name: b.Name, Description: b.Description, Tag: b.Tag, Status: b.Status, DependsOn: b.DependsOn()}
		if e.Description == "" {
			e.Description = b.Name
			e.Missing = append(e.Missing, "description")
		}
		if e.Status == "" {
			e.Status = ProductActive
			e.Missing = append(e.Missing, "status")
		}
		if e.Tag == "" {
			e.Tag = defaultTag(b.Name)
			e.Missing = append(e.Missing, "tag")
		}
		slices.Sort(e.Missing)
		for _, f := range b.ResourceTypes() {
			e.ResourceTypes = append(e.ResourceTypes, f.Name)
			rt := resources[f.Name]
			if rt == nil {
				rt = &ResourceTypeEntry{Name: f.Name}
				resources[f.Name] = rt
			}
			if f.Description != "" {
				rt.Description = f.Description
			}
		}
		slices.Sort(e.ResourceTypes)
		c.ProductBlocks = append(c.ProductBlocks, e)
	}
	for _, name := range slices.Sorted(maps.Keys(resources)) {
		rt := *resources[name]
		if rt.Description == "" {
			rt.Description, rt.Missing = rt.Name, []string{"description"}
		}
		c.ResourceTypes = append(c.ResourceTypes, rt)
	}
	return c
}

func (r *Registry) productEntry(name string, p *ProductType) ProductEntry {
	spec := r.specs[name]
	e := ProductEntry{Name: name, ProductType: p.Name, Description: spec.Description, Tag: spec.Tag, Status: spec.Status, RootBlocks: p.RootBlocks()}
	if e.Description == "" {
		e.Description = name
		e.Missing = append(e.Missing, "description")
	}
	if e.Tag == "" {
		e.Tag = defaultTag(p.Name)
		e.Missing = append(e.Missing, "tag")
	}
	if e.Status == "" {
		e.Status = ProductActive
		e.Missing = append(e.Missing, "status")
	}
	for _, f := range p.FixedInputs() {
		v, ok := spec.fixed[f.Name]
		if !ok {
			e.Missing = append(e.Missing, "fixed_input:"+f.Name)
			continue
		}
		e.FixedInputs = append(e.FixedInputs, FixedInputEntry{Name: f.Name, Value: v})
	}
	slices.SortFunc(e.FixedInputs, func(a, b FixedInputEntry) int { return strings.Compare(a.Name, b.Name) })
	slices.Sort(e.Missing)
	return e
}

// FixedInputValues returns the stored fixed-input values declared for a product name (nil when none are).
func (r *Registry) FixedInputValues(productName string) map[string]string {
	spec, ok := r.specs[productName]
	if !ok || len(spec.fixed) == 0 {
		return nil
	}
	return maps.Clone(spec.fixed)
}

// productSpec is a checked ProductSpec: fixed inputs in their stored form.
type productSpec struct {
	Description string
	Tag         string
	Status      ProductLifecycle
	fixed       map[string]string
}

// checkSpec checks a product's declaration against its product type.
func checkSpec(p *ProductType, s ProductSpec, declared bool) (productSpec, error) {
	out := productSpec{Description: s.Description, Tag: s.Tag, Status: s.Status, fixed: map[string]string{}}
	fail := func(format string, args ...any) (productSpec, error) {
		return productSpec{}, fmt.Errorf("domain: product %q (product type %s): %s", s.Name, p.GoType, fmt.Sprintf(format, args...))
	}
	if utf8.RuneCountInString(s.Tag) > maxTagLength {
		return fail("tag %q is longer than %d characters", s.Tag, maxTagLength)
	}
	if n := utf8.RuneCountInString(s.Description); n > MaxDescription {
		return fail("the description has %d characters; products.description holds at most %d", n, MaxDescription)
	}
	if s.Status != "" {
		if _, err := parseProductLifecycle(string(s.Status)); err != nil {
			return fail("%v", err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.FixedInputs)) {
		f := p.Field(name)
		if f == nil || f.Kind != FixedInputField {
			return fail("fixed input %q is not declared by the product type (its fixed inputs: %s)", name, fieldNames(p.FixedInputs()))
		}
		stored, err := f.Value.storedForm(s.FixedInputs[name])
		if err != nil {
			return fail("fixed input %s: %v", name, err)
		}
		out.fixed[name] = stored
	}
	if declared {
		for _, f := range p.FixedInputs() {
			if _, ok := out.fixed[f.Name]; !ok && !f.Optional {
				return fail("no value for fixed input %s (add FixedInputs: domain.FixedInputs{%q: ...})", f.Name, f.Name)
			}
		}
	}
	return out, nil
}

// storedForm turns a declared value, of the type or its stored string, into the stored string, checking it.
func (vt *ValueType) storedForm(v any) (string, error) {
	if s, ok := v.(string); ok && vt.Type != reflect.TypeFor[string]() {
		d, err := vt.Decode(s)
		if err != nil {
			return "", err
		}
		return vt.Encode(d), nil
	}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return "", fmt.Errorf("no value (want a %s)", vt.Type)
	}
	if rv.Type() != vt.Type {
		if !rv.CanConvert(vt.Type) || rv.Kind() != vt.Type.Kind() {
			return "", fmt.Errorf("value %v is a %s, want a %s or its stored string", v, rv.Type(), vt.Type)
		}
		rv = rv.Convert(vt.Type)
	}
	if err := vt.Check(rv); err != nil {
		return "", err
	}
	return vt.Encode(rv), nil
}

func fieldNames(fields []*Field) string {
	if len(fields) == 0 {
		return "none"
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// defaultTag is the tag a product or block gets when none is declared.
func defaultTag(name string) string {
	t := []rune(strings.ToUpper(name))
	if len(t) > maxTagLength {
		t = t[:maxTagLength]
	}
	return string(t)
}
