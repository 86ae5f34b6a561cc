package netapp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/workflow"
)

// compile compiles a page schema with a JSON Schema validator that asserts formats, including the reference's
// ipvanyaddress (an IPv4 or IPv6 address).
func compile(t *testing.T, name string, page json.RawMessage) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(page))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "ipvanyaddress", Validate: func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		_, err := netip.ParseAddr(s)
		return err
	}})
	for _, f := range []string{"productId", "customerId"} {
		c.RegisterFormat(&jsonschema.Format{Name: f, Validate: func(any) error { return nil }})
	}
	url := "mem://" + name + ".json"
	require.NoError(t, c.AddResource(url, doc))
	s, err := c.Compile(url)
	require.NoError(t, err, "%s: %s", name, page)
	return s
}

// TestWorkflowFormSchemas: every page of every example workflow's form has a JSON Schema that a JSON Schema
// validator compiles.
func TestWorkflowFormSchemas(t *testing.T) {
	t.Parallel()
	for _, wf := range netapp.Workflows {
		pages, err := workflow.Schemas(wf.InitialForm())
		require.NoError(t, err, wf.Name)
		require.NotEmpty(t, pages)
		for i, page := range pages {
			compile(t, fmt.Sprintf("%s-%d", wf.Name, i), page)
		}
	}
}

// The example forms' fields without their Check methods (Go code a schema does not describe).
type (
	createNodeFields netapp.CreateNodeForm
	modifyNodeFields netapp.ModifyNodeForm
	createPortFields netapp.CreatePortForm
	modifyPortFields netapp.ModifyPortForm
)

// TestSchemaAndGoChecksAgree validates sample inputs with each example form's schema and with the form itself:
// both accept or both refuse each sample.
func TestSchemaAndGoChecksAgree(t *testing.T) {
	t.Parallel()
	node := "7b0a5b1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b"
	cases := []struct {
		name    string
		form    workflow.Form
		samples []string
	}{
		{"create_node", workflow.FormFor[createNodeFields](), []string{
			`{"customer_id":"c","node_name":"ams","ipv4_loopback":"192.0.2.1","ipv6_loopback":"2001:db8::1"}`,
			`{"customer_id":"","node_name":"ams","ipv4_loopback":"192.0.2.1","ipv6_loopback":"2001:db8::1"}`,
			`{"node_name":"ams","ipv4_loopback":"192.0.2.1","ipv6_loopback":"2001:db8::1"}`,
			`{"customer_id":"c","node_name":"` + string(bytes.Repeat([]byte("x"), 64)) + `","ipv4_loopback":"192.0.2.1","ipv6_loopback":"2001:db8::1"}`,
			`{"customer_id":"c","node_name":"ams","ipv4_loopback":"not an address","ipv6_loopback":"2001:db8::1"}`,
			`{"customer_id":"c","node_name":"ams","ipv4_loopback":"192.0.2.1","ipv6_loopback":null}`,
			`{"customer_id":"c","node_name":7,"ipv4_loopback":"192.0.2.1","ipv6_loopback":"2001:db8::1"}`,
		}},
		{"modify_node", workflow.FormFor[modifyNodeFields](), []string{
			`{"node_name":"ams-rt01"}`, `{"node_name":""}`, `{}`, `{"node_name":null}`, `{"node_name":["a"]}`,
		}},
		{"create_port", workflow.FormFor[createPortFields](), []string{
			`{"customer_id":"c","node_subscription_id":"` + node + `","port_name":"xe-0/0/1","port_mode":"tagged","vlans":[1,4094]}`,
			`{"customer_id":"c","node_subscription_id":"` + node + `","port_name":"xe-0/0/1"}`,
			`{"customer_id":"c","node_subscription_id":"` + node + `","port_name":"xe-0/0/1","port_mode":"trunk"}`,
			`{"customer_id":"c","node_subscription_id":"` + node + `","port_name":"xe-0/0/1","vlans":[10,9999]}`,
			`{"customer_id":"c","node_subscription_id":"` + node + `","port_name":"xe-0/0/1","vlans":[0]}`,
			`{"customer_id":"c","node_subscription_id":"` + node + `","port_name":"xe-0/0/1","vlans":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}`,
			`{"customer_id":"c","node_subscription_id":"not-a-uuid","port_name":"xe-0/0/1"}`,
			`{"customer_id":"c","node_subscription_id":"` + node + `","port_name":"xe-0/0/1","vlans":null}`,
		}},
		{"modify_port", workflow.FormFor[modifyPortFields](), []string{
			`{}`, `{"port_mode":null,"vlans":null,"enabled":null}`, `{"port_mode":"untagged","vlans":[30],"enabled":true}`,
			`{"port_mode":"trunk"}`, `{"vlans":[5000]}`, `{"vlans":["x"]}`, `{"enabled":"yes"}`,
		}},
	}
	fc := &workflow.FormContext{Context: context.Background()}
	for _, c := range cases {
		pages, err := workflow.Schemas(c.form)
		require.NoError(t, err)
		require.Len(t, pages, 1)
		schema := compile(t, c.name, pages[0])
		accepted, refused := 0, 0
		for _, sample := range c.samples {
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(sample)))
			require.NoError(t, err)
			schemaErr := schema.Validate(doc)
			input, err := workflow.ParseState([]byte(sample))
			require.NoError(t, err)
			_, goErr := c.form.Validate(fc, input)
			require.Equal(t, schemaErr == nil, goErr == nil, "%s %s: schema says %v, Go says %v\nschema: %s", c.name, sample, schemaErr, goErr, pages[0])
			if goErr == nil {
				accepted++
			} else {
				refused++
			}
		}
		require.Positive(t, accepted, c.name)
		require.Positive(t, refused, c.name)
	}
}
