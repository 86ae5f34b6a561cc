package workflow

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"time"

	"github.com/wfo-go/wfo/database"
)

// Form validates user input: the initial input of a process, or the input an input step waits for. Input comes as
// pages (JSON objects), merged into one object before validation; the result is merged into the process state.
type Form interface {
	Validate(fc *FormContext, input State) (State, error)
}

// FormContext is what a form's checks may use.
type FormContext struct {
	context.Context
	// DB is the database, for checks that look things up (that a subscription exists and is in sync, say).
	DB *database.DB
	// State is the process state before the input (empty for an initial form).
	State State
	// Workflow is the workflow the input is for.
	Workflow *Workflow
}

// Checker is implemented by form structs that check more than their fields' tags can say: rules across fields, or
// lookups in the database. Check runs only when every field is valid. Returning FieldErrors names the fields at
// fault; any other error is reported for the form as a whole.
type Checker interface {
	Check(fc *FormContext) error
}

// FieldError is one invalid field.
type FieldError struct {
	// Field is the field's JSON name; empty for a problem of the whole form.
	Field   string
	Message string
	// Err is the error behind the message, when there is one (errors.Is and errors.As find it).
	Err error
}

// FieldErrors is every invalid field of a form; it is the error forms return.
type FieldErrors []FieldError

// ErrInvalidInput is matched (errors.Is) by every FieldErrors.
var ErrInvalidInput = errors.New("invalid input")

// Error lists the fields and their problems.
func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, f := range fe {
		if f.Field == "" {
			parts[i] = f.Message
		} else {
			parts[i] = f.Field + ": " + f.Message
		}
	}
	return "workflow: invalid input: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalidInput) true.
func (fe FieldErrors) Is(target error) bool { return target == ErrInvalidInput }

// Unwrap returns the errors behind the fields' messages.
func (fe FieldErrors) Unwrap() []error {
	var out []error
	for _, f := range fe {
		if f.Err != nil {
			out = append(out, f.Err)
		}
	}
	return out
}

// Fields returns the names of the invalid fields, in order.
func (fe FieldErrors) Fields() []string {
	out := make([]string, len(fe))
	for i, f := range fe {
		out[i] = f.Field
	}
	return out
}

// EmptyForm accepts any input and adds nothing to the state: the form of a workflow that declares none (so
// [{}] is always valid input) and of every step that is not an input step.
var EmptyForm Form = emptyForm{}

type emptyForm struct{}

func (emptyForm) Validate(*FormContext, State) (State, error) { return State{}, nil }

// FormFor returns the form of the struct type T. Each exported field is an input field named by its json tag;
// embedded structs contribute their fields. Input keys that are not fields are ignored. Fields are validated by
// their type (decoding the input value into it) and by the rules of their validate tag, separated by commas:
//
//	required   present and not null (for a string: not empty)
//	min=N      numbers: at least N; strings: at least N characters; lists: at least N items
//	max=N      numbers: at most N; strings: at most N characters; lists: at most N items
//	oneof=a b  one of the listed values
//	uuid       a string holding a UUID
//
// A value whose type has a method Values() returning a list of its own type (an enum, as in package domain) must
// hold one of those values, and one whose type has a method Bounds() (min, max int64) must lie within them: in a
// field, in the elements of a list and in the fields of a nested struct, whose validate tags apply too. A field
// that is not a pointer may be absent but not null. Every invalid field is reported, by its path, in one
// FieldErrors. When all fields are valid and T (or *T) implements Checker, its Check runs. The validated struct,
// encoded as JSON, is the form's output.
//
// The form is checked when it is made: an unknown rule, a bound that is not a number, a rule on a type it cannot
// apply to, or a field type that cannot come from JSON is an error that Workflow.Check (and so registering the
// workflow) reports with the form, field and rule. Schemas describes the form as JSON Schema.
func FormFor[T any]() Form {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("workflow: FormFor[%s]: a form is a struct type", t))
	}
	spec, err := compileForm(t)
	return structForm[T]{spec: spec, err: err}
}

type structForm[T any] struct {
	spec *formSpec
	err  error
}

// Err reports what is wrong with the form's declaration.
func (f structForm[T]) Err() error { return f.err }

func (f structForm[T]) Validate(fc *FormContext, input State) (State, error) {
	if f.err != nil {
		return nil, f.err
	}
	var v T
	errs := f.spec.decode(reflect.ValueOf(&v).Elem(), input)
	if len(errs) > 0 {
		return nil, errs
	}
	var c Checker
	if ch, ok := any(v).(Checker); ok {
		c = ch
	} else if ch, ok := any(&v).(Checker); ok {
		c = ch
	}
	if c != nil {
		if err := c.Check(fc); err != nil {
			var fe FieldErrors
			if errors.As(err, &fe) {
				return nil, fe
			}
			return nil, FieldErrors{{Message: err.Error(), Err: err}}
		}
	}
	return StateOf(v)
}

// Decode validates input against the form of T and returns the struct; for code that takes form input outside a
// process (a test, a command).
func Decode[T any](fc *FormContext, input State) (T, error) {
	var v T
	st, err := FormFor[T]().Validate(fc, input)
	if err != nil {
		return v, err
	}
	return v, st.Decode(&v)
}

// CheckForm reports what is wrong with a form's declaration (nil for forms that cannot be wrong).
func CheckForm(f Form) error {
	switch f := f.(type) {
	case interface{ Err() error }:
		return f.Err()
	case multiForm:
		for _, part := range f {
			if err := CheckForm(part); err != nil {
				return err
			}
		}
	}
	return nil
}

func jsonName(f reflect.StructField) (string, bool) {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", true
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, false
}

func hasJSONName(f reflect.StructField) bool {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name != ""
}

func typeMessage(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == uuidType:
		return "value is not a valid uuid"
	case t == reflect.TypeFor[netip.Addr]():
		return "value is not a valid IPv4 or IPv6 address"
	case t == reflect.TypeFor[netip.Prefix]():
		return "value is not a valid IPv4 or IPv6 network"
	case t == reflect.TypeFor[time.Time]():
		return "invalid datetime format"
	case t.Kind() == reflect.String:
		return "str type expected"
	case t.Kind() == reflect.Bool:
		return "value could not be parsed to a boolean"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "value is not a valid integer"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "value is not a valid number"
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return "value is not a valid list"
	case t.Kind() == reflect.Struct || t.Kind() == reflect.Map:
		return "value is not a valid object"
	}
	return "value is not a valid " + t.String()
}

func bound(key string, n float64, arg string, v reflect.Value) string {
	var have float64
	unit := ""
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		have = float64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		have = float64(v.Uint())
	case reflect.Float32, reflect.Float64:
		have = v.Float()
	case reflect.String:
		have, unit = float64(len([]rune(v.String()))), "characters"
	case reflect.Slice, reflect.Map, reflect.Array:
		have, unit = float64(v.Len()), "items"
	default:
		return ""
	}
	switch {
	case key == "min" && have < n && unit == "":
		return "ensure this value is greater than or equal to " + arg
	case key == "max" && have > n && unit == "":
		return "ensure this value is less than or equal to " + arg
	case key == "min" && have < n:
		return fmt.Sprintf("ensure this value has at least %s %s", arg, unit)
	case key == "max" && have > n:
		return fmt.Sprintf("ensure this value has at most %s %s", arg, unit)
	}
	return ""
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, ", ")
}

// Forms combines forms into one: each validates the same input, every form's field errors are reported together,
// and the outputs are merged in order. The standard wrappers put their own fields (a product, a subscription) in
// front of the application's form this way.
func Forms(forms ...Form) Form { return multiForm(forms) }

type multiForm []Form

func (m multiForm) Validate(fc *FormContext, input State) (State, error) {
	out := State{}
	var errs FieldErrors
	for _, f := range m {
		if f == nil {
			continue
		}
		st, err := f.Validate(fc, input)
		if err != nil {
			var fe FieldErrors
			if !errors.As(err, &fe) {
				return nil, err
			}
			errs = append(errs, fe...)
			continue
		}
		out = out.Merge(st)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// MergePages merges the pages of user input into one object, later pages winning, as the reference's multi-page
// forms accumulate their answers. Each page is a State, a map or a struct (encoded as JSON).
func MergePages(pages ...any) (State, error) {
	out := State{}
	for i, p := range pages {
		st, err := StateOf(p)
		if err != nil {
			return nil, fmt.Errorf("workflow: input page %d: %w", i+1, err)
		}
		out = out.Merge(st)
	}
	return out, nil
}
