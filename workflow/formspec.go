package workflow

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

var (
	uuidType          = reflect.TypeFor[uuid.UUID]()
	addrType          = reflect.TypeFor[netip.Addr]()
	prefixType        = reflect.TypeFor[netip.Prefix]()
	timeType          = reflect.TypeFor[time.Time]()
	textUnmarshaler   = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshalerTy = reflect.TypeFor[json.Unmarshaler]()
)

// knownRules are the validate rules a form understands.
var knownRules = []string{"required", "min", "max", "oneof", "uuid"}

// formSpec is a form struct type checked once: its fields with their parsed rules and the checks of their values.
type formSpec struct {
	typ    reflect.Type
	fields []*formField
}

// formField is one input field of a form (or of a struct nested in one).
type formField struct {
	name     string
	goName   string
	index    []int
	typ      reflect.Type
	required bool
	rules    []formRule
	value    *valueSpec
}

type formRule struct {
	key     string // min, max, oneof, uuid
	arg     string
	n       float64
	allowed []string
}

// declError is a form declaration that cannot be checked: the form, the field's path and what is wrong.
type declError struct {
	form reflect.Type
	path string
	msg  string
}

func (e *declError) Error() string {
	return fmt.Sprintf("workflow: form %s field %s: %s", e.form, e.path, e.msg)
}

// valueSpec is what is checked on a value of a type, pointers removed: enum membership, bounds, the fields of a
// nested struct, the elements of a list or the values of a map.
type valueSpec struct {
	typ     reflect.Type
	enum    []reflect.Value
	bounded bool
	lo, hi  int64
	nested  *formSpec
	elem    *valueSpec
	leaf    bool // decoded by its own methods (UUID, address, time, ...)
}

type formCompiler struct {
	form  reflect.Type
	specs map[reflect.Type]*formSpec
}

// compileForm checks a form struct type and describes it, or returns an error naming the form, field and rule.
func compileForm(t reflect.Type) (*formSpec, error) {
	c := &formCompiler{form: t, specs: map[reflect.Type]*formSpec{}}
	return c.spec(t)
}

func (c *formCompiler) spec(t reflect.Type) (*formSpec, error) {
	if s, ok := c.specs[t]; ok {
		return s, nil
	}
	s := &formSpec{typ: t}
	c.specs[t] = s
	if err := c.fields(s, t, nil); err != nil {
		return nil, err
	}
	return s, nil
}

func (c *formCompiler) fields(s *formSpec, t reflect.Type, prefix []int) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		name, skip := jsonName(sf)
		if skip {
			continue
		}
		index := append(slices.Clone(prefix), i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && !hasJSONName(sf) {
			// Promoted fields, as encoding/json sees them (also from an unexported embedded type).
			if err := c.fields(s, sf.Type, index); err != nil {
				return err
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		f := &formField{name: name, goName: sf.Name, index: index, typ: sf.Type}
		fail := func(format string, args ...any) error {
			return &declError{form: c.form, path: sf.Name, msg: fmt.Sprintf(format, args...)}
		}
		var err error
		if f.value, err = c.value(sf.Type); err != nil {
			if de, ok := err.(*declError); ok {
				return &declError{form: c.form, path: sf.Name + "." + de.path, msg: de.msg}
			}
			return fail("%v", err)
		}
		base := sf.Type
		for base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		for rule := range strings.SplitSeq(sf.Tag.Get("validate"), ",") {
			rule = strings.TrimSpace(rule)
			key, arg, _ := strings.Cut(rule, "=")
			r := formRule{key: key, arg: arg}
			switch key {
			case "":
				continue
			case "required":
				f.required = true
				continue
			case "min", "max":
				n, err := strconv.ParseFloat(arg, 64)
				if err != nil {
					return fail("validate rule %q: %s needs a number (e.g. %s=1)", rule, key, key)
				}
				switch {
				case isNumber(base.Kind()), base.Kind() == reflect.String, base.Kind() == reflect.Slice, base.Kind() == reflect.Array, base.Kind() == reflect.Map:
				default:
					return fail("validate rule %q applies to numbers, strings, lists and maps, not %s", rule, base)
				}
				if n < 0 && !isNumber(base.Kind()) {
					return fail("validate rule %q: a length cannot be negative", rule)
				}
				r.n = n
			case "oneof":
				r.allowed = strings.Fields(arg)
				if len(r.allowed) == 0 {
					return fail("validate rule %q lists no values (oneof=a b)", rule)
				}
				if base.Kind() != reflect.String && !isInt(base.Kind()) {
					return fail("validate rule %q applies to strings and integers, not %s", rule, base)
				}
				if isInt(base.Kind()) {
					for _, a := range r.allowed {
						if _, err := strconv.ParseInt(a, 10, 64); err != nil {
							return fail("validate rule %q: %q is not an integer", rule, a)
						}
					}
				}
			case "uuid":
				if base.Kind() != reflect.String {
					return fail("validate rule %q applies to strings, not %s (a uuid.UUID field is checked by its type)", rule, base)
				}
			default:
				return fail("unknown validate rule %q (known: %s)", rule, strings.Join(knownRules, ", "))
			}
			f.rules = append(f.rules, r)
		}
		if lo, hi, ok := minMax(f.rules); ok && lo > hi {
			return fail("validate rules min=%v and max=%v: min is greater than max", lo, hi)
		}
		s.fields = append(s.fields, f)
	}
	return nil
}

func minMax(rules []formRule) (lo, hi float64, both bool) {
	var hasLo, hasHi bool
	for _, r := range rules {
		switch r.key {
		case "min":
			lo, hasLo = r.n, true
		case "max":
			hi, hasHi = r.n, true
		}
	}
	return lo, hi, hasLo && hasHi
}

func isInt(k reflect.Kind) bool    { return k >= reflect.Int && k <= reflect.Uint64 }
func isNumber(k reflect.Kind) bool { return isInt(k) || k == reflect.Float32 || k == reflect.Float64 }

// value describes the checks on a value of type t, or says why t cannot be form input.
func (c *formCompiler) value(t reflect.Type) (*valueSpec, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	vs := &valueSpec{typ: t}
	switch {
	case t == uuidType || t == addrType || t == prefixType || t == timeType:
		vs.leaf = true
		return vs, nil
	case t.Kind() == reflect.Struct && (reflect.PointerTo(t).Implements(jsonUnmarshalerTy) || reflect.PointerTo(t).Implements(textUnmarshaler)):
		vs.leaf = true
		return vs, nil
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Float32, reflect.Float64, reflect.Interface,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
	case reflect.Struct:
		nested, err := c.spec(t)
		if err != nil {
			return nil, err
		}
		vs.nested = nested
		return vs, nil
	case reflect.Slice, reflect.Array:
		elem, err := c.value(t.Elem())
		if err != nil {
			return nil, err
		}
		vs.elem = elem
		return vs, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("type %s: a map's keys must be strings (JSON object keys)", t)
		}
		elem, err := c.value(t.Elem())
		if err != nil {
			return nil, err
		}
		vs.elem = elem
		return vs, nil
	default:
		return nil, fmt.Errorf("type %s cannot come from JSON input", t)
	}
	if m, ok := t.MethodByName("Values"); ok && m.Type.NumIn() == 1 && m.Type.NumOut() == 1 && m.Type.Out(0) == reflect.SliceOf(t) {
		members := m.Func.Call([]reflect.Value{reflect.Zero(t)})[0]
		for i := range members.Len() {
			vs.enum = append(vs.enum, members.Index(i))
		}
		if len(vs.enum) == 0 {
			return nil, fmt.Errorf("type %s: Values() lists no members", t)
		}
	}
	i64 := reflect.TypeFor[int64]()
	if m, ok := t.MethodByName("Bounds"); ok && isInt(t.Kind()) && m.Type.NumIn() == 1 && m.Type.NumOut() == 2 && m.Type.Out(0) == i64 && m.Type.Out(1) == i64 {
		out := m.Func.Call([]reflect.Value{reflect.Zero(t)})
		vs.bounded, vs.lo, vs.hi = true, out[0].Int(), out[1].Int()
		if vs.lo > vs.hi {
			return nil, fmt.Errorf("type %s: Bounds() min %d is greater than max %d", t, vs.lo, vs.hi)
		}
	}
	return vs, nil
}

// decode fills the struct v from input field by field, collecting every error.
func (s *formSpec) decode(v reflect.Value, input State) FieldErrors {
	var errs FieldErrors
	for _, f := range s.fields {
		raw, present := input[f.name]
		fv := v.FieldByIndex(f.index)
		if present && raw == nil && f.typ.Kind() != reflect.Pointer && f.typ.Kind() != reflect.Interface {
			errs = append(errs, FieldError{Field: f.name, Message: "none is not an allowed value"})
			continue
		}
		if present && raw != nil {
			data, err := json.Marshal(raw)
			if err == nil {
				err = json.Unmarshal(data, fv.Addr().Interface())
			}
			if err != nil {
				errs = append(errs, FieldError{Field: f.name, Message: typeMessage(f.typ)})
				continue
			}
		}
		errs = append(errs, f.check(f.name, fv, present && raw != nil, raw)...)
	}
	return errs
}

// check applies a field's rules and its value's checks; path names it in errors.
func (f *formField) check(path string, fv reflect.Value, present bool, raw any) FieldErrors {
	var errs FieldErrors
	add := func(msg string) { errs = append(errs, FieldError{Field: path, Message: msg}) }
	v := fv
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	isNil := v.Kind() == reflect.Pointer && v.IsNil()
	if f.required && (!present || isNil || (v.Kind() == reflect.String && v.String() == "")) {
		add("field required")
		return errs
	}
	if !present || isNil {
		return errs
	}
	for _, r := range f.rules {
		switch r.key {
		case "min", "max":
			if msg := bound(r.key, r.n, r.arg, v); msg != "" {
				add(msg)
			}
		case "oneof":
			if !slices.Contains(r.allowed, fmt.Sprint(v.Interface())) {
				add("value is not a valid enumeration member; permitted: " + quoteList(r.allowed))
			}
		case "uuid":
			if _, err := uuid.Parse(v.String()); err != nil {
				add("value is not a valid uuid")
			}
		}
	}
	return append(errs, f.value.check(path, v, raw)...)
}

// check checks a value that is present: enum membership, bounds, and recursively the fields of a nested struct
// and the elements of a list or map.
func (vs *valueSpec) check(path string, v reflect.Value, raw any) FieldErrors {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	var errs FieldErrors
	add := func(msg string) { errs = append(errs, FieldError{Field: path, Message: msg}) }
	if len(vs.enum) > 0 && !slices.ContainsFunc(vs.enum, func(m reflect.Value) bool { return m.Interface() == v.Interface() }) {
		names := make([]string, len(vs.enum))
		for i, m := range vs.enum {
			names[i] = fmt.Sprint(m.Interface())
		}
		add("value is not a valid enumeration member; permitted: " + quoteList(names))
	}
	if vs.bounded {
		var in bool
		if v.CanInt() {
			in = v.Int() >= vs.lo && v.Int() <= vs.hi
		} else {
			in = vs.hi >= 0 && v.Uint() <= uint64(vs.hi) && (vs.lo <= 0 || v.Uint() >= uint64(vs.lo))
		}
		if !in {
			add(fmt.Sprintf("ensure this value is between %d and %d", vs.lo, vs.hi))
		}
	}
	switch {
	case vs.nested != nil:
		obj, _ := raw.(map[string]any)
		for _, f := range vs.nested.fields {
			child, present := obj[f.name]
			if obj == nil {
				present = true // not from JSON: every field counts as given
			}
			errs = append(errs, f.check(path+"."+f.name, v.FieldByIndex(f.index), present && (obj == nil || child != nil), child)...)
		}
	case vs.elem != nil && (v.Kind() == reflect.Slice || v.Kind() == reflect.Array):
		list, _ := raw.([]any)
		for i := range v.Len() {
			var child any
			if i < len(list) {
				child = list[i]
			}
			errs = append(errs, vs.elem.check(fmt.Sprintf("%s[%d]", path, i), v.Index(i), child)...)
		}
	case vs.elem != nil && v.Kind() == reflect.Map:
		obj, _ := raw.(map[string]any)
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			errs = append(errs, vs.elem.check(path+"."+k.String(), v.MapIndex(k), obj[k.String()])...)
		}
	}
	return errs
}
