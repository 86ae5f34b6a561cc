package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/subscription"
)

// baseKeys are the keys of a subscription dump that the domain-model body writes in its own header.
var baseKeys = map[string]bool{"product": true, "customer_id": true, "subscription_id": true, "description": true, "status": true,
	"insync": true, "start_date": true, "end_date": true, "note": true, "version": true}

// DomainModel returns a subscription's domain model as the reference's domain-model route shows it: the
// subscription's columns and product first (times as Unix seconds), then the model's own fields (fixed inputs and
// blocks) in the reference's JSON of the model (domain.Registry.MarshalModel).
func DomainModel(ctx context.Context, subs *subscription.Store, id uuid.UUID) (json.RawMessage, error) {
	rows, err := subs.Rows(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("api: subscription %s: %w", id, subscription.ErrNotFound)
	}
	r := rows[0]
	m, err := subs.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	dump, err := subs.Registry().MarshalModel(m)
	if err != nil {
		return nil, fmt.Errorf("api: encoding subscription %s: %w", id, err)
	}
	keys, vals, err := objectEntries(dump)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	field := func(k string, v any) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(v)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('{')
	field("subscription_id", r.SubscriptionID)
	field("start_date", epochPtr(r.StartDate))
	field("description", r.Description)
	field("status", r.Status)
	field("product_id", nil)
	field("customer_id", r.CustomerID)
	field("insync", r.Insync)
	field("note", r.Note)
	field("name", nil)
	field("end_date", epochPtr(r.EndDate))
	field("product", productOf(r.Product))
	field("customer_descriptions", []any{})
	field("tag", nil)
	field("version", r.Version)
	for i, k := range keys {
		if !baseKeys[k] {
			field(k, vals[i])
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ObjectKeys returns the keys of a JSON object in their order.
func ObjectKeys(obj []byte) ([]string, error) {
	keys, _, err := objectEntries(obj)
	return keys, err
}

// objectEntries returns the keys of a JSON object in order, with their values.
func objectEntries(obj []byte) ([]string, []json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, fmt.Errorf("api: a subscription model must encode to a JSON object")
	}
	var keys []string
	var vals []json.RawMessage
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		keys = append(keys, t.(string))
		vals = append(vals, v)
	}
	return keys, vals, nil
}
