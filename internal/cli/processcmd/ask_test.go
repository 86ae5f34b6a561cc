package processcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/workflow"
)

// speedForm is a page that describes itself as JSON Schema, as the forms' schemas do.
type speedForm struct{}

func (speedForm) JSONSchema() (json.RawMessage, error) {
	return json.RawMessage(`{"$defs": {"Speed": {"enum": ["1000", "10000"], "title": "Speed", "type": "string"}},
		"additionalProperties": false,
		"properties": {"port_name": {"title": "Port Name", "type": "string"}, "mtu": {"default": 1500, "maximum": 9000, "minimum": 1500, "title": "Mtu", "type": "integer"},
		"speed": {"$ref": "#/$defs/Speed"}, "tags": {"items": {"type": "string"}, "title": "Tags", "type": "array"},
		"note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": null, "title": "Note"}},
		"required": ["port_name", "speed"], "title": "unknown", "type": "object"}`), nil
}

type speedPage struct {
	PortName string   `json:"port_name" validate:"required"`
	MTU      int      `json:"mtu" validate:"min=1500,max=9000"`
	Speed    string   `json:"speed" validate:"required,oneof=1000 10000"`
	Tags     []string `json:"tags"`
	Note     *string  `json:"note"`
}

func (speedForm) Validate(fc *workflow.FormContext, input workflow.State) (workflow.State, error) {
	return workflow.FormFor[speedPage]().Validate(fc, input)
}

func TestAskMissing(t *testing.T) {
	t.Parallel()
	wf := &workflow.Workflow{Name: "task_port", Form: workflow.Forms(workflow.EmptyForm, speedForm{})}
	var out bytes.Buffer
	// The first page is given; on the second, an MTU that is not a number is asked again at once, one out of range
	// is refused by the form and asked again with the rule, and an empty answer keeps the default.
	answers := "eth0\nbig\n99999\n1000\na, b\n\n9000\n"
	env := &base.Env{Stdin: strings.NewReader(answers), Stdout: &out}
	fc := &workflow.FormContext{Context: context.Background(), State: workflow.State{}, Workflow: wf}
	pages, err := askMissing(env, fc, wf, []any{map[string]any{}}, true)
	require.NoError(t, err, out.String())
	require.Equal(t, []any{map[string]any{}, map[string]any{"port_name": "eth0", "mtu": json.Number("9000"), "speed": "1000", "tags": []any{"a", "b"}}}, pages)
	require.Equal(t, "Page 2 of 2\n"+
		"Port Name (string, required): "+
		"Mtu (integer) [1500]:   not an integer\n"+
		"Mtu (integer) [1500]: "+
		"Speed (string, one of 1000, 10000, required): "+
		"Tags (array of string, comma-separated): "+
		"Note (string): "+
		"  invalid mtu: ensure this value is less than or equal to 9000\n"+
		"Mtu (integer) [1500]: ", out.String())

	// Input that ends early is an error, not a question asked for ever.
	env = &base.Env{Stdin: strings.NewReader("eth0\n"), Stdout: &out}
	_, err = askMissing(env, fc, wf, []any{map[string]any{}}, true)
	require.ErrorIs(t, err, errNoInput)
}
