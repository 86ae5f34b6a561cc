package api

import (
	"encoding/json"
	"fmt"

	"github.com/wfo-go/wfo/workflow"
)

// schemaForm is a form page that describes itself as one JSON Schema.
type schemaForm interface {
	JSONSchema() (json.RawMessage, error)
}

// emptySchema is the schema of a page with no fields (the reference's implicit empty form).
var emptySchema = json.RawMessage(`{"additionalProperties":false,"properties":{},"title":"unknown","type":"object"}`)

// PageSchema returns the JSON Schema of one form page (one of workflow.Pages): the page's own description
// (workflow.Describer, as the forms of FormFor and the wrapper's pages are, or a JSONSchema method); a form that
// cannot describe itself gets the empty page's.
func PageSchema(f workflow.Form) (json.RawMessage, error) {
	switch s := f.(type) {
	case schemaForm:
		return s.JSONSchema()
	case workflow.Describer:
		pages, err := s.Schemas()
		if err != nil {
			return nil, err
		}
		if len(pages) != 1 {
			return nil, fmt.Errorf("api: a form page described itself as %d pages", len(pages))
		}
		return pages[0], nil
	}
	return emptySchema, nil
}
