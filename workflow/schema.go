package workflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
)

// Describer is a form that describes its pages to a client as JSON Schema. The forms of FormFor, Forms and
// EmptyForm are Describers; a hand-written form may be one.
type Describer interface {
	// Schemas returns one JSON Schema per page of input the form asks for.
	Schemas() ([]json.RawMessage, error)
}

// Schemas describes a form to a client as the reference's pydantic-forms do: one JSON Schema object per page
// (Forms gives one page per form combined), with additionalProperties false, the properties in field order, the
// fields without which the page is not valid under required, titles made from the field names, enums and nested
// structs under $defs, bounds as minimum/maximum, minLength/maxLength or minItems/maxItems, and optional fields as
// anyOf with null and default null. Every other object's keys are sorted. Check methods are Go code and are not
// described.
func Schemas(f Form) ([]json.RawMessage, error) {
	if f == nil {
		f = EmptyForm
	}
	d, ok := f.(Describer)
	if !ok {
		return nil, fmt.Errorf("workflow: form %T does not describe itself (it is not a Describer)", f)
	}
	return d.Schemas()
}

// emptySchema is the page of a form that asks nothing.
var emptySchema = json.RawMessage(`{"additionalProperties":false,"properties":{},"title":"unknown","type":"object"}`)

func (emptyForm) Schemas() ([]json.RawMessage, error) { return []json.RawMessage{emptySchema}, nil }

func (m multiForm) Schemas() ([]json.RawMessage, error) {
	var pages []json.RawMessage
	for _, f := range m {
		if f == nil {
			continue
		}
		p, err := Schemas(f)
		if err != nil {
			return nil, err
		}
		pages = append(pages, p...)
	}
	if len(pages) == 0 {
		pages = append(pages, emptySchema)
	}
	return pages, nil
}

// Schemas describes the struct form as one page.
func (f structForm[T]) Schemas() ([]json.RawMessage, error) {
	if f.err != nil {
		return nil, f.err
	}
	b := &schemaBuilder{defs: map[string]any{}}
	page := b.object(f.spec)
	page["additionalProperties"] = false
	page["title"] = "unknown"
	if len(b.defs) > 0 {
		page["$defs"] = b.defs
	}
	data, err := json.Marshal(page)
	if err != nil {
		return nil, fmt.Errorf("workflow: describing form %s: %w", f.spec.typ, err)
	}
	return []json.RawMessage{data}, nil
}

type schemaBuilder struct {
	defs map[string]any
}

// properties keeps the fields in their order when encoded.
type properties []property

type property struct {
	name   string
	schema map[string]any
}

func (ps properties) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.name)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(p.schema)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (b *schemaBuilder) object(spec *formSpec) map[string]any {
	props := properties{}
	var required []string
	for _, f := range spec.fields {
		props = append(props, property{f.name, b.property(f)})
		if f.required {
			required = append(required, f.name)
		}
	}
	obj := map[string]any{"properties": props, "type": "object"}
	if len(required) > 0 {
		obj["required"] = required
	}
	return obj
}

func (b *schemaBuilder) property(f *formField) map[string]any {
	s := b.value(f.value)
	base := f.value.typ
	for _, r := range f.rules {
		switch r.key {
		case "min", "max":
			var key string
			switch {
			case isNumber(base.Kind()):
				key = map[string]string{"min": "minimum", "max": "maximum"}[r.key]
			case base.Kind() == reflect.String:
				key = map[string]string{"min": "minLength", "max": "maxLength"}[r.key]
			case base.Kind() == reflect.Map:
				key = map[string]string{"min": "minProperties", "max": "maxProperties"}[r.key]
			default:
				key = map[string]string{"min": "minItems", "max": "maxItems"}[r.key]
			}
			s[key] = number(r.arg)
		case "oneof":
			vals := make([]any, len(r.allowed))
			for i, a := range r.allowed {
				vals[i] = a
				if isInt(base.Kind()) {
					vals[i] = number(a)
				}
			}
			s["enum"] = vals
		case "uuid":
			s["format"] = "uuid"
		}
	}
	if f.required && base.Kind() == reflect.String {
		if _, ok := s["minLength"]; !ok {
			s["minLength"] = 1 // required means not empty here (pydantic accepts "")
		}
	}
	title := pythonTitle(strings.ReplaceAll(f.name, "_", " "))
	if f.typ.Kind() == reflect.Pointer && !f.required {
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}, "default": nil, "title": title}
	}
	if _, ref := s["$ref"]; !ref {
		s["title"] = title
	}
	return s
}

// value is the schema of a value of the spec's type.
func (b *schemaBuilder) value(vs *valueSpec) map[string]any {
	t := vs.typ
	switch t {
	case uuidType:
		return map[string]any{"format": "uuid", "type": "string"}
	case addrType:
		return map[string]any{"format": "ipvanyaddress", "type": "string"}
	case prefixType:
		return map[string]any{"format": "ipvanynetwork", "type": "string"}
	case timeType:
		return map[string]any{"format": "date-time", "type": "string"}
	}
	if vs.leaf {
		return map[string]any{}
	}
	if len(vs.enum) > 0 {
		vals := make([]any, len(vs.enum))
		for i, m := range vs.enum {
			vals[i] = m.Interface()
		}
		b.defs[t.Name()] = map[string]any{"enum": vals, "title": t.Name(), "type": jsonType(t.Kind())}
		return map[string]any{"$ref": "#/$defs/" + t.Name()}
	}
	switch {
	case vs.nested != nil:
		if _, done := b.defs[t.Name()]; !done {
			b.defs[t.Name()] = map[string]any{} // placeholder against recursion
			obj := b.object(vs.nested)
			obj["title"] = t.Name()
			b.defs[t.Name()] = obj
		}
		return map[string]any{"$ref": "#/$defs/" + t.Name()}
	case vs.elem != nil && t.Kind() == reflect.Map:
		return map[string]any{"additionalProperties": b.value(vs.elem), "type": "object"}
	case vs.elem != nil:
		return map[string]any{"items": b.value(vs.elem), "type": "array"}
	}
	s := map[string]any{}
	if k := jsonType(t.Kind()); k != "" {
		s["type"] = k
	}
	if vs.bounded {
		s["minimum"], s["maximum"] = vs.lo, vs.hi
	}
	return s
}

func jsonType(k reflect.Kind) string {
	switch {
	case k == reflect.String:
		return "string"
	case k == reflect.Bool:
		return "boolean"
	case isInt(k):
		return "integer"
	case k == reflect.Float32 || k == reflect.Float64:
		return "number"
	}
	return ""
}

// number writes a bound as the JSON number it is: 9000, not 9000.0.
func number(s string) json.Number {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
	}
	return json.Number(s)
}

// pythonTitle is Python's str.title: a letter is upper case after a character that is not a letter, lower case
// after one ("ipv4 address" gives "Ipv4 Address").
func pythonTitle(s string) string {
	out := []rune(s)
	prevLetter := false
	for i, r := range out {
		if unicode.IsLetter(r) {
			if prevLetter {
				out[i] = unicode.ToLower(r)
			} else {
				out[i] = unicode.ToUpper(r)
			}
			prevLetter = true
		} else {
			prevLetter = false
		}
	}
	return string(out)
}
