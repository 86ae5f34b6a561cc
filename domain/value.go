package domain

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/internal/pytext"
)

// Kind is the storage kind of a resource type or fixed input value.
type Kind int

// The value kinds. Values are stored as orchestrator-core writes them, Python's str() of the typed value.
const (
	// String is a string or a named string type: stored as is.
	String Kind = iota + 1
	// Int is any signed or unsigned integer type: stored in decimal.
	Int
	// Bool is stored as True or False.
	Bool
	// UUID is github.com/google/uuid.UUID: stored lower-case in canonical form.
	UUID
	// Addr is net/netip.Addr (Python's IPv4Address/IPv6Address): stored as netip formats it.
	Addr
	// Prefix is net/netip.Prefix (Python's IPv4Network/IPv6Network/...Interface): stored with its host bits.
	Prefix
	// Time is time.Time: stored in UTC as YYYY-MM-DD HH:MM:SS[.ffffff]+00:00.
	Time
)

var kindNames = map[Kind]string{String: "string", Int: "int", Bool: "bool", UUID: "uuid", Addr: "ip address", Prefix: "ip prefix", Time: "datetime"}

// String names the kind.
func (k Kind) String() string { return kindNames[k] }

var (
	uuidType   = reflect.TypeFor[uuid.UUID]()
	addrType   = reflect.TypeFor[netip.Addr]()
	prefixType = reflect.TypeFor[netip.Prefix]()
	timeType   = reflect.TypeFor[time.Time]()
)

// ValueType describes the Go type of a resource type or fixed input and how its values are stored.
type ValueType struct {
	// Type is the Go type (without the pointer of an optional field).
	Type reflect.Type
	Kind Kind
	// Enum lists the encoded members of an enum type in declaration order; nil when the type is not an enum.
	// A named string or integer type is an enum when it has a method Values() returning a slice of itself.
	Enum []string
	// Bounded is true for a constrained integer type: a named integer type with a method
	// Bounds() (min, max int64), whose values must lie in [Min, Max].
	Bounded  bool
	Min, Max int64
	// IPVersion restricts an address or prefix to IPv4 (4) or IPv6 (6); 0 allows both. Set by the field tag ip=4.
	IPVersion int
}

// valueType describes t, or returns an error saying why it cannot be stored.
func valueType(t reflect.Type) (*ValueType, error) {
	vt := &ValueType{Type: t}
	switch t {
	case uuidType:
		vt.Kind = UUID
	case addrType:
		vt.Kind = Addr
	case prefixType:
		vt.Kind = Prefix
	case timeType:
		vt.Kind = Time
	default:
		switch t.Kind() {
		case reflect.String:
			vt.Kind = String
		case reflect.Bool:
			vt.Kind = Bool
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			vt.Kind = Int
		default:
			return nil, fmt.Errorf("unsupported type %s (resource types and fixed inputs are string, bool, integer and named types of those, uuid.UUID, netip.Addr, netip.Prefix or time.Time)", t)
		}
	}
	if err := vt.methods(); err != nil {
		return nil, err
	}
	return vt, nil
}

// methods reads the Values and Bounds declarations of a named type.
func (vt *ValueType) methods() error {
	t := vt.Type
	if m, ok := t.MethodByName("Values"); ok {
		if vt.Kind != String && vt.Kind != Int {
			return fmt.Errorf("type %s has a Values method but only string and integer types can be enums", t)
		}
		if m.Type.NumIn() != 1 || m.Type.NumOut() != 1 || m.Type.Out(0) != reflect.SliceOf(t) {
			return fmt.Errorf("type %s: an enum's Values method must be func() []%s", t, t.Name())
		}
		members := m.Func.Call([]reflect.Value{reflect.Zero(t)})[0]
		if members.Len() == 0 {
			return fmt.Errorf("type %s: Values() lists no members", t)
		}
		for i := range members.Len() {
			s := vt.encode(members.Index(i))
			if slices.Contains(vt.Enum, s) {
				return fmt.Errorf("type %s: Values() lists %q twice", t, s)
			}
			vt.Enum = append(vt.Enum, s)
		}
	}
	if m, ok := t.MethodByName("Bounds"); ok {
		i64 := reflect.TypeFor[int64]()
		if vt.Kind != Int {
			return fmt.Errorf("type %s has a Bounds method but only integer types can be constrained", t)
		}
		if m.Type.NumIn() != 1 || m.Type.NumOut() != 2 || m.Type.Out(0) != i64 || m.Type.Out(1) != i64 {
			return fmt.Errorf("type %s: a constrained int's Bounds method must be func() (min, max int64)", t)
		}
		out := m.Func.Call([]reflect.Value{reflect.Zero(t)})
		lo, hi := out[0].Int(), out[1].Int()
		if lo > hi {
			return fmt.Errorf("type %s: Bounds() min %d is greater than max %d", t, lo, hi)
		}
		vt.Bounded, vt.Min, vt.Max = true, lo, hi
	}
	return nil
}

// Encode returns the stored form of v, a value of the type.
func (vt *ValueType) Encode(v reflect.Value) string { return vt.encode(v) }

func (vt *ValueType) encode(v reflect.Value) string {
	switch vt.Kind {
	case String:
		return v.String()
	case Int:
		if v.CanInt() {
			return strconv.FormatInt(v.Int(), 10)
		}
		return strconv.FormatUint(v.Uint(), 10)
	case Bool:
		if v.Bool() {
			return "True"
		}
		return "False"
	case UUID:
		return v.Interface().(uuid.UUID).String()
	case Addr:
		return pytext.Addr(v.Interface().(netip.Addr))
	case Prefix:
		return pytext.Prefix(v.Interface().(netip.Prefix))
	case Time:
		return FormatTime(v.Interface().(time.Time))
	}
	panic("domain: encode of unknown kind")
}

// Decode parses a stored value into a value of the type. It accepts what orchestrator-core writes and checks
// enum membership, bounds and IP version.
func (vt *ValueType) Decode(s string) (reflect.Value, error) {
	v := reflect.New(vt.Type).Elem()
	switch vt.Kind {
	case String:
		v.SetString(s)
	case Int:
		if v.CanInt() {
			n, err := strconv.ParseInt(s, 10, vt.Type.Bits())
			if err != nil {
				return v, fmt.Errorf("%q is not an integer of %d bits", s, vt.Type.Bits())
			}
			v.SetInt(n)
		} else {
			n, err := strconv.ParseUint(s, 10, vt.Type.Bits())
			if err != nil {
				return v, fmt.Errorf("%q is not an unsigned integer of %d bits", s, vt.Type.Bits())
			}
			v.SetUint(n)
		}
	case Bool:
		switch strings.ToLower(s) {
		case "true", "1":
			v.SetBool(true)
		case "false", "0":
		default:
			return v, fmt.Errorf("%q is not a bool (True or False)", s)
		}
	case UUID:
		u, err := uuid.Parse(s)
		if err != nil {
			return v, fmt.Errorf("%q is not a UUID", s)
		}
		v.Set(reflect.ValueOf(u))
	case Addr:
		a, err := netip.ParseAddr(s)
		if err != nil {
			return v, fmt.Errorf("%q is not an IP address", s)
		}
		v.Set(reflect.ValueOf(a))
	case Prefix:
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return v, fmt.Errorf("%q is not an IP prefix", s)
		}
		v.Set(reflect.ValueOf(p))
	case Time:
		t, err := ParseTime(s)
		if err != nil {
			return v, err
		}
		v.Set(reflect.ValueOf(t))
	}
	return v, vt.Check(v)
}

// Check reports whether v is a valid value: an enum member, within bounds, of the right IP version.
func (vt *ValueType) Check(v reflect.Value) error {
	if vt.Enum != nil {
		if s := vt.encode(v); !slices.Contains(vt.Enum, s) {
			return fmt.Errorf("%q is not one of %s", s, strings.Join(vt.Enum, ", "))
		}
	}
	if vt.Bounded {
		var in bool
		if v.CanInt() {
			n := v.Int()
			in = n >= vt.Min && n <= vt.Max
		} else {
			n := v.Uint()
			in = vt.Max >= 0 && n <= uint64(vt.Max) && (vt.Min <= 0 || n >= uint64(vt.Min))
		}
		if !in {
			return fmt.Errorf("%s is out of range [%d, %d]", vt.encode(v), vt.Min, vt.Max)
		}
	}
	if vt.IPVersion != 0 {
		var a netip.Addr
		switch vt.Kind {
		case Addr:
			a = v.Interface().(netip.Addr)
		case Prefix:
			a = v.Interface().(netip.Prefix).Addr()
		}
		if !a.IsValid() {
			return errors.New("no address")
		}
		if (vt.IPVersion == 4) != a.Is4() {
			return fmt.Errorf("%s is not an IPv%d address", a, vt.IPVersion)
		}
	}
	return nil
}

// FormatTime writes a time as Python's str() of an aware datetime, the form the reference stores datetime values
// in: YYYY-MM-DD HH:MM:SS[.ffffff]+HH:MM in the time's own offset (a time in UTC ends +00:00), with microseconds
// only when they are not zero. Nanoseconds are truncated.
func FormatTime(t time.Time) string { return pytext.Time(t) }

// ParseTime reads a datetime as orchestrator-core or PostgreSQL write it: a space or T between date and time,
// optional fractional seconds, an offset (+00:00, Z, +02, +05:30) or none (taken as UTC). The result keeps the
// offset it was written with, as the reference's datetime does; a zero offset is UTC.
func ParseTime(s string) (time.Time, error) {
	if t, ok := pytext.ParseTime(s); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a datetime (YYYY-MM-DD HH:MM:SS[.ffffff]+00:00)", s)
}
