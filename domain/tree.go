package domain

import (
	"bytes"
	"cmp"
	"fmt"
	"reflect"
	"slices"

	"github.com/google/uuid"
)

// Instance is one product block instance as the database holds it: a subscription_instances row with its
// subscription_instance_values.
type Instance struct {
	ID    uuid.UUID
	Owner uuid.UUID
	// Block is the block name.
	Block string
	// Label is "" for NULL.
	Label string
	// Values holds the stored values per resource type; a list has one element per row. Nil for an instance
	// owned by another subscription in a tree made by Flatten (its values are not this subscription's to write).
	Values map[string][]string
}

// Relation is one subscription_instance_relations row: the instance InUseBy holds DependsOn in its field Attr
// (domain_model_attr, "" for NULL), at position OrderID of a list (0 for a single block).
type Relation struct {
	InUseBy   uuid.UUID
	DependsOn uuid.UUID
	OrderID   int
	Attr      string
}

// Tree is a subscription's instance graph in the form of the core tables.
type Tree struct {
	// Instances are the instances of the tree. Made by Flatten: the subscription's own reachable instances in
	// depth-first order, then the other subscriptions' instances it links to. Given to Assemble: at least every
	// instance reachable from the subscription's own instances.
	Instances []*Instance
	// Relations are the edges. Made by Flatten: every outgoing edge of the subscription's own instances.
	Relations []Relation
}

func (p *ProductType) checkModel(m Model) (reflect.Value, error) {
	v := reflect.ValueOf(m)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Type() != p.GoType {
		return reflect.Value{}, fmt.Errorf("domain: model %T is not a *%s", m, p.GoType)
	}
	return v.Elem(), nil
}

// NewModel returns a new subscription of the product type: a pointer to its struct holding base, with the fixed
// inputs decoded from the product's values, and a new instance (with a new id) for every block field that a
// subscription must have from the initial lifecycle: value fields, pointer fields required from initial, and the
// minimum number of elements of each list. Resources with a default get it.
func (p *ProductType) NewModel(base Subscription, fixedInputs map[string]string) (Model, error) {
	v := reflect.New(p.GoType)
	if err := p.setBase(v.Elem(), base, fixedInputs); err != nil {
		return nil, err
	}
	for _, f := range p.Fields {
		if f.IsBlock() {
			fillField(v.Elem().Field(f.index), f, base.SubscriptionID)
		}
	}
	return v.Interface().(Model), nil
}

func (p *ProductType) setBase(v reflect.Value, base Subscription, fixedInputs map[string]string) error {
	v.Field(p.baseIndex).Set(reflect.ValueOf(base))
	for _, f := range p.Fields {
		if f.Kind != FixedInputField {
			continue
		}
		s, ok := fixedInputs[f.Name]
		if !ok {
			if f.Optional {
				continue
			}
			return fmt.Errorf("domain: product %q has no fixed input %s (product type %s)", base.Product.Name, f.Name, p.Name)
		}
		val, err := f.Value.Decode(s)
		if err != nil {
			return fmt.Errorf("domain: product %q fixed input %s: %v", base.Product.Name, f.Name, err)
		}
		setValue(v.Field(f.index), val, f.Optional)
	}
	return nil
}

func setValue(dst, val reflect.Value, optional bool) {
	if optional {
		ptr := reflect.New(val.Type())
		ptr.Elem().Set(val)
		dst.Set(ptr)
		return
	}
	dst.Set(val)
}

// fillField gives a new block field its initial instances.
func fillField(fv reflect.Value, f *Field, owner uuid.UUID) {
	switch f.Kind {
	case BlockField:
		if !f.Optional {
			fillBlock(fv, f.Block, owner)
		} else if f.RequiredFrom == Initial {
			ptr := reflect.New(f.Block.GoType)
			fillBlock(ptr.Elem(), f.Block, owner)
			fv.Set(ptr)
		}
	case BlockListField:
		if n := f.InitialCount(); n > 0 {
			list := reflect.MakeSlice(fv.Type(), n, n)
			for i := range n {
				fillBlock(list.Index(i), f.Block, owner)
			}
			fv.Set(list)
		}
	}
}

func fillBlock(v reflect.Value, bt *BlockType, owner uuid.UUID) {
	v.Field(bt.baseIndex).Set(reflect.ValueOf(Block{SubscriptionInstanceID: uuid.New(), OwnerSubscriptionID: owner}))
	for _, f := range bt.Fields {
		if f.HasDefault {
			setValue(v.Field(f.index), f.defaultValue, f.Optional)
		}
		fillField(v.Field(f.index), f, owner)
	}
}

// Flatten turns a model into the rows of the core tables. It gives every new instance (zero id) a new id and
// marks it as owned by the subscription, in the model itself. Instances owned by another subscription are
// linked (they appear in Instances without values and in the relations that point to them) but not descended
// into: their contents are not this subscription's. It fails on a model the tables cannot hold: a subscription
// without id, another subscription's instance at the root, one instance in two fields of one block, or one
// instance of this subscription held twice with different contents.
func (p *ProductType) Flatten(m Model) (*Tree, error) {
	v, err := p.checkModel(m)
	if err != nil {
		return nil, err
	}
	sub := m.SubscriptionBase().SubscriptionID
	if sub == uuid.Nil {
		return nil, fmt.Errorf("domain: subscription has no id")
	}
	fl := &flattener{sub: sub, seen: map[uuid.UUID]reflect.Value{}, foreign: map[uuid.UUID]bool{}}
	var foreign []*Instance
	fl.addForeign = func(i *Instance) { foreign = append(foreign, i) }
	for _, f := range p.Fields {
		if !f.IsBlock() {
			continue
		}
		for i, cv := range children(v.Field(f.index), f) {
			if _, err := fl.visit(cv, f.Block, f.Name+index(f, i), true); err != nil {
				return nil, fmt.Errorf("domain: %w", err)
			}
		}
	}
	fl.tree.Instances = append(fl.tree.Instances, foreign...)
	return &fl.tree, nil
}

type flattener struct {
	sub        uuid.UUID
	tree       Tree
	seen       map[uuid.UUID]reflect.Value
	foreign    map[uuid.UUID]bool
	addForeign func(*Instance)
}

// children returns the block values held by a block field: none, one, or the list's elements.
func children(fv reflect.Value, f *Field) []reflect.Value {
	switch {
	case f.Kind == BlockListField:
		out := make([]reflect.Value, fv.Len())
		for i := range out {
			out[i] = fv.Index(i)
		}
		return out
	case f.Optional:
		if fv.IsNil() {
			return nil
		}
		return []reflect.Value{fv.Elem()}
	}
	return []reflect.Value{fv}
}

func index(f *Field, i int) string {
	if f.Kind == BlockListField {
		return fmt.Sprintf("[%d]", i)
	}
	return ""
}

func (fl *flattener) visit(v reflect.Value, bt *BlockType, path string, root bool) (uuid.UUID, error) {
	blk := v.Field(bt.baseIndex).Addr().Interface().(*Block)
	if blk.SubscriptionInstanceID == uuid.Nil {
		if blk.OwnerSubscriptionID != uuid.Nil && blk.OwnerSubscriptionID != fl.sub {
			return uuid.Nil, fmt.Errorf("%s: new %s instance is owned by another subscription (%s); an instance of another subscription must be loaded from it", path, bt.Name, blk.OwnerSubscriptionID)
		}
		blk.SubscriptionInstanceID = uuid.New()
	}
	if blk.OwnerSubscriptionID == uuid.Nil {
		blk.OwnerSubscriptionID = fl.sub
	}
	id := blk.SubscriptionInstanceID
	if blk.OwnerSubscriptionID != fl.sub {
		if root {
			return uuid.Nil, fmt.Errorf("%s: a root block must be owned by the subscription, %s instance %s is owned by %s", path, bt.Name, id, blk.OwnerSubscriptionID)
		}
		if !fl.foreign[id] {
			fl.foreign[id] = true
			fl.addForeign(&Instance{ID: id, Owner: blk.OwnerSubscriptionID, Block: bt.Name})
		}
		return id, nil
	}
	if prev, ok := fl.seen[id]; ok {
		if !reflect.DeepEqual(prev.Interface(), v.Interface()) {
			return uuid.Nil, fmt.Errorf("%s: %s instance %s is held twice with different contents", path, bt.Name, id)
		}
		return id, nil
	}
	fl.seen[id] = v
	inst := &Instance{ID: id, Owner: fl.sub, Block: bt.Name, Label: blk.Label, Values: map[string][]string{}}
	fl.tree.Instances = append(fl.tree.Instances, inst)
	used := map[uuid.UUID]string{}
	for _, f := range bt.Fields {
		fv := v.Field(f.index)
		switch f.Kind {
		case ResourceField:
			if f.Optional {
				if fv.IsNil() {
					continue
				}
				fv = fv.Elem()
			}
			inst.Values[f.Name] = []string{f.Value.Encode(fv)}
		case ResourceListField:
			if fv.Len() == 0 {
				continue
			}
			vals := make([]string, fv.Len())
			for i := range vals {
				vals[i] = f.Value.Encode(fv.Index(i))
			}
			inst.Values[f.Name] = vals
		case BlockField, BlockListField:
			for i, cv := range children(fv, f) {
				cpath := path + "." + f.Name + index(f, i)
				cid, err := fl.visit(cv, f.Block, cpath, false)
				if err != nil {
					return uuid.Nil, err
				}
				if other, ok := used[cid]; ok && other != f.Name {
					return uuid.Nil, fmt.Errorf("%s: instance %s is also held by field %s of the same block", cpath, cid, other)
				}
				used[cid] = f.Name
				fl.tree.Relations = append(fl.tree.Relations, Relation{InUseBy: id, DependsOn: cid, OrderID: i, Attr: f.Name})
			}
		}
	}
	return id, nil
}

// Assemble builds the model of a subscription from its rows: base is the subscriptions row with its product,
// fixedInputs the product's fixed inputs, tree the instances reachable from the subscription's own instances
// with their outgoing relations. Root fields take the subscription's own instances of their block that no other
// own instance holds (a root list in the order of instance ids, since nothing stores its order). List values
// come sorted as strings, as the reference returns them; relations without domain_model_attr, or with one the
// block does not declare, are ignored as the reference ignores them.
func (p *ProductType) Assemble(base Subscription, fixedInputs map[string]string, tree *Tree) (Model, error) {
	v := reflect.New(p.GoType)
	if err := p.setBase(v.Elem(), base, fixedInputs); err != nil {
		return nil, err
	}
	as := &assembler{byID: map[uuid.UUID]*Instance{}, children: map[uuid.UUID][]Relation{}, onPath: map[uuid.UUID]bool{}}
	for _, inst := range tree.Instances {
		as.byID[inst.ID] = inst
	}
	held := map[uuid.UUID]bool{}
	for _, r := range tree.Relations {
		as.children[r.InUseBy] = append(as.children[r.InUseBy], r)
		if parent := as.byID[r.InUseBy]; parent != nil && parent.Owner == base.SubscriptionID {
			held[r.DependsOn] = true
		}
	}
	for _, rs := range as.children {
		slices.SortFunc(rs, func(a, b Relation) int { return cmp.Compare(a.OrderID, b.OrderID) })
	}
	for _, f := range p.Fields {
		if !f.IsBlock() {
			continue
		}
		var ids []uuid.UUID
		for _, inst := range tree.Instances {
			if inst.Owner == base.SubscriptionID && inst.Block == f.Block.Name && !held[inst.ID] {
				ids = append(ids, inst.ID)
			}
		}
		slices.SortFunc(ids, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
		if err := as.setField(v.Elem().Field(f.index), f, ids); err != nil {
			return nil, fmt.Errorf("domain: subscription %s: %w", base.SubscriptionID, err)
		}
	}
	return v.Interface().(Model), nil
}

type assembler struct {
	byID     map[uuid.UUID]*Instance
	children map[uuid.UUID][]Relation
	onPath   map[uuid.UUID]bool
}

// setField fills a block field with the instances ids.
func (as *assembler) setField(fv reflect.Value, f *Field, ids []uuid.UUID) error {
	switch {
	case f.Kind == BlockListField:
		if len(ids) == 0 {
			return nil
		}
		list := reflect.MakeSlice(fv.Type(), len(ids), len(ids))
		for i, id := range ids {
			if err := as.build(list.Index(i), f.Block, id); err != nil {
				return fmt.Errorf("%s[%d]: %w", f.Name, i, err)
			}
		}
		fv.Set(list)
		return nil
	case len(ids) > 1:
		return fmt.Errorf("%s holds %d %s instances, want one", f.Name, len(ids), f.Block.Name)
	case len(ids) == 0:
		if f.Optional {
			return nil
		}
		return fmt.Errorf("%s: no %s instance", f.Name, f.Block.Name)
	case f.Optional:
		ptr := reflect.New(f.Block.GoType)
		if err := as.build(ptr.Elem(), f.Block, ids[0]); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		fv.Set(ptr)
		return nil
	}
	if err := as.build(fv, f.Block, ids[0]); err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	return nil
}

func (as *assembler) build(v reflect.Value, bt *BlockType, id uuid.UUID) error {
	inst := as.byID[id]
	if inst == nil {
		return fmt.Errorf("instance %s is missing", id)
	}
	if inst.Block != bt.Name {
		return fmt.Errorf("instance %s is a %s block, want %s", id, inst.Block, bt.Name)
	}
	if as.onPath[id] {
		return fmt.Errorf("instance %s contains itself", id)
	}
	as.onPath[id] = true
	defer delete(as.onPath, id)
	v.Field(bt.baseIndex).Set(reflect.ValueOf(Block{SubscriptionInstanceID: id, OwnerSubscriptionID: inst.Owner, Label: inst.Label}))
	rels := as.children[id]
	for _, f := range bt.Fields {
		fv := v.Field(f.index)
		switch f.Kind {
		case ResourceField:
			vals := inst.Values[f.Name]
			switch {
			case len(vals) > 1:
				return fmt.Errorf("%s instance %s: %s has %d values, want one", bt.Name, id, f.Name, len(vals))
			case len(vals) == 0:
				if !f.Optional {
					return fmt.Errorf("%s instance %s: %s has no value", bt.Name, id, f.Name)
				}
				continue
			}
			val, err := f.Value.Decode(vals[0])
			if err != nil {
				return fmt.Errorf("%s instance %s: %s: %v", bt.Name, id, f.Name, err)
			}
			setValue(fv, val, f.Optional)
		case ResourceListField:
			vals := slices.Clone(inst.Values[f.Name])
			if len(vals) == 0 {
				continue
			}
			slices.Sort(vals) // byte order is code point order: Python's sort of str
			list := reflect.MakeSlice(fv.Type(), len(vals), len(vals))
			for i, s := range vals {
				val, err := f.Value.Decode(s)
				if err != nil {
					return fmt.Errorf("%s instance %s: %s: %v", bt.Name, id, f.Name, err)
				}
				list.Index(i).Set(val)
			}
			fv.Set(list)
		case BlockField, BlockListField:
			var ids []uuid.UUID
			for _, r := range rels {
				if r.Attr == f.Name {
					ids = append(ids, r.DependsOn)
				}
			}
			if err := as.setField(fv, f, ids); err != nil {
				return fmt.Errorf("%s instance %s: %w", bt.Name, id, err)
			}
		}
	}
	return nil
}

// RootInstances returns the ids of the instances held by the model's root block fields (ids not assigned yet
// are zero and left out).
func (p *ProductType) RootInstances(m Model) []uuid.UUID {
	v, err := p.checkModel(m)
	if err != nil {
		return nil
	}
	var ids []uuid.UUID
	for _, f := range p.Fields {
		if !f.IsBlock() {
			continue
		}
		for _, cv := range children(v.Field(f.index), f) {
			if id := cv.Field(f.Block.baseIndex).Interface().(Block).SubscriptionInstanceID; id != uuid.Nil {
				ids = append(ids, id)
			}
		}
	}
	return ids
}
