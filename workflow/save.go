package workflow

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// ModelSaver stores the subscription models a step returns, in the step's transaction, before the step is logged:
// the reference saves every subscription model found in a step's result (also nested in objects, not in lists).
// It also gives their JSON in the state and loads the models a step takes as input.
type ModelSaver interface {
	// SaveModel saves v when it is a model it knows and reports whether it did.
	SaveModel(ctx *Context, v any) (saved bool, err error)
	// MarshalModel returns the JSON of v in the state, when v is a model it knows.
	MarshalModel(v any) (data []byte, ok bool, err error)
	// LoadModel replaces v, a pointer to a model decoded from the state, with the model as the database holds it
	// (found by its subscription id), when it is a model it knows.
	LoadModel(ctx *Context, v any) (loaded bool, err error)
}

// saveModels offers the step's output (given by pointer, so that what saving fills in, such as new instance ids,
// ends up in the state), and every struct field and map value in it (not list elements), to the context's
// ModelSaver.
func saveModels(ctx *Context, out any) error {
	if ctx == nil || ctx.Models == nil {
		return nil
	}
	return walkModels(ctx, reflect.ValueOf(out).Elem(), 0)
}

func walkModels(ctx *Context, v reflect.Value, depth int) error {
	if !v.IsValid() || depth > 16 {
		return nil
	}
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walkModels(ctx, v.Elem(), depth+1)
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		if saved, err := ctx.Models.SaveModel(ctx, v.Interface()); saved || err != nil {
			return err
		}
		return walkModels(ctx, v.Elem(), depth+1)
	case reflect.Struct:
		if v.CanAddr() {
			if saved, err := ctx.Models.SaveModel(ctx, v.Addr().Interface()); saved || err != nil {
				return err
			}
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if err := walkModels(ctx, v.Field(i), depth+1); err != nil {
					return err
				}
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if err := walkModels(ctx, iter.Value(), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadModels loads every model in a step's decoded input (given by pointer) from the database, as the reference
// loads a step parameter typed as a subscription model by the subscription id in the state.
func loadModels(ctx *Context, in any) error {
	if ctx == nil || ctx.Models == nil {
		return nil
	}
	return walkLoad(ctx, reflect.ValueOf(in).Elem(), 0)
}

func walkLoad(ctx *Context, v reflect.Value, depth int) error {
	if !v.IsValid() || depth > 16 {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		if loaded, err := ctx.Models.LoadModel(ctx, v.Interface()); loaded || err != nil {
			return err
		}
		return walkLoad(ctx, v.Elem(), depth+1)
	case reflect.Struct:
		if v.CanAddr() {
			if loaded, err := ctx.Models.LoadModel(ctx, v.Addr().Interface()); loaded || err != nil {
				return err
			}
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if err := walkLoad(ctx, v.Field(i), depth+1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// outputState turns a step's output into the state: as StateOf, but every model in it (directly, in a map, a
// struct field or a list) in the JSON the ModelSaver gives for it.
func outputState(ctx *Context, out any) (State, error) {
	if ctx == nil || ctx.Models == nil {
		return StateOf(out)
	}
	tree, err := modelsAsJSON(ctx.Models, reflect.ValueOf(out), 0)
	if err != nil {
		return nil, err
	}
	return StateOf(tree)
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	rawMessage    = reflect.TypeFor[json.RawMessage]()
)

// modelsAsJSON returns v with every model replaced by its JSON: maps and lists are rebuilt, structs that hold
// models become maps of their JSON fields (name from the json tag, "-" and unexported fields left out, omitempty
// honoured, untagged embedded structs inlined); anything else is returned as it is for encoding/json.
func modelsAsJSON(m ModelSaver, v reflect.Value, depth int) (any, error) {
	if !v.IsValid() {
		return nil, nil
	}
	if depth > 32 {
		return v.Interface(), nil
	}
	if v.Kind() == reflect.Pointer || v.Kind() == reflect.Struct {
		cand := v
		if v.Kind() == reflect.Struct {
			if !v.CanAddr() {
				c := reflect.New(v.Type())
				c.Elem().Set(v)
				v = c.Elem()
			}
			cand = v.Addr()
		}
		if !cand.IsNil() {
			data, ok, err := m.MarshalModel(cand.Interface())
			if err != nil {
				return nil, err
			}
			if ok {
				return json.RawMessage(data), nil
			}
		}
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return nil, nil
		}
		if v.Type().Implements(jsonMarshaler) && v.Kind() == reflect.Pointer {
			return v.Interface(), nil
		}
		return modelsAsJSON(m, v.Elem(), depth+1)
	case reflect.Map:
		if v.IsNil() || v.Type().Key().Kind() != reflect.String {
			return v.Interface(), nil
		}
		out := make(map[string]any, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			e, err := modelsAsJSON(m, iter.Value(), depth+1)
			if err != nil {
				return nil, err
			}
			out[iter.Key().String()] = e
		}
		return out, nil
	case reflect.Slice, reflect.Array:
		if v.Type() == rawMessage || v.Type().Elem().Kind() == reflect.Uint8 || (v.Kind() == reflect.Slice && v.IsNil()) {
			return v.Interface(), nil
		}
		out := make([]any, v.Len())
		for i := range out {
			e, err := modelsAsJSON(m, v.Index(i), depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	case reflect.Struct:
		if v.Type().Implements(jsonMarshaler) || v.Addr().Type().Implements(jsonMarshaler) || v.NumField() == 0 {
			return v.Interface(), nil
		}
		out := map[string]any{}
		if err := structFields(m, v, out, depth); err != nil {
			return nil, err
		}
		return out, nil
	}
	return v.Interface(), nil
}

func structFields(m ModelSaver, v reflect.Value, out map[string]any, depth int) error {
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		fv := v.Field(i)
		if sf.Anonymous && name == "" {
			inner := fv
			if inner.Kind() == reflect.Pointer {
				if inner.IsNil() {
					continue
				}
				inner = inner.Elem()
			}
			if inner.Kind() == reflect.Struct {
				if err := structFields(m, inner, out, depth+1); err != nil {
					return err
				}
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if strings.Contains(opts, "omitempty") && isEmpty(fv) {
			continue
		}
		e, err := modelsAsJSON(m, fv, depth+1)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		out[name] = e
	}
	return nil
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	}
	return v.IsZero()
}
