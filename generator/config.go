package generator

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Config is a product's YAML configuration: the product, its fixed inputs, its product blocks and its workflows.
type Config struct {
	// File is the configuration file's path as given, used in error messages.
	File        string
	Name        string
	Variable    string
	Type        string
	Tag         string
	Description string
	// SummaryForms adds a summary page to the create and modify forms.
	SummaryForms bool
	FixedInputs  []*FixedInput
	Blocks       []*BlockConfig
	Workflows    []*WorkflowConfig

	positions map[string]pos
	raw       map[string]any
	problems  Errors
}

// FixedInput is an entry of fixed_inputs.
type FixedInput struct {
	Name        string
	Type        string
	EnumType    string
	Values      []any
	Description string
	path        string
}

// BlockConfig is an entry of product_blocks.
type BlockConfig struct {
	Name        string
	Type        string
	Tag         string
	Description string
	Variable    string
	// BlockName is product_blocks.name; Type when not set.
	BlockName string
	Fields    []*FieldConfig
	path      string
}

// FieldConfig is a field of a product block.
type FieldConfig struct {
	Name        string
	Type        string
	Description string
	// Required is "", inactive (or its synonym initial), provisioning or active.
	Required   string
	Default    any
	HasDefault bool
	// Modifiable is true when the key is present with null or true (false and absent mean not modifiable).
	Modifiable  bool
	Validations []Validation
	EnumType    string
	Values      []any
	ListType    string
	MinItems    *int
	MaxItems    *int
	MinValue    *int64
	MaxValue    *int64
	path        string
}

// Validation is a validation of a field or a workflow: an id (the name of the check) and what it requires.
type Validation struct {
	ID          string
	Description string
}

// WorkflowConfig is an entry of workflows.
type WorkflowConfig struct {
	Name        string
	Enabled     bool
	Validations []Validation
	path        string
}

// pos is a line and column in the configuration file.
type pos struct{ line, col int }

// Error is a problem in a configuration: where it is and what would be valid.
type Error struct {
	File      string
	Line, Col int
	// Field is the YAML path of the offending key, such as product_blocks[0].fields[2].default.
	Field   string
	Message string
}

func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
	}
	if e.Field == "" {
		return fmt.Sprintf("generator: %s: %s", loc, e.Message)
	}
	return fmt.Sprintf("generator: %s: %s: %s", loc, e.Field, e.Message)
}

// Errors are every problem found in a configuration, in file order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// ErrInvalidConfig marks a configuration that cannot be generated from.
var ErrInvalidConfig = errors.New("invalid configuration")

// Is makes errors.Is(err, ErrInvalidConfig) true for configuration problems.
func (es Errors) Is(target error) bool { return target == ErrInvalidConfig }

// ReadConfig reads and checks a configuration file: its YAML syntax, its shape (the JSON Schema of Schema) and the
// rules across fields. Problems are returned as Errors.
func ReadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("generator: configuration file %s not found: %w", path, err)
		}
		return nil, fmt.Errorf("generator: %w", err)
	}
	return ParseConfig(path, data)
}

var yamlErrPos = regexp.MustCompile(`^\[(\d+):(\d+)\] (.*)$`)

// ParseConfig parses a configuration read from file. When the shape is right but rules across fields are broken,
// it returns the configuration with the problems, which Resolve reports together with its own.
func ParseConfig(file string, data []byte) (*Config, error) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		first, _, _ := strings.Cut(err.Error(), "\n")
		e := &Error{File: file, Message: "invalid YAML: " + strings.TrimSpace(first)}
		if m := yamlErrPos.FindStringSubmatch(strings.TrimSpace(first)); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Col, _ = strconv.Atoi(m[2])
			e.Message = "invalid YAML: " + m[3]
		}
		return nil, Errors{e}
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil, Errors{{File: file, Message: "the file is empty: want a mapping with name, type and product_blocks"}}
	}
	if len(f.Docs) > 1 {
		return nil, Errors{{File: file, Line: docLine(f.Docs[1]), Col: 1, Message: "more than one YAML document: want one"}}
	}
	c := &Config{File: file, positions: map[string]pos{}}
	v, err := c.convert(f.Docs[0].Body, "")
	if err != nil {
		return nil, err
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, Errors{c.errorAt("", "the document is not a mapping: want a mapping with name, type and product_blocks")}
	}
	if errs := c.checkSchema(top); len(errs) > 0 {
		return nil, errs
	}
	c.raw = top
	c.decode(top)
	if errs := c.check(); len(errs) > 0 {
		// The configuration is returned too, so that Resolve can add the problems it finds.
		c.problems = errs
		return c, errs
	}
	return c, nil
}

func docLine(d *ast.DocumentNode) int {
	if d.Body != nil && d.Body.GetToken() != nil {
		return d.Body.GetToken().Position.Line
	}
	return 0
}

// convert turns the YAML tree into JSON-like values (integers as json.Number) and records the position of every
// value, and of every mapping key, by its JSON pointer.
func (c *Config) convert(n ast.Node, ptr string) (any, error) {
	tok := n.GetToken()
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 {
		// A mapping starts at its first key.
		tok = m.Values[0].Key.GetToken()
	} else if m, ok := n.(*ast.MappingValueNode); ok {
		tok = m.Key.GetToken()
	}
	if tok != nil {
		if _, seen := c.positions[ptr]; !seen {
			c.positions[ptr] = pos{tok.Position.Line, tok.Position.Column}
		}
	}
	switch n := n.(type) {
	case *ast.MappingNode:
		return c.mapping(n.Values, ptr)
	case *ast.MappingValueNode:
		return c.mapping([]*ast.MappingValueNode{n}, ptr)
	case *ast.SequenceNode:
		out := make([]any, 0, len(n.Values))
		for i, item := range n.Values {
			v, err := c.convert(item, ptr+"/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case *ast.AnchorNode:
		return c.convert(n.Value, ptr)
	case *ast.TagNode:
		return c.convert(n.Value, ptr)
	case *ast.AliasNode:
		return nil, Errors{c.errorAt(ptr, "YAML aliases are not supported: write the value out")}
	case *ast.NullNode:
		return nil, nil
	case *ast.BoolNode:
		return n.Value, nil
	case *ast.IntegerNode:
		return json.Number(fmt.Sprint(n.Value)), nil
	case *ast.FloatNode:
		return json.Number(strconv.FormatFloat(n.Value, 'g', -1, 64)), nil
	case *ast.StringNode:
		return n.Value, nil
	case *ast.LiteralNode:
		return n.Value.Value, nil
	case *ast.InfinityNode, *ast.NanNode:
		return nil, Errors{c.errorAt(ptr, "infinity and NaN are not valid values")}
	}
	return nil, Errors{c.errorAt(ptr, fmt.Sprintf("unsupported YAML node %s", n.Type()))}
}

func (c *Config) mapping(values []*ast.MappingValueNode, ptr string) (any, error) {
	out := make(map[string]any, len(values))
	for _, kv := range values {
		key := strings.TrimSpace(kv.Key.String())
		if s, ok := kv.Key.(*ast.StringNode); ok {
			key = s.Value
		}
		child := ptr + "/" + key
		if _, dup := out[key]; dup {
			c.positions[child] = pos{kv.Key.GetToken().Position.Line, kv.Key.GetToken().Position.Column}
			return nil, Errors{c.errorAt(child, "duplicate key")}
		}
		// A key's position is where problems with its value are reported.
		c.positions[child] = pos{kv.Key.GetToken().Position.Line, kv.Key.GetToken().Position.Column}
		v, err := c.convert(kv.Value, child)
		if err != nil {
			return nil, err
		}
		out[key] = v
	}
	return out, nil
}

// fieldPath turns a JSON pointer into the YAML path shown to users: product_blocks[0].fields[2].type.
func fieldPath(ptr string) string {
	var b strings.Builder
	for tok := range strings.SplitSeq(strings.TrimPrefix(ptr, "/"), "/") {
		if tok == "" {
			continue
		}
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteString(".")
		}
		b.WriteString(tok)
	}
	return b.String()
}

// errorAt is a problem at the JSON pointer ptr, or at its nearest ancestor with a position.
func (c *Config) errorAt(ptr, msg string) *Error {
	e := &Error{File: c.File, Field: fieldPath(ptr), Message: msg}
	for p := ptr; ; {
		if at, ok := c.positions[p]; ok {
			e.Line, e.Col = at.line, at.col
			break
		}
		i := strings.LastIndex(p, "/")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return e
}

// decode fills the typed configuration from the checked tree.
func (c *Config) decode(top map[string]any) {
	c.Name = str(top["name"])
	c.Type = str(top["type"])
	c.Tag = str(top["tag"])
	c.Description = str(top["description"])
	c.Variable = str(top["variable"])
	if c.Variable == "" {
		c.Variable = CamelToSnake(c.Name)
	}
	if cfg, ok := top["config"].(map[string]any); ok {
		c.SummaryForms, _ = cfg["summary_forms"].(bool)
	}
	for i, v := range list(top["fixed_inputs"]) {
		m := v.(map[string]any)
		c.FixedInputs = append(c.FixedInputs, &FixedInput{
			Name: str(m["name"]), Type: str(m["type"]), EnumType: str(m["enum_type"]), Values: list(m["values"]),
			Description: str(m["description"]), path: "/fixed_inputs/" + strconv.Itoa(i),
		})
	}
	for i, v := range list(top["product_blocks"]) {
		m := v.(map[string]any)
		b := &BlockConfig{
			Name: str(m["name"]), Type: str(m["type"]), Tag: str(m["tag"]), Description: str(m["description"]),
			Variable: str(m["variable"]), BlockName: str(m["block_name"]), path: "/product_blocks/" + strconv.Itoa(i),
		}
		if b.Variable == "" {
			b.Variable = CamelToSnake(b.Name)
		}
		if b.BlockName == "" {
			b.BlockName = b.Type
		}
		for j, fv := range list(m["fields"]) {
			fm := fv.(map[string]any)
			f := &FieldConfig{
				Name: str(fm["name"]), Type: str(fm["type"]), Description: str(fm["description"]),
				Required: str(fm["required"]), EnumType: str(fm["enum_type"]), Values: list(fm["values"]),
				ListType: str(fm["list_type"]), Validations: validations(fm["validations"]),
				path: b.path + "/fields/" + strconv.Itoa(j),
			}
			f.Default, f.HasDefault = fm["default"]
			if f.HasDefault && f.Default == nil {
				f.HasDefault = false
			}
			if mod, ok := fm["modifiable"]; ok {
				f.Modifiable = mod == nil || mod == true
			}
			f.MinItems, f.MaxItems = intPtr(fm["min_items"]), intPtr(fm["max_items"])
			f.MinValue, f.MaxValue = int64Ptr(fm["min_value"]), int64Ptr(fm["max_value"])
			b.Fields = append(b.Fields, f)
		}
		c.Blocks = append(c.Blocks, b)
	}
	for i, v := range list(top["workflows"]) {
		m := v.(map[string]any)
		w := &WorkflowConfig{Name: str(m["name"]), Enabled: true, Validations: validations(m["validations"]), path: "/workflows/" + strconv.Itoa(i)}
		if e, ok := m["enabled"].(bool); ok {
			w.Enabled = e
		}
		c.Workflows = append(c.Workflows, w)
	}
}

func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func validations(v any) []Validation {
	var out []Validation
	for _, item := range list(v) {
		m := item.(map[string]any)
		out = append(out, Validation{ID: str(m["id"]), Description: str(m["description"])})
	}
	return out
}

func intPtr(v any) *int {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	i, err := strconv.Atoi(string(n))
	if err != nil {
		return nil
	}
	return &i
}

func int64Ptr(v any) *int64 {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return nil
	}
	return &i
}

// valueString is a configured scalar as Python's str() writes it (the reference's stored form): True/False for
// booleans.
func valueString(v any) string {
	switch v := v.(type) {
	case bool:
		if v {
			return "True"
		}
		return "False"
	case json.Number:
		return string(v)
	}
	return str(v)
}

// Workflow returns the configuration of the named workflow (create, modify, terminate or validate), merged as the
// reference merges repeated entries: enabled when every entry is, validations from the first. Absent workflows are
// enabled without validations.
func (c *Config) Workflow(name string) WorkflowConfig {
	out := WorkflowConfig{Name: name, Enabled: true}
	first := true
	for _, w := range c.Workflows {
		if w.Name != name {
			continue
		}
		out.Enabled = out.Enabled && w.Enabled
		if first {
			out.Validations = w.Validations
			first = false
		}
	}
	return out
}

// Block returns the block of the configuration with the type, or nil.
func (c *Config) Block(typ string) *BlockConfig {
	i := slices.IndexFunc(c.Blocks, func(b *BlockConfig) bool { return b.Type == typ })
	if i < 0 {
		return nil
	}
	return c.Blocks[i]
}
