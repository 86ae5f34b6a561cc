package processcmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/workflow"
)

// errNoInput: standard input ended before every field was answered.
var errNoInput = errors.New("process: no more input (standard input ended before every field was answered)")

// askMissing asks, on a terminal (or with --interactive), for every field of the form pages that pages do not
// answer, page by page: each field with its title, type, allowed values and default. A page is validated when it is
// complete; the fields it refuses are asked again with the rule they broke.
func askMissing(env *base.Env, fc *workflow.FormContext, wf *workflow.Workflow, pages []any, interactive bool) ([]any, error) {
	formPages := workflow.Pages(wf.InitialForm())
	if !interactive || len(pages) >= len(formPages) {
		return pages, nil
	}
	in := bufio.NewReader(env.Stdin)
	for i := len(pages); i < len(formPages); i++ {
		schema, err := api.PageSchema(formPages[i])
		if err != nil {
			return nil, err
		}
		fields, err := parseFields(schema)
		if err != nil {
			return nil, err
		}
		if len(fields) == 0 {
			pages = append(pages, map[string]any{})
			continue
		}
		fmt.Fprintf(env.Stdout, "Page %d of %d\n", i+1, len(formPages))
		page := map[string]any{}
		ask := fields
		for {
			for _, f := range ask {
				v, err := f.ask(in, env.Stdout)
				if err != nil {
					return nil, err
				}
				if v == nil {
					delete(page, f.name)
				} else {
					page[f.name] = v
				}
			}
			input, err := workflow.MergePages(append(append([]any{}, pages...), page)...)
			if err != nil {
				return nil, err
			}
			_, err = formPages[i].Validate(fc, input)
			var fe workflow.FieldErrors
			if err == nil || !errors.As(err, &fe) {
				break
			}
			ask = nil
			for _, e := range fe {
				fmt.Fprintf(env.Stdout, "  invalid %s: %s\n", orForm(e.Field), e.Message)
				for _, f := range fields {
					if f.name == e.Field || e.Field == "" {
						ask = append(ask, f)
					}
				}
			}
			if len(ask) == 0 {
				return nil, err
			}
		}
		pages = append(pages, page)
	}
	return pages, nil
}

func orForm(field string) string {
	if field == "" {
		return "input"
	}
	return field
}

// field is one property of a page schema, as asked on a terminal.
type field struct {
	name, title, typ, itemType string
	enum                       []any
	def                        json.RawMessage
	required                   bool
}

// ask prints the question and reads an answer; nil means no value (the default applies).
func (f field) ask(in *bufio.Reader, out io.Writer) (any, error) {
	for {
		q := fmt.Sprintf("%s (%s", f.title, f.typ)
		if f.itemType != "" {
			q += " of " + f.itemType + ", comma-separated"
		}
		if len(f.enum) > 0 {
			vals := make([]string, len(f.enum))
			for i, v := range f.enum {
				vals[i] = fmt.Sprint(v)
			}
			q += ", one of " + strings.Join(vals, ", ")
		}
		if f.required {
			q += ", required"
		}
		q += ")"
		if len(f.def) > 0 && string(f.def) != "null" {
			q += " [" + strings.Trim(string(f.def), `"`) + "]"
		}
		fmt.Fprintf(out, "%s: ", q)
		line, err := in.ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			fmt.Fprintln(out)
			return nil, errNoInput
		}
		line = strings.TrimSpace(line)
		if line == "" {
			return nil, nil
		}
		v, perr := convert(line, f.typ, f.itemType)
		if perr == "" {
			return v, nil
		}
		fmt.Fprintf(out, "  %s\n", perr)
	}
}

// convert turns an answer into a JSON value of the type; a non-empty second result says why it cannot.
func convert(s, typ, itemType string) (any, string) {
	switch typ {
	case "integer":
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return nil, "not an integer"
		}
		return json.Number(s), ""
	case "number":
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return nil, "not a number"
		}
		return json.Number(s), ""
	case "boolean":
		switch strings.ToLower(s) {
		case "y", "yes", "true":
			return true, ""
		case "n", "no", "false":
			return false, ""
		}
		return nil, "answer yes or no"
	case "array":
		var out []any
		for _, item := range strings.Split(s, ",") {
			v, msg := convert(strings.TrimSpace(item), itemType, "")
			if msg != "" {
				return nil, msg
			}
			out = append(out, v)
		}
		return out, ""
	case "object":
		var v map[string]any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return nil, "not a JSON object"
		}
		return v, ""
	}
	return s, ""
}

// parseFields reads the properties of a page schema in their order.
func parseFields(schema json.RawMessage) ([]field, error) {
	var doc struct {
		Properties json.RawMessage            `json:"properties"`
		Required   []string                   `json:"required"`
		Defs       map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(schema, &doc); err != nil {
		return nil, fmt.Errorf("process: reading a form schema: %w", err)
	}
	names, raws, err := orderedKeys(doc.Properties)
	if err != nil {
		return nil, err
	}
	var out []field
	for i, name := range names {
		p := resolve(raws[i], doc.Defs)
		if p.Format == "label" || p.Format == "divider" || p.Format == "hidden" {
			continue
		}
		f := field{name: name, title: p.Title, typ: p.typeName(), enum: p.Enum, def: p.Default}
		if f.title == "" {
			f.title = name
		}
		if p.Items != nil {
			it := resolve(p.Items, doc.Defs)
			f.itemType = it.typeName()
		}
		for _, r := range doc.Required {
			f.required = f.required || r == name
		}
		out = append(out, f)
	}
	return out, nil
}

// property is the part of a property schema the questions use.
type property struct {
	Title   string            `json:"title"`
	Type    json.RawMessage   `json:"type"`
	Format  string            `json:"format"`
	Enum    []any             `json:"enum"`
	Default json.RawMessage   `json:"default"`
	Ref     string            `json:"$ref"`
	AnyOf   []json.RawMessage `json:"anyOf"`
	AllOf   []json.RawMessage `json:"allOf"`
	Items   json.RawMessage   `json:"items"`
}

func (p property) typeName() string {
	var s string
	if json.Unmarshal(p.Type, &s) == nil && s != "" {
		return s
	}
	return "string"
}

// resolve reads a property, following $ref into $defs and taking the first non-null member of anyOf or allOf;
// the property's own title and default win.
func resolve(raw json.RawMessage, defs map[string]json.RawMessage) property {
	var p property
	_ = json.Unmarshal(raw, &p)
	var inner json.RawMessage
	switch {
	case p.Ref != "":
		inner = defs[strings.TrimPrefix(p.Ref, "#/$defs/")]
	case len(p.AllOf) > 0:
		inner = p.AllOf[0]
	case len(p.AnyOf) > 0:
		for _, a := range p.AnyOf {
			if !bytes.Contains(a, []byte(`"null"`)) {
				inner = a
				break
			}
		}
	}
	if inner == nil {
		return p
	}
	q := resolve(inner, defs)
	if p.Title != "" {
		q.Title = p.Title
	}
	if len(p.Default) > 0 {
		q.Default = p.Default
	}
	if p.Format != "" {
		q.Format = p.Format
	}
	return q
}

// orderedKeys returns the keys of a JSON object in their order, with their values.
func orderedKeys(obj json.RawMessage) ([]string, []json.RawMessage, error) {
	if len(obj) == 0 {
		return nil, nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(obj))
	if _, err := dec.Token(); err != nil {
		return nil, nil, fmt.Errorf("process: reading a form schema: %w", err)
	}
	var names []string
	var vals []json.RawMessage
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("process: reading a form schema: %w", err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, fmt.Errorf("process: reading a form schema: %w", err)
		}
		names = append(names, t.(string))
		vals = append(vals, v)
	}
	return names, vals, nil
}
