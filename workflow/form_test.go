package workflow_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/workflow"
)

type speed int

func (speed) Values() []speed { return []speed{1000, 10000} }

type base struct {
	Customer string `json:"customer_id" validate:"required,uuid"`
}

type portForm struct {
	base
	Name    string    `json:"name" validate:"required,min=3,max=8"`
	Speed   speed     `json:"speed" validate:"required"`
	VLANs   []int     `json:"vlans" validate:"max=2"`
	MTU     *int      `json:"mtu" validate:"min=1500,max=9000"`
	Mode    string    `json:"mode" validate:"oneof=tagged untagged"`
	Node    uuid.UUID `json:"node_id"`
	Enabled bool      `json:"enabled"`
	Ignored string    `json:"-"`
}

func TestFormReportsEveryInvalidField(t *testing.T) {
	t.Parallel()
	form := workflow.FormFor[portForm]()
	fc := &workflow.FormContext{Context: context.Background()}
	cases := []struct {
		name   string
		input  workflow.State
		fields []string
		msg    string
	}{
		{"empty", workflow.State{}, []string{"customer_id", "name", "speed"},
			"workflow: invalid input: customer_id: field required; name: field required; speed: field required"},
		{"bounds and types", workflow.State{
			"customer_id": "not-a-uuid", "name": "ab", "speed": 5, "vlans": []any{1, 2, 3}, "mtu": 100,
			"mode": "trunk", "node_id": "x", "enabled": "maybe",
		}, []string{"customer_id", "name", "speed", "vlans", "mtu", "mode", "node_id", "enabled"},
			"workflow: invalid input: customer_id: value is not a valid uuid; name: ensure this value has at least 3 characters; " +
				"speed: value is not a valid enumeration member; permitted: '1000', '10000'; vlans: ensure this value has at most 2 items; " +
				"mtu: ensure this value is greater than or equal to 1500; mode: value is not a valid enumeration member; permitted: 'tagged', 'untagged'; " +
				"node_id: value is not a valid uuid; enabled: value could not be parsed to a boolean"},
		{"null is missing", workflow.State{"customer_id": nil, "name": "toolongname", "speed": "fast"}, []string{"customer_id", "name", "speed"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := form.Validate(fc, tc.input)
			require.ErrorIs(t, err, workflow.ErrInvalidInput)
			var fe workflow.FieldErrors
			require.ErrorAs(t, err, &fe)
			require.Equal(t, tc.fields, fe.Fields())
			if tc.msg != "" {
				require.EqualError(t, err, tc.msg)
			}
		})
	}

	out, err := form.Validate(fc, workflow.State{"customer_id": uuid.NewString(), "name": "port1", "speed": 1000, "extra": "ignored"})
	require.NoError(t, err)
	require.Equal(t, "port1", out["name"])
	require.NotContains(t, out, "extra")
	require.Contains(t, out, "mtu") // optional fields are output as null
	require.Nil(t, out["mtu"])
}

type pairForm struct {
	Low  int `json:"low"`
	High int `json:"high"`
}

func (f pairForm) Check(fc *workflow.FormContext) error {
	if f.Low > f.High {
		return workflow.FieldErrors{{Field: "high", Message: "must not be lower than low"}}
	}
	if f.High == 99 {
		return errors.New("99 is reserved")
	}
	return nil
}

func TestFormChecker(t *testing.T) {
	t.Parallel()
	form := workflow.FormFor[pairForm]()
	fc := &workflow.FormContext{Context: context.Background()}
	_, err := form.Validate(fc, workflow.State{"low": 5, "high": 1})
	require.EqualError(t, err, "workflow: invalid input: high: must not be lower than low")
	_, err = form.Validate(fc, workflow.State{"high": 99})
	require.EqualError(t, err, "workflow: invalid input: 99 is reserved")
	// Field errors come first; the check runs only on valid fields.
	_, err = form.Validate(fc, workflow.State{"low": "x", "high": 1})
	require.EqualError(t, err, "workflow: invalid input: low: value is not a valid integer")

	// Combined forms report the fields of all.
	both := workflow.Forms(form, workflow.FormFor[struct {
		Name string `json:"name" validate:"required"`
	}]())
	_, err = both.Validate(fc, workflow.State{"low": 2, "high": 1})
	var fe workflow.FieldErrors
	require.ErrorAs(t, err, &fe)
	require.Equal(t, []string{"high", "name"}, fe.Fields())
	out, err := both.Validate(fc, workflow.State{"low": 1, "high": 2, "name": "n"})
	require.NoError(t, err)
	require.Equal(t, workflow.State{"low": jsonNumber("1"), "high": jsonNumber("2"), "name": "n"}, out)

	v, err := workflow.Decode[pairForm](fc, workflow.State{"low": 1, "high": 3})
	require.NoError(t, err)
	require.Equal(t, pairForm{Low: 1, High: 3}, v)
}

func TestEmptyFormAcceptsAnything(t *testing.T) {
	t.Parallel()
	out, err := workflow.EmptyForm.Validate(&workflow.FormContext{}, workflow.State{"a": 1})
	require.NoError(t, err)
	require.Empty(t, out)
}

func TestMergePages(t *testing.T) {
	t.Parallel()
	st, err := workflow.MergePages(map[string]any{"a": 1, "b": 1}, struct {
		B int `json:"b"`
	}{B: 2}, nil)
	require.NoError(t, err)
	require.Equal(t, "2", st["b"].(interface{ String() string }).String())
	_, err = workflow.MergePages([]int{1})
	require.EqualError(t, err, "workflow: input page 1: workflow: []int encodes to [1], not a JSON object")
}
