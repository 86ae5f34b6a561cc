package generator

import (
	"bytes"
	_ "embed"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Schema is the JSON Schema of a product configuration, for editors: with the yaml-language-server a config
// file's first line "# yaml-language-server: $schema=<path to this schema>" gives completion and checks.
//
//go:embed config.schema.json
var Schema []byte

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("config.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("config.schema.json")
})

// checkSchema checks the shape of the configuration against Schema, one problem per offending value.
func (c *Config) checkSchema(top map[string]any) Errors {
	sch, err := compiled()
	if err != nil {
		panic("generator: the embedded schema does not compile: " + err.Error())
	}
	err = sch.Validate(top)
	if err == nil {
		return nil
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return Errors{c.errorAt("", err.Error())}
	}
	p := message.NewPrinter(language.English)
	var errs Errors
	seen := map[string]bool{}
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, cause := range e.Causes {
				walk(cause)
			}
			return
		}
		ptr := ""
		for _, tok := range e.InstanceLocation {
			ptr += "/" + tok
		}
		msg := e.ErrorKind.LocalizedString(p)
		if missing, ok := strings.CutPrefix(msg, "missing property "); ok {
			msg = "missing required key " + strings.ReplaceAll(missing, "'", `"`)
		} else if missing, ok := strings.CutPrefix(msg, "missing properties "); ok {
			msg = "missing required keys " + strings.ReplaceAll(missing, "'", `"`)
		} else if extra, ok := strings.CutPrefix(msg, "additional properties "); ok {
			msg = "unknown key " + strings.ReplaceAll(strings.TrimSuffix(extra, " not allowed"), "'", `"`) + validKeys(e)
		} else if strings.HasPrefix(msg, "value must be one of") && strings.HasSuffix(ptr, "/required") {
			msg += " (or leave it out: optional in every lifecycle)"
		}
		key := ptr + "\x00" + msg
		if !seen[key] {
			seen[key] = true
			errs = append(errs, c.errorAt(ptr, msg))
		}
	}
	walk(verr)
	slices.SortStableFunc(errs, func(a, b *Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return errs
}

// validKeys lists the keys a mapping may have, from the schema that refused an unknown one.
func validKeys(e *jsonschema.ValidationError) string {
	// The schema's location names the definition: #/$defs/field, #/$defs/block, ...
	def := e.SchemaURL
	if i := strings.Index(def, "#/$defs/"); i >= 0 {
		def = strings.SplitN(def[i+len("#/$defs/"):], "/", 2)[0]
	} else {
		def = ""
	}
	keys := map[string]string{
		"":            "name, variable, type, tag, description, config, fixed_inputs, product_blocks, workflows",
		"fixed_input": "name, type, enum_type, values, description, default",
		"block":       "name, type, tag, description, variable, block_name, fields",
		"field":       "name, type, description, required, default, modifiable, validations, enum_type, values, list_type, min_items, max_items, min_value, max_value",
		"validation":  "id, description",
	}
	if k, ok := keys[def]; ok {
		return " (valid: " + k + ")"
	}
	return ""
}
