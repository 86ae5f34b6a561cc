package workflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
)

// State is the JSON object a process carries from step to step. Numbers are kept as json.Number, so integers of
// any size survive the round trip through the database unchanged.
type State map[string]any

// Clone returns a deep copy of s.
func (s State) Clone() State {
	if s == nil {
		return State{}
	}
	out := make(State, len(s))
	for k, v := range s {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case State:
		return v.Clone()
	case map[string]any:
		return map[string]any(State(v).Clone())
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = cloneValue(e)
		}
		return out
	}
	return v
}

// Merge returns a copy of s with the keys of other set on it (a shallow merge: a key of other replaces the whole
// value), as the reference merges a step's result into the state.
func (s State) Merge(other State) State {
	out := make(State, len(s)+len(other))
	maps.Copy(out, s)
	maps.Copy(out, other)
	return out
}

// DeepMerge returns a copy of s with other merged into it recursively: objects are merged key by key, anything
// else in other replaces the value in s. Resuming a suspended process merges the user's input this way.
func (s State) DeepMerge(other State) State {
	out := s.Clone()
	for k, v := range other {
		if om, ok := asObject(v); ok {
			if sm, ok := asObject(out[k]); ok {
				out[k] = map[string]any(sm.DeepMerge(om))
				continue
			}
		}
		out[k] = cloneValue(v)
	}
	return out
}

func asObject(v any) (State, bool) {
	switch v := v.(type) {
	case State:
		return v, true
	case map[string]any:
		return State(v), true
	}
	return nil, false
}

// String returns the state as JSON, for messages.
func (s State) String() string {
	b, err := s.JSON()
	if err != nil {
		return fmt.Sprintf("%v", map[string]any(s))
	}
	return string(b)
}

// JSON encodes the state (keys sorted, as encoding/json writes maps).
func (s State) JSON() ([]byte, error) {
	if s == nil {
		return []byte("{}"), nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any(s)); err != nil {
		return nil, fmt.Errorf("workflow: encoding the state: %w", err)
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// ParseState decodes a JSON object into a State, keeping numbers as json.Number.
func ParseState(data []byte) (State, error) {
	s := State{}
	if len(bytes.TrimSpace(data)) == 0 {
		return s, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("workflow: the state is not a JSON object: %w", err)
	}
	if s == nil {
		s = State{}
	}
	return s, nil
}

// StateOf converts a value to a State through its JSON encoding, so that it holds what the database would give
// back: a struct gives its JSON fields, a map its entries with values as JSON decodes them. A value that does not
// encode to a JSON object (or null, which gives an empty State) is an error.
func StateOf(v any) (State, error) {
	if v == nil {
		return State{}, nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("workflow: encoding %T: %w", v, err)
	}
	data := bytes.TrimSpace(b.Bytes())
	if string(data) == "null" {
		return State{}, nil
	}
	if len(data) == 0 || data[0] != '{' {
		return nil, fmt.Errorf("workflow: %T encodes to %s, not a JSON object", v, truncate(string(data), 60))
	}
	return ParseState(data)
}

// Decode fills dst (a pointer to a struct or map) from the state through its JSON encoding: struct fields take
// the values of the keys their json tags name, as the reference injects state keys into step parameters.
func (s State) Decode(dst any) error {
	data, err := s.JSON()
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, dst); err != nil {
		return fmt.Errorf("workflow: decoding the state into %T: %w", dst, err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
