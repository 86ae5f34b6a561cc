package domain

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	blockBaseType        = reflect.TypeFor[Block]()
	subscriptionBaseType = reflect.TypeFor[Subscription]()
	attrName             = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
)

// Names the reference gives to the implicit fields of blocks and subscription models; a declared field may not
// take them.
var (
	reservedBlockNames        = []string{"name", "subscription_instance_id", "owner_subscription_id", "label"}
	reservedSubscriptionNames = []string{"subscription_id", "customer_id", "description", "status", "insync", "start_date", "end_date", "note", "version", "product"}
)

// builder describes new types for one Register call; the registry takes them over only when all succeed.
type builder struct {
	r          *Registry
	types      map[reflect.Type]*ProductType
	blocks     map[string]*BlockType
	blockTypes map[reflect.Type]*BlockType
}

func newBuilder(r *Registry) *builder {
	return &builder{r: r, types: map[reflect.Type]*ProductType{}, blocks: map[string]*BlockType{}, blockTypes: map[reflect.Type]*BlockType{}}
}

// embedded returns the index of a struct's anonymous field of type base, or -1.
func embedded(t reflect.Type, base reflect.Type) int {
	if t.Kind() != reflect.Struct {
		return -1
	}
	for i := range t.NumField() {
		if sf := t.Field(i); sf.Anonymous && sf.Type == base {
			return i
		}
	}
	return -1
}

func (b *builder) product(t reflect.Type) (*ProductType, error) {
	if p := b.r.types[t]; p != nil {
		return p, nil
	}
	if p := b.types[t]; p != nil {
		return p, nil
	}
	base := embedded(t, subscriptionBaseType)
	if base < 0 {
		return nil, fmt.Errorf("domain: product type %s does not embed domain.Subscription", t)
	}
	name := t.Field(base).Tag.Get("wfo")
	if name == "" {
		name = t.Name()
	}
	if prev := b.r.typeNames[name]; prev != nil {
		return nil, fmt.Errorf("domain: product type name %q is declared by both %s and %s", name, prev.GoType, t)
	}
	for _, prev := range b.types {
		if prev.Name == name {
			return nil, fmt.Errorf("domain: product type name %q is declared by both %s and %s", name, prev.GoType, t)
		}
	}
	p := &ProductType{Name: name, GoType: t, baseIndex: base}
	fields, err := b.fields(t, base, true)
	if err != nil {
		return nil, err
	}
	p.Fields = fields
	roots := map[string]string{}
	for _, f := range fields {
		if !f.IsBlock() {
			continue
		}
		if prev, ok := roots[f.Block.Name]; ok {
			return nil, fmt.Errorf("domain: product type %s fields %s and %s: two root fields of block %s cannot be told apart when loading (nest them in one root block)", t, prev, f.GoName, f.Block.Name)
		}
		roots[f.Block.Name] = f.GoName
	}
	b.types[t] = p
	return p, nil
}

func (b *builder) block(t reflect.Type) (*BlockType, error) {
	if bt := b.r.blockTypes[t]; bt != nil {
		return bt, nil
	}
	if bt := b.blockTypes[t]; bt != nil {
		return bt, nil // also when it is still being built: a recursive block
	}
	base := embedded(t, blockBaseType)
	baseTag := t.Field(base).Tag
	name, opts, _ := strings.Cut(baseTag.Get("wfo"), ",")
	if name == "" {
		return nil, fmt.Errorf("domain: block type %s embeds domain.Block without a block name (write domain.Block `wfo:\"Name\"`)", t)
	}
	for _, other := range []map[string]*BlockType{b.r.blocks, b.blocks} {
		if prev := other[name]; prev != nil {
			return nil, fmt.Errorf("domain: block name %q is declared by both %s and %s", name, prev.GoType, t)
		}
	}
	bt := &BlockType{Name: name, GoType: t, Description: baseTag.Get("description"), baseIndex: base}
	if err := bt.options(opts); err != nil {
		return nil, fmt.Errorf("domain: block type %s: %w", t, err)
	}
	b.blockTypes[t], b.blocks[name] = bt, bt
	fields, err := b.fields(t, base, false)
	if err != nil {
		return nil, err
	}
	bt.Fields = fields
	return bt, nil
}

// fields describes the declared fields of a block (product false) or product type.
func (b *builder) fields(t reflect.Type, base int, product bool) ([]*Field, error) {
	what, reserved := "block type", reservedBlockNames
	if product {
		what, reserved = "product type", reservedSubscriptionNames
	}
	var fields []*Field
	for i := range t.NumField() {
		sf := t.Field(i)
		if i == base || !sf.IsExported() {
			continue
		}
		tag, ok := sf.Tag.Lookup("wfo")
		if tag == "-" {
			continue
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("domain: %s %s field %s: %s", what, t, sf.Name, fmt.Sprintf(format, args...))
		}
		if !ok || tag == "" {
			return nil, fail("no wfo tag (give the attribute name, e.g. `wfo:\"%s\"`, or `wfo:\"-\"` to leave the field out)", snake(sf.Name))
		}
		f, err := b.field(sf, tag, product)
		var inner *nestedError
		if errors.As(err, &inner) {
			return nil, inner.err
		}
		if err != nil {
			return nil, fail("%v", err)
		}
		if slices.Contains(reserved, f.Name) {
			return nil, fail("attribute name %q is reserved for the %s's own fields", f.Name, strings.TrimSuffix(what, " type"))
		}
		if prev := fieldNamed(fields, f.Name); prev != nil {
			return nil, fail("attribute name %q is also used by field %s", f.Name, prev.GoName)
		}
		if d, ok := sf.Tag.Lookup("description"); ok {
			if f.Kind != ResourceField && f.Kind != ResourceListField {
				return nil, fail("description applies to resource types only (a block's description goes on its domain.Block field)")
			}
			f.Description = d
		}
		f.index = i
		fields = append(fields, f)
	}
	return fields, nil
}

// field describes one struct field from its type and tag.
func (b *builder) field(sf reflect.StructField, tag string, product bool) (*Field, error) {
	name, opts, _ := strings.Cut(tag, ",")
	if !attrName.MatchString(name) {
		return nil, fmt.Errorf("invalid attribute name %q (letters, digits and underscores, starting with a letter)", name)
	}
	f := &Field{Name: name, GoName: sf.Name}
	t := sf.Type
	if t.Kind() == reflect.Pointer {
		f.Optional, t = true, t.Elem()
	}
	var err error
	switch {
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		if f.Optional {
			return nil, fmt.Errorf("a pointer to a slice is not supported (a list is never absent; use the slice)")
		}
		elem := t.Elem()
		if elem.Kind() == reflect.Pointer {
			return nil, fmt.Errorf("list element type %s: use a slice of values, not of pointers", elem)
		}
		if embedded(elem, blockBaseType) >= 0 {
			f.Kind = BlockListField
			f.Block, err = b.nested(elem)
		} else if elem.Kind() == reflect.Struct && !isValueStruct(elem) {
			return nil, fmt.Errorf("list element type %s is not a product block (embed domain.Block)", elem)
		} else if product {
			return nil, fmt.Errorf("a list of values cannot be a fixed input")
		} else {
			f.Kind = ResourceListField
			f.Value, err = valueType(elem)
		}
	case embedded(t, blockBaseType) >= 0:
		f.Kind = BlockField
		f.Block, err = b.nested(t)
	case t.Kind() == reflect.Struct && !isValueStruct(t):
		return nil, fmt.Errorf("type %s is not a product block (embed domain.Block) nor a supported value type", t)
	default:
		f.Kind = ResourceField
		if product {
			f.Kind = FixedInputField
		}
		f.Value, err = valueType(t)
	}
	if err != nil {
		return nil, err
	}
	if !f.Optional {
		f.RequiredFrom = Initial // a value field is always set; a list's bounds apply from initial unless required= says
	}
	if err := f.options(opts); err != nil {
		return nil, err
	}
	return f, nil
}

// nestedError carries an error about a nested block type, which names that type itself, out of the fields that
// hold it.
type nestedError struct{ err error }

func (e *nestedError) Error() string { return e.err.Error() }

func (b *builder) nested(t reflect.Type) (*BlockType, error) {
	bt, err := b.block(t)
	if err != nil {
		return nil, &nestedError{err}
	}
	return bt, nil
}

func isValueStruct(t reflect.Type) bool {
	return t == uuidType || t == addrType || t == prefixType || t == timeType
}

// options applies the tag options after the attribute name.
func (f *Field) options(opts string) error {
	isList := f.Kind == BlockListField || f.Kind == ResourceListField
	seen := map[string]bool{}
	maxSet := false
	for opt := range strings.SplitSeq(opts, ",") {
		if opt == "" {
			continue
		}
		key, val, _ := strings.Cut(opt, "=")
		if seen[key] {
			return fmt.Errorf("tag option %s given twice", key)
		}
		seen[key] = true
		switch key {
		case "required":
			if f.Kind == FixedInputField {
				return fmt.Errorf("required= does not apply to a fixed input (a pointer fixed input may be missing from the product)")
			}
			var lc Lifecycle
			switch val {
			case "initial", "inactive":
				lc = Initial
			case "provisioning":
				lc = Provisioning
			case "active":
				lc = Active
			case "never":
				if isList {
					return fmt.Errorf("required=never on a list would never check min= and max= (leave them out instead)")
				}
			default:
				return fmt.Errorf("required=%s: valid are initial (or inactive), provisioning, active, never", val)
			}
			if !f.Optional && !isList && lc != Initial {
				return fmt.Errorf("required=%s on a value field, which is always present: make it a pointer to leave it unset before %s", val, val)
			}
			f.RequiredFrom = lc
		case "min", "max":
			if !isList {
				return fmt.Errorf("%s= applies to lists only", key)
			}
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return fmt.Errorf("%s=%s: want a non-negative integer", key, val)
			}
			if key == "min" {
				f.Min = n
			} else {
				if n == 0 {
					return fmt.Errorf("max=0 allows no element; leave the field out instead")
				}
				f.Max, maxSet = n, true
			}
		case "ip":
			if f.Value == nil || (f.Value.Kind != Addr && f.Value.Kind != Prefix) {
				return fmt.Errorf("ip= applies to netip.Addr and netip.Prefix fields only")
			}
			if val != "4" && val != "6" {
				return fmt.Errorf("ip=%s: valid are 4 and 6", val)
			}
			vt := *f.Value
			vt.IPVersion = int(val[0] - '0')
			f.Value = &vt
		case "default":
			if f.Kind != ResourceField {
				return fmt.Errorf("default= applies to single resource values only")
			}
			v, err := f.Value.Decode(val)
			if err != nil {
				return fmt.Errorf("default=%s: %v", val, err)
			}
			f.Default, f.HasDefault, f.defaultValue = f.Value.Encode(v), true, v
		default:
			return fmt.Errorf("unknown tag option %q (valid: required, min, max, ip, default)", key)
		}
	}
	if maxSet && f.Max < f.Min {
		return fmt.Errorf("max=%d is less than min=%d", f.Max, f.Min)
	}
	return nil
}

// options applies the options of the wfo tag on a block's embedded Block, after the block name.
func (bt *BlockType) options(opts string) error {
	seen := map[string]bool{}
	for opt := range strings.SplitSeq(opts, ",") {
		if opt == "" {
			continue
		}
		key, val, _ := strings.Cut(opt, "=")
		if seen[key] {
			return fmt.Errorf("tag option %s given twice", key)
		}
		seen[key] = true
		switch key {
		case "tag":
			if utf8.RuneCountInString(val) > maxTagLength {
				return fmt.Errorf("tag=%s is longer than %d characters", val, maxTagLength)
			}
			bt.Tag = val
		case "status":
			lc, err := parseProductLifecycle(val)
			if err != nil {
				return err
			}
			bt.Status = lc
		default:
			return fmt.Errorf("unknown block tag option %q (valid: tag, status)", key)
		}
	}
	return nil
}

// MaxDescription is the length, in characters, of the catalogue's description columns (product_blocks,
// resource_types, products, workflows): orchestrator-core bounds them since 4.8 (its revision d69e10434a04).
const MaxDescription = 2000

// checkDescriptions refuses descriptions longer than their columns hold, and two different descriptions of one
// resource type, which has one row whichever blocks share it.
func (b *builder) checkDescriptions() error {
	type seen struct {
		desc  string
		where string
	}
	descs := map[string]seen{}
	all := slices.Concat(slices.Collect(maps.Values(b.r.blocks)), slices.Collect(maps.Values(b.blocks)))
	slices.SortFunc(all, func(x, y *BlockType) int { return strings.Compare(x.Name, y.Name) })
	for _, bt := range all {
		if n := utf8.RuneCountInString(bt.Description); n > MaxDescription {
			return fmt.Errorf("domain: the description of block %s (%s) has %d characters; product_blocks.description holds at most %d", bt.Name, bt.GoType, n, MaxDescription)
		}
		for _, f := range bt.ResourceTypes() {
			if f.Description == "" {
				continue
			}
			where := bt.GoType.String() + "." + f.GoName
			if n := utf8.RuneCountInString(f.Description); n > MaxDescription {
				return fmt.Errorf("domain: the description of resource type %s (%s) has %d characters; resource_types.description holds at most %d", f.Name, where, n, MaxDescription)
			}
			if prev, ok := descs[f.Name]; ok && prev.desc != f.Description {
				return fmt.Errorf("domain: resource type %s has two descriptions: %q (%s) and %q (%s); a resource type has one", f.Name, prev.desc, prev.where, f.Description, where)
			}
			descs[f.Name] = seen{f.Description, where}
		}
	}
	return nil
}

// checkFinite refuses blocks that would contain themselves in every new subscription: a cycle of nested block
// fields that a new subscription must fill (value fields, pointers required from initial, lists with min > 0).
func (b *builder) checkFinite() error {
	state := map[*BlockType]int{} // 1 visiting, 2 done
	var visit func(bt *BlockType) error
	visit = func(bt *BlockType) error {
		switch state[bt] {
		case 1:
			return fmt.Errorf("domain: block type %s: every %s would contain another %s (make a field on the way optional or its list min=0)", bt.GoType, bt.Name, bt.Name)
		case 2:
			return nil
		}
		state[bt] = 1
		for _, f := range bt.Fields {
			if f.IsBlock() && mustFill(f) {
				if err := visit(f.Block); err != nil {
					return err
				}
			}
		}
		state[bt] = 2
		return nil
	}
	for _, bt := range b.blockTypes {
		if err := visit(bt); err != nil {
			return err
		}
	}
	return nil
}

// mustFill reports whether a new subscription gets instances for a block field.
func mustFill(f *Field) bool { return f.InitialCount() > 0 }

// InitialCount is how many instances a new subscription gets for a block field: one for a block required from
// initial, min for a list whose bounds apply from initial, none otherwise.
func (f *Field) InitialCount() int {
	switch {
	case f.RequiredFrom != Initial:
		return 0
	case f.Kind == BlockField:
		return 1
	case f.Kind == BlockListField:
		return f.Min
	}
	return 0
}

// snake turns a Go field name into a suggested attribute name: NodeID -> node_id.
func snake(s string) string {
	var out []rune
	rs := []rune(s)
	for i, r := range rs {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 && (rs[i-1] < 'A' || rs[i-1] > 'Z' || (i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z')) {
			out = append(out, '_')
		}
		if upper {
			r += 'a' - 'A'
		}
		out = append(out, r)
	}
	return string(out)
}
