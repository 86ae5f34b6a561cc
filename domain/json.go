package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/internal/pytext"
)

// MarshalModel returns the JSON that orchestrator-core writes for a subscription model in process state: the
// subscription's fields (product, customer_id, subscription_id, description, status, insync, start_date,
// end_date, note, version), then the product type's fixed inputs and root blocks in declaration order; each
// block as name, subscription_instance_id, owner_subscription_id, label and its own fields in declaration order.
// Keys come in that order, without whitespace; values are typed as the reference types them (integers as
// numbers, booleans as booleans, UUIDs, addresses and prefixes as strings, datetimes as ISO 8601 to the second
// with a numeric offset), an unset value is null and a list an array.
func (r *Registry) MarshalModel(m Model) ([]byte, error) {
	p, ok := r.ProductTypeOf(m)
	if !ok {
		return nil, fmt.Errorf("domain: marshal: %T is not a registered product type", m)
	}
	return p.MarshalModel(m)
}

// MarshalModel is Registry.MarshalModel for a model of this product type.
func (p *ProductType) MarshalModel(m Model) ([]byte, error) {
	v, err := p.checkModel(m)
	if err != nil {
		return nil, err
	}
	w := &jsonWriter{}
	base := m.SubscriptionBase()
	w.raw('{')
	w.key("product")
	w.product(&base.Product)
	w.key("customer_id")
	w.str(base.CustomerID)
	w.key("subscription_id")
	w.str(base.SubscriptionID.String())
	w.key("description")
	w.str(base.Description)
	w.key("status")
	w.str(string(base.Status))
	w.key("insync")
	w.bool(base.Insync)
	w.key("start_date")
	w.time(base.StartDate)
	w.key("end_date")
	w.time(base.EndDate)
	w.key("note")
	w.nullableStr(base.Note)
	w.key("version")
	w.b.WriteString(strconv.Itoa(base.Version))
	w.comma = true
	for _, f := range p.Fields {
		w.key(f.Name)
		w.field(v.Field(f.index), f)
	}
	w.raw('}')
	return w.b.Bytes(), nil
}

type jsonWriter struct {
	b     bytes.Buffer
	comma bool // a value was written in the current object or array
}

func (w *jsonWriter) raw(bs ...byte) {
	for _, c := range bs {
		if c == '{' || c == '[' {
			w.b.WriteByte(c)
			w.comma = false
			continue
		}
		if c == '}' || c == ']' {
			w.comma = true
		}
		w.b.WriteByte(c)
	}
}

// key starts a member of the current object.
func (w *jsonWriter) key(k string) {
	if w.comma {
		w.b.WriteByte(',')
	}
	writeString(&w.b, k)
	w.b.WriteByte(':')
	w.comma = false
}

// elem starts an element of the current array.
func (w *jsonWriter) elem() {
	if w.comma {
		w.b.WriteByte(',')
	}
	w.comma = false
}

func (w *jsonWriter) str(s string) {
	writeString(&w.b, s)
	w.comma = true
}

func (w *jsonWriter) nullableStr(s string) {
	if s == "" {
		w.null()
		return
	}
	w.str(s)
}

func (w *jsonWriter) null() { w.b.WriteString("null"); w.comma = true }

func (w *jsonWriter) bool(b bool) {
	w.b.WriteString(strconv.FormatBool(b))
	w.comma = true
}

func (w *jsonWriter) time(t *time.Time) {
	if t == nil {
		w.null()
		return
	}
	w.str(FormatJSONTime(*t))
}

func (w *jsonWriter) product(p *ProductInfo) {
	w.raw('{')
	w.key("product_id")
	w.str(p.ProductID.String())
	w.key("name")
	w.str(p.Name)
	w.key("description")
	w.str(p.Description)
	w.key("product_type")
	w.str(p.ProductType)
	w.key("tag")
	w.str(p.Tag)
	w.key("status")
	w.str(p.Status)
	w.key("created_at")
	w.time(p.CreatedAt)
	w.key("end_date")
	w.time(p.EndDate)
	w.raw('}')
}

// field writes a field's value: a value, a list, a block, a list of blocks, or null.
func (w *jsonWriter) field(fv reflect.Value, f *Field) {
	switch f.Kind {
	case ResourceListField, BlockListField:
		w.raw('[')
		for i := range fv.Len() {
			w.elem()
			if f.Kind == BlockListField {
				w.block(fv.Index(i), f.Block)
			} else {
				w.value(fv.Index(i), f.Value)
			}
		}
		w.raw(']')
		return
	}
	if f.Optional {
		if fv.IsNil() {
			w.null()
			return
		}
		fv = fv.Elem()
	}
	if f.Kind == BlockField {
		w.block(fv, f.Block)
		return
	}
	w.value(fv, f.Value)
}

func (w *jsonWriter) block(v reflect.Value, bt *BlockType) {
	blk := v.Field(bt.baseIndex).Interface().(Block)
	w.raw('{')
	w.key("name")
	w.str(bt.Name)
	w.key("subscription_instance_id")
	w.str(blk.SubscriptionInstanceID.String())
	w.key("owner_subscription_id")
	w.str(blk.OwnerSubscriptionID.String())
	w.key("label")
	w.nullableStr(blk.Label)
	for _, f := range bt.Fields {
		w.key(f.Name)
		w.field(v.Field(f.index), f)
	}
	w.raw('}')
}

// value writes one resource or fixed-input value as the reference types it.
func (w *jsonWriter) value(v reflect.Value, vt *ValueType) {
	switch vt.Kind {
	case Int:
		w.b.WriteString(vt.Encode(v))
		w.comma = true
	case Bool:
		w.bool(v.Bool())
	case Time:
		// A stored datetime value keeps its offset (the reference reads it back as an aware datetime with it).
		w.str(pytext.ISOSeconds(v.Interface().(time.Time)))
	default:
		w.str(vt.Encode(v))
	}
}

// writeString writes s as a JSON string as the reference's encoder does: only the quote, the backslash and
// control characters are escaped; invalid UTF-8 becomes U+FFFD.
func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b.WriteByte(c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			default:
				fmt.Fprintf(b, `\u%04x`, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\ufffd")
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}

// FormatJSONTime writes a timestamp column's time as the reference's JSON encoder writes a datetime: ISO 8601
// truncated to the second, with a numeric offset, in UTC as the database gives it ("2025-02-01T10:00:05+00:00").
func FormatJSONTime(t time.Time) string { return pytext.ISOSeconds(t.UTC()) }

// UnmarshalModel reads the reference's JSON of a subscription model (as MarshalModel writes it) into a new model
// of the product type registered for its product name. Keys the model does not declare are ignored; a declared
// key that is missing leaves the field at its zero value.
func (r *Registry) UnmarshalModel(data []byte) (Model, error) {
	var head struct {
		Product struct {
			Name string `json:"name"`
		} `json:"product"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("domain: unmarshal: %w", err)
	}
	p, ok := r.Product(head.Product.Name)
	if !ok {
		return nil, fmt.Errorf("domain: unmarshal: product %q is not registered (registered: %s)", head.Product.Name, strings.Join(r.ProductNames(), ", "))
	}
	return p.UnmarshalModel(data)
}

// UnmarshalModel is Registry.UnmarshalModel for this product type.
func (p *ProductType) UnmarshalModel(data []byte) (Model, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("domain: unmarshal %s: %w", p.Name, err)
	}
	var base jsonBase
	if err := json.Unmarshal(data, &base); err != nil {
		return nil, fmt.Errorf("domain: unmarshal %s: %w", p.Name, err)
	}
	sub, err := base.subscription()
	if err != nil {
		return nil, fmt.Errorf("domain: unmarshal %s: %w", p.Name, err)
	}
	v := reflect.New(p.GoType)
	v.Elem().Field(p.baseIndex).Set(reflect.ValueOf(sub))
	for _, f := range p.Fields {
		raw, ok := obj[f.Name]
		if !ok {
			continue
		}
		if err := readField(v.Elem().Field(f.index), f, raw); err != nil {
			return nil, fmt.Errorf("domain: unmarshal %s: %s: %w", p.Name, f.Name, err)
		}
	}
	return v.Interface().(Model), nil
}

// jsonBase is the subscription part of the reference's JSON.
type jsonBase struct {
	Product struct {
		ProductID   uuid.UUID `json:"product_id"`
		Name        string    `json:"name"`
		Description string    `json:"description"`
		ProductType string    `json:"product_type"`
		Tag         string    `json:"tag"`
		Status      string    `json:"status"`
		CreatedAt   *string   `json:"created_at"`
		EndDate     *string   `json:"end_date"`
	} `json:"product"`
	CustomerID     string    `json:"customer_id"`
	SubscriptionID uuid.UUID `json:"subscription_id"`
	Description    string    `json:"description"`
	Status         Lifecycle `json:"status"`
	Insync         bool      `json:"insync"`
	StartDate      *string   `json:"start_date"`
	EndDate        *string   `json:"end_date"`
	Note           *string   `json:"note"`
	Version        int       `json:"version"`
}

func (b *jsonBase) subscription() (Subscription, error) {
	s := Subscription{
		SubscriptionID: b.SubscriptionID, CustomerID: b.CustomerID, Description: b.Description, Status: b.Status,
		Insync: b.Insync, Version: b.Version,
		Product: ProductInfo{ProductID: b.Product.ProductID, Name: b.Product.Name, Description: b.Product.Description,
			ProductType: b.Product.ProductType, Tag: b.Product.Tag, Status: b.Product.Status},
	}
	if b.Note != nil {
		s.Note = *b.Note
	}
	var err error
	for _, t := range []struct {
		dst **time.Time
		src *string
	}{{&s.StartDate, b.StartDate}, {&s.EndDate, b.EndDate}, {&s.Product.CreatedAt, b.Product.CreatedAt}, {&s.Product.EndDate, b.Product.EndDate}} {
		if t.src == nil {
			continue
		}
		var tm time.Time
		if tm, err = ParseTime(*t.src); err != nil {
			return s, err
		}
		*t.dst = &tm
	}
	return s, nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func readField(fv reflect.Value, f *Field, raw json.RawMessage) error {
	switch f.Kind {
	case ResourceListField, BlockListField:
		if isNull(raw) {
			return nil
		}
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return err
		}
		if len(elems) == 0 {
			return nil
		}
		list := reflect.MakeSlice(fv.Type(), len(elems), len(elems))
		for i, e := range elems {
			var err error
			if f.Kind == BlockListField {
				err = readBlock(list.Index(i), f.Block, e)
			} else {
				err = readValue(list.Index(i), f.Value, e)
			}
			if err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		fv.Set(list)
		return nil
	}
	if isNull(raw) {
		if !f.Optional {
			return fmt.Errorf("null for a field that is always set")
		}
		return nil
	}
	target := fv
	if f.Optional {
		target = reflect.New(fv.Type().Elem()).Elem()
	}
	var err error
	if f.Kind == BlockField {
		err = readBlock(target, f.Block, raw)
	} else {
		err = readValue(target, f.Value, raw)
	}
	if err != nil {
		return err
	}
	if f.Optional {
		fv.Set(target.Addr())
	}
	return nil
}

func readBlock(v reflect.Value, bt *BlockType, raw json.RawMessage) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return err
	}
	var head struct {
		Name  string    `json:"name"`
		ID    uuid.UUID `json:"subscription_instance_id"`
		Owner uuid.UUID `json:"owner_subscription_id"`
		Label *string   `json:"label"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return err
	}
	if head.Name != "" && head.Name != bt.Name {
		return fmt.Errorf("block %q where %s is declared", head.Name, bt.Name)
	}
	blk := Block{SubscriptionInstanceID: head.ID, OwnerSubscriptionID: head.Owner}
	if head.Label != nil {
		blk.Label = *head.Label
	}
	v.Field(bt.baseIndex).Set(reflect.ValueOf(blk))
	for _, f := range bt.Fields {
		raw, ok := obj[f.Name]
		if !ok {
			continue
		}
		if err := readField(v.Field(f.index), f, raw); err != nil {
			return fmt.Errorf("%s.%s: %w", bt.Name, f.Name, err)
		}
	}
	return nil
}

// readValue reads one JSON value into v through the value's stored form, so that it is checked as a stored value
// is.
func readValue(v reflect.Value, vt *ValueType, raw json.RawMessage) error {
	var stored string
	switch vt.Kind {
	case Int:
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return fmt.Errorf("want an integer: %w", err)
		}
		stored = n.String()
	case Bool:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return fmt.Errorf("want a boolean: %w", err)
		}
		stored = map[bool]string{true: "True", false: "False"}[b]
	default:
		if err := json.Unmarshal(raw, &stored); err != nil {
			return fmt.Errorf("want a string: %w", err)
		}
	}
	d, err := vt.Decode(stored)
	if err != nil {
		return err
	}
	v.Set(d)
	return nil
}

// UnmarshalJSON reads the subscription's own fields from the reference's JSON of a model. Through the embedded
// Subscription it is what encoding/json calls for a whole model, so the model's fixed inputs and blocks are left
// out: Registry.UnmarshalModel reads a whole model, and the workflow engine loads a model a step takes as input
// from the database by this id, as the reference does.
func (s *Subscription) UnmarshalJSON(data []byte) error {
	var base jsonBase
	if err := json.Unmarshal(data, &base); err != nil {
		return fmt.Errorf("domain: unmarshal subscription: %w", err)
	}
	sub, err := base.subscription()
	if err != nil {
		return fmt.Errorf("domain: unmarshal subscription: %w", err)
	}
	*s = sub
	return nil
}
