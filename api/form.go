package api

import (
	"encoding/json"

	"github.com/wfo-go/wfo/workflow"
)

// schemaForm is a form that describes itself as a JSON Schema.
type schemaForm interface {
	JSONSchema() (json.RawMessage, error)
}

// emptySchema is the schema of a page with no fields (the reference's implicit empty form).
var emptySchema = json.RawMessage(`{"additionalProperties":false,"properties":{},"title":"unknown","type":"object"}`)

// PageSchema returns the JSON Schema of one form page; a form that cannot describe itself gets the empty page's.
func PageSchema(f workflow.Form) (json.RawMessage, error) {
	if s, ok := f.(schemaForm); ok {
		return s.JSONSchema()
	}
	return emptySchema, nil
}
