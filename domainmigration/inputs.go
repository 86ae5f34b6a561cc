package domainmigration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Inputs are prefilled answers in the shape of the --inputs option: one flat namespace of product, product
// block and resource-type names, each with its values:
//
//	{"<product>": {"description": "...", "tag": "...", "<fixed input>": "<value>"},
//	 "<block>": {"description": "...", "tag": "..."},
//	 "<resource type>": {"description": "...", "<block>": "<default in that block>", "value": "<default>"}}
type Inputs map[string]map[string]string

// ParseInputs reads --inputs. Values are strings; a number is taken as written. The names are checked against
// the model and the database by Check.
func ParseInputs(data string) (Inputs, error) {
	if strings.TrimSpace(data) == "" {
		return Inputs{}, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &raw); err != nil {
		return nil, fmt.Errorf("domainmigration: --inputs is not a JSON object: %w", err)
	}
	in := Inputs{}
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		var inner map[string]json.RawMessage
		if err := json.Unmarshal(raw[key], &inner); err != nil || inner == nil {
			return nil, fmt.Errorf("domainmigration: --inputs %q: want an object of values, got %s", key, kindOf(raw[key]))
		}
		in[key] = map[string]string{}
		for _, k := range slices.Sorted(maps.Keys(inner)) {
			v := inner[k]
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				var n json.Number
				d := json.NewDecoder(bytes.NewReader(v))
				d.UseNumber()
				if d.Decode(&n) != nil {
					return nil, fmt.Errorf("domainmigration: --inputs %q.%q: want a string, got %s", key, k, kindOf(v))
				}
				s = n.String()
			}
			in[key][k] = s
		}
	}
	return in, nil
}

func kindOf(v json.RawMessage) string {
	s := strings.TrimSpace(string(v))
	switch {
	case s == "":
		return "nothing"
	case s[0] == '{':
		return "an object"
	case s[0] == '[':
		return "an array"
	case s[0] == '"':
		return "a string"
	case s == "true" || s == "false":
		return "a boolean"
	case s == "null":
		return "null"
	}
	return "a number"
}

// ParseUpdates reads --updates.
func ParseUpdates(data string) (Updates, error) {
	var u Updates
	if strings.TrimSpace(data) == "" {
		return u, nil
	}
	d := json.NewDecoder(strings.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&u); err != nil {
		return Updates{}, fmt.Errorf("domainmigration: --updates: %w (the shape is {\"fixed_inputs\": {product: {old: new}}, \"resource_types\": {old: new}, \"block_resource_types\": {block: {old: new}}})", err)
	}
	return u, nil
}

// Answer returns the prefilled answer to a question; an empty value counts as none.
func (in Inputs) Answer(q Question) (string, bool) {
	var v string
	switch q.Kind {
	case ProductDescription:
		v = in[q.Product]["description"]
	case ProductTag:
		v = in[q.Product]["tag"]
	case FixedInputValue:
		v = in[q.Product][q.FixedInput]
	case BlockDescription:
		v = in[q.Block]["description"]
	case BlockTag:
		v = in[q.Block]["tag"]
	case ResourceTypeDescription:
		v = in[q.ResourceType]["description"]
	case DefaultValue:
		v = in[q.ResourceType][q.Block]
		if v == "" {
			v = in[q.ResourceType]["value"]
		}
	}
	return v, v != ""
}

// Check refuses inputs and updates that name what neither the model nor the database knows, naming the key.
func Check(m *Model, c *Catalogue, in Inputs, u Updates) error {
	products, blocks, rts := map[string]bool{}, map[string]bool{}, map[string]bool{}
	fixedInputs := map[string]map[string]bool{}
	for name, p := range m.Products {
		products[name] = true
		fixedInputs[name] = map[string]bool{}
		for _, fi := range p.FixedInputs {
			fixedInputs[name][fi] = true
		}
	}
	for name, p := range c.Products {
		products[name] = true
		if fixedInputs[name] == nil {
			fixedInputs[name] = map[string]bool{}
		}
		for fi := range p.FixedInputs {
			fixedInputs[name][fi] = true
		}
	}
	for name, b := range m.Blocks {
		blocks[name] = true
		for _, rt := range b.ResourceTypes {
			rts[rt] = true
		}
	}
	for name := range c.Blocks {
		blocks[name] = true
	}
	maps.Copy(rts, c.ResourceTypes)

	for _, p := range slices.Sorted(maps.Keys(u.FixedInputs)) {
		if !products[p] {
			return fmt.Errorf("domainmigration: --updates fixed_inputs %q: no such product", p)
		}
		for _, old := range slices.Sorted(maps.Keys(u.FixedInputs[p])) {
			if cp := c.Products[p]; cp == nil || !hasKey(cp.FixedInputs, old) {
				return fmt.Errorf("domainmigration: --updates fixed_inputs %q.%q: the product has no such fixed input in the database", p, old)
			}
			if mp := m.Products[p]; mp == nil || !slices.Contains(mp.FixedInputs, u.FixedInputs[p][old]) {
				return fmt.Errorf("domainmigration: --updates fixed_inputs %q.%q: %q is not a fixed input of the registered product", p, old, u.FixedInputs[p][old])
			}
		}
	}
	for _, old := range slices.Sorted(maps.Keys(u.ResourceTypes)) {
		n := u.ResourceTypes[old]
		if !c.ResourceTypes[old] {
			return fmt.Errorf("domainmigration: --updates resource_types %q: no such resource type in the database", old)
		}
		if c.ResourceTypes[n] {
			return fmt.Errorf("domainmigration: --updates resource_types %q: resource type %q exists already (use block_resource_types to move a block to an existing type)", old, n)
		}
		rts[n] = true
	}
	for _, b := range slices.Sorted(maps.Keys(u.BlockResourceTypes)) {
		if !blocks[b] {
			return fmt.Errorf("domainmigration: --updates block_resource_types %q: no such product block", b)
		}
		for _, old := range slices.Sorted(maps.Keys(u.BlockResourceTypes[b])) {
			if !rts[old] {
				return fmt.Errorf("domainmigration: --updates block_resource_types %q.%q: no such resource type", b, old)
			}
			rts[u.BlockResourceTypes[b][old]] = true
		}
	}

	for _, key := range slices.Sorted(maps.Keys(in)) {
		valid := map[string]bool{}
		if products[key] {
			for _, k := range []string{"description", "tag", "product_type", "status"} {
				valid[k] = true
			}
			maps.Copy(valid, fixedInputs[key])
		}
		if blocks[key] {
			valid["description"], valid["tag"] = true, true
		}
		if rts[key] {
			valid["description"], valid["value"] = true, true
			maps.Copy(valid, blocks)
		}
		if len(valid) == 0 {
			return fmt.Errorf("domainmigration: --inputs %q: not a product, product block or resource type of the model or the database", key)
		}
		for _, k := range slices.Sorted(maps.Keys(in[key])) {
			if !valid[k] {
				return fmt.Errorf("domainmigration: --inputs %q.%q: unknown key (valid: %s)", key, k, strings.Join(slices.Sorted(maps.Keys(valid)), ", "))
			}
		}
	}
	return nil
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}
