package domain

import (
	"fmt"
	"reflect"
	"strings"
)

// ValidationError lists everything that keeps a model from being valid in a lifecycle.
type ValidationError struct {
	Lifecycle Lifecycle
	// Problems name the field by its path from the product type, e.g. "node.node_id is required from active"
	// or "lag.members has 1 item, at least 2 are required", in declaration order.
	Problems []string
}

// Error says "domain: not valid for <lifecycle>: <problems joined by "; ">".
func (e *ValidationError) Error() string {
	return fmt.Sprintf("domain: not valid for %s: %s", e.Lifecycle, e.Summary())
}

// Summary joins the problems with "; ".
func (e *ValidationError) Summary() string { return strings.Join(e.Problems, "; ") }

// Validate checks a model for lifecycle lc, recursively through every block including those of other
// subscriptions (as the reference rebuilds them all for the new lifecycle): every field required in lc is set,
// lists are within their bounds, values are enum members, within bounds and of their IP version. It returns nil
// or a *ValidationError.
func (p *ProductType) Validate(m Model, lc Lifecycle) error {
	v, err := p.checkModel(m)
	if err != nil {
		return err
	}
	val := &validator{lc: lc, onPath: map[uintptr]bool{}}
	for _, f := range p.Fields {
		val.field(v.Field(f.index), f, f.Name)
	}
	if len(val.problems) > 0 {
		return &ValidationError{Lifecycle: lc, Problems: val.problems}
	}
	return nil
}

type validator struct {
	lc       Lifecycle
	problems []string
	onPath   map[uintptr]bool
}

func (val *validator) addf(format string, args ...any) {
	val.problems = append(val.problems, fmt.Sprintf(format, args...))
}

func (val *validator) field(fv reflect.Value, f *Field, path string) {
	switch f.Kind {
	case ResourceField, FixedInputField, BlockField:
		if f.Optional {
			if fv.IsNil() {
				if f.RequiredIn(val.lc) {
					val.addf("%s is required from %s", path, f.RequiredFrom)
				}
				return
			}
			fv = fv.Elem()
		}
		if f.Kind == BlockField {
			val.block(fv, f.Block, path)
		} else if err := f.Value.Check(fv); err != nil {
			val.addf("%s: %v", path, err)
		}
	case ResourceListField, BlockListField:
		n := fv.Len()
		bounded := f.RequiredIn(val.lc)
		if bounded && n < f.Min {
			val.addf("%s has %d %s, at least %d %s required", path, n, plural(n, "item", "items"), f.Min, plural(f.Min, "is", "are"))
		}
		if bounded && f.Max > 0 && n > f.Max {
			val.addf("%s has %d %s, at most %d %s allowed", path, n, plural(n, "item", "items"), f.Max, plural(f.Max, "is", "are"))
		}
		for i := range n {
			ipath := fmt.Sprintf("%s[%d]", path, i)
			if f.Kind == BlockListField {
				val.block(fv.Index(i), f.Block, ipath)
			} else if err := f.Value.Check(fv.Index(i)); err != nil {
				val.addf("%s: %v", ipath, err)
			}
		}
	}
}

func (val *validator) block(v reflect.Value, bt *BlockType, path string) {
	addr := v.Addr().Pointer()
	if val.onPath[addr] {
		val.addf("%s contains itself", path)
		return
	}
	val.onPath[addr] = true
	defer delete(val.onPath, addr)
	for _, f := range bt.Fields {
		val.field(v.Field(f.index), f, path+"."+f.Name)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
