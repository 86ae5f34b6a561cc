package workflow_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/workflow"
)

type vlan int

func (vlan) Bounds() (lo, hi int64) { return 1, 4094 }

type endpoint struct {
	Name  string `json:"name" validate:"required,max=8"`
	VLAN  vlan   `json:"vlan"`
	Speed *speed `json:"speed"`
}

type circuitForm struct {
	VLANs     []vlan     `json:"vlans" validate:"max=3"`
	Speeds    []speed    `json:"speeds"`
	A         endpoint   `json:"a"`
	Endpoints []endpoint `json:"endpoints" validate:"min=1"`
}

// TestFormChecksInsideListsAndStructs: bounds and enums hold in list elements and nested structs, whose own
// validate tags apply too, each error named by its path.
func TestFormChecksInsideListsAndStructs(t *testing.T) {
	t.Parallel()
	fc := &workflow.FormContext{Context: context.Background()}
	form := workflow.FormFor[circuitForm]()
	require.NoError(t, workflow.CheckForm(form))
	_, err := form.Validate(fc, workflow.State{
		"vlans":     []any{10, 9999},
		"speeds":    []any{1000, 40},
		"a":         map[string]any{"name": "toolongname", "vlan": 0},
		"endpoints": []any{map[string]any{"vlan": 5, "speed": 3}},
	})
	require.EqualError(t, err, "workflow: invalid input: vlans[1]: ensure this value is between 1 and 4094; "+
		"speeds[1]: value is not a valid enumeration member; permitted: '1000', '10000'; "+
		"a.name: ensure this value has at most 8 characters; a.vlan: ensure this value is between 1 and 4094; "+
		"endpoints[0].name: field required; endpoints[0].speed: value is not a valid enumeration member; permitted: '1000', '10000'")

	_, err = form.Validate(fc, workflow.State{"a": map[string]any{"name": "a", "vlan": 1}, "endpoints": []any{map[string]any{"name": "b", "vlan": 2}}})
	require.NoError(t, err)
	_, err = form.Validate(fc, workflow.State{"a": nil, "endpoints": []any{map[string]any{"name": "b", "vlan": 2}}})
	require.EqualError(t, err, "workflow: invalid input: a: none is not an allowed value")
}

type (
	unknownRule struct {
		Name string `json:"name" validate:"required,email"`
	}
	badBound struct {
		Count int `json:"count" validate:"min=ten"`
	}
	boundOnBool struct {
		On bool `json:"on" validate:"max=1"`
	}
	uuidOnInt struct {
		ID int `json:"id" validate:"uuid"`
	}
	emptyOneof struct {
		Mode string `json:"mode" validate:"oneof="`
	}
	minAboveMax struct {
		Name string `json:"name" validate:"min=5,max=2"`
	}
	chanField struct {
		C chan int `json:"c"`
	}
	nestedBad struct {
		Inner unknownRule `json:"inner"`
	}
)

// TestFormRefusedWhenDeclared: a form with a rule or type it cannot check is refused when its workflow is
// registered, naming the form, field and rule; validating never panics.
func TestFormRefusedWhenDeclared(t *testing.T) {
	t.Parallel()
	cases := []struct {
		form workflow.Form
		err  string
	}{
		{workflow.FormFor[unknownRule](), `workflow: form workflow_test.unknownRule field Name: unknown validate rule "email" (known: required, min, max, oneof, uuid)`},
		{workflow.FormFor[badBound](), `workflow: form workflow_test.badBound field Count: validate rule "min=ten": min needs a number (e.g. min=1)`},
		{workflow.FormFor[boundOnBool](), `workflow: form workflow_test.boundOnBool field On: validate rule "max=1" applies to numbers, strings, lists and maps, not bool`},
		{workflow.FormFor[uuidOnInt](), `workflow: form workflow_test.uuidOnInt field ID: validate rule "uuid" applies to strings, not int (a uuid.UUID field is checked by its type)`},
		{workflow.FormFor[emptyOneof](), `workflow: form workflow_test.emptyOneof field Mode: validate rule "oneof=" lists no values (oneof=a b)`},
		{workflow.FormFor[minAboveMax](), `workflow: form workflow_test.minAboveMax field Name: validate rules min=5 and max=2: min is greater than max`},
		{workflow.FormFor[chanField](), `workflow: form workflow_test.chanField field C: type chan int cannot come from JSON input`},
		{workflow.FormFor[nestedBad](), `workflow: form workflow_test.nestedBad field Inner.Name: unknown validate rule "email" (known: required, min, max, oneof, uuid)`},
	}
	for _, c := range cases {
		require.EqualError(t, workflow.CheckForm(c.form), c.err)
		_, err := c.form.Validate(&workflow.FormContext{Context: context.Background()}, workflow.State{})
		require.EqualError(t, err, c.err)
		wf := &workflow.Workflow{Name: "wf", Target: workflow.TargetSystem, Form: workflow.Forms(c.form), Steps: []workflow.Step{workflow.Init, workflow.Done}}
		_, err = workflow.NewRegistry(wf)
		require.EqualError(t, err, "workflow: wf: "+c.err)
	}
	wf := &workflow.Workflow{Name: "wf", Target: workflow.TargetSystem, Steps: []workflow.Step{workflow.Init,
		workflow.NewInputStep[unknownRule]("Ask", workflow.AssigneeSystem), workflow.Done}}
	_, err := workflow.NewRegistry(wf)
	require.ErrorContains(t, err, `step "Ask": workflow: form workflow_test.unknownRule field Name: unknown validate rule "email"`)
}

func TestSchemas(t *testing.T) {
	t.Parallel()
	pages, err := workflow.Schemas(workflow.Forms(workflow.FormFor[circuitForm](), nil, workflow.EmptyForm))
	require.NoError(t, err)
	require.Len(t, pages, 2)
	require.JSONEq(t, `{"$defs":{
		"endpoint":{"properties":{"name":{"maxLength":8,"minLength":1,"title":"Name","type":"string"},"vlan":{"maximum":4094,"minimum":1,"title":"Vlan","type":"integer"},
			"speed":{"anyOf":[{"$ref":"#/$defs/speed"},{"type":"null"}],"default":null,"title":"Speed"}},"required":["name"],"title":"endpoint","type":"object"},
		"speed":{"enum":[1000,10000],"title":"speed","type":"integer"}},
		"additionalProperties":false,"properties":{
		"vlans":{"items":{"maximum":4094,"minimum":1,"type":"integer"},"maxItems":3,"title":"Vlans","type":"array"},
		"speeds":{"items":{"$ref":"#/$defs/speed"},"title":"Speeds","type":"array"},
		"a":{"$ref":"#/$defs/endpoint"},
		"endpoints":{"items":{"$ref":"#/$defs/endpoint"},"minItems":1,"title":"Endpoints","type":"array"}},
		"title":"unknown","type":"object"}`, string(pages[0]))
	require.Contains(t, string(pages[0]), `"properties":{"vlans":`, "properties in field order, other keys sorted")
	require.Equal(t, `{"additionalProperties":false,"properties":{},"title":"unknown","type":"object"}`, string(pages[1]))
	_, err = workflow.Schemas(workflow.FormFor[unknownRule]())
	require.ErrorContains(t, err, "unknown validate rule")
}
