package workflow

import (
	"reflect"
)

// ModelSaver stores the subscription models a step returns, in the step's transaction, before the step is logged:
// the reference saves every subscription model found in a step's result (also nested in objects, not in lists).
type ModelSaver interface {
	// SaveModel saves v when it is a model it knows and reports whether it did.
	SaveModel(ctx *Context, v any) (saved bool, err error)
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
