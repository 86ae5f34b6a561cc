package generator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// scalarTypes are the field types that map to a Go type directly.
var scalarTypes = map[string]string{"int": "int", "str": "string", "bool": "bool", "UUID": "uuid.UUID"}

// dottedTypes maps the reference's Python types to Go: the Go type, its import path and the ip= tag option.
var dottedTypes = map[string]struct {
	goType, importPath string
	ip                 int
}{
	"ipaddress.IPv4Address":   {"netip.Addr", "net/netip", 4},
	"ipaddress.IPv6Address":   {"netip.Addr", "net/netip", 6},
	"ipaddress.IPv4Network":   {"netip.Prefix", "net/netip", 4},
	"ipaddress.IPv6Network":   {"netip.Prefix", "net/netip", 6},
	"ipaddress.IPv4Interface": {"netip.Prefix", "net/netip", 4},
	"ipaddress.IPv6Interface": {"netip.Prefix", "net/netip", 6},
	"datetime.datetime":       {"time.Time", "time", 0},
	"uuid.UUID":               {"uuid.UUID", "github.com/google/uuid", 0},
}

func dottedNames() string {
	names := make([]string, 0, len(dottedTypes))
	for n := range dottedTypes {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// check applies the rules the schema cannot express: names that must become Go identifiers, unique names,
// defaults and bounds that fit their field, enum values that fit their enum type.
func (c *Config) check() Errors {
	var errs Errors
	add := func(ptr, format string, args ...any) {
		errs = append(errs, c.errorAt(ptr, fmt.Sprintf(format, args...)))
	}

	variablePtr := "/variable"
	if _, set := c.raw["variable"]; !set {
		variablePtr = "/name"
	}
	if !validPackage(c.Variable) {
		add(variablePtr, "invalid identifier %q: it names folders, a Go package and the workflows; set \"variable\" to lower-case letters, digits and underscores, starting with a letter, not a Go keyword", c.Variable)
	}
	if !typePattern.MatchString(c.Type) {
		add("/type", "invalid identifier %q: the product type becomes a Go type name (letters, digits and underscores, starting with a letter)", c.Type)
	}

	if n := len([]rune(c.Tag)); n > 20 {
		add("/tag", "tag %q has %d characters: products.tag holds at most 20", c.Tag, n)
	}
	names := map[string]string{}
	for _, fi := range c.FixedInputs {
		if !attrPattern.MatchString(fi.Name) {
			add(fi.path+"/name", "invalid identifier %q: want letters, digits and underscores, starting with a letter", fi.Name)
		} else if prev, dup := names[fi.Name]; dup {
			add(fi.path+"/name", "duplicate fixed input name %q (also at %s)", fi.Name, prev)
		}
		names[fi.Name] = fieldPath(fi.path)
		switch {
		case fi.Type == "enum":
			errs = append(errs, c.checkEnum(fi.path, fi.EnumType, fi.Values, EnumTypeName(fi.Name))...)
		case scalarTypes[fi.Type] != "":
			if len(fi.Values) > 0 {
				add(fi.path+"/values", "values are for type enum; make the fixed input an enum or leave values out")
			}
		default:
			add(fi.path+"/type", "unknown fixed input type %q: valid are enum (with enum_type and values), int, str, bool and UUID", fi.Type)
		}
	}

	types := map[string]string{}
	blockNames := map[string]string{}
	variables := map[string]string{}
	for _, b := range c.Blocks {
		bpath := b.path
		if !typePattern.MatchString(b.Type) {
			add(bpath+"/type", "invalid identifier %q: a block type becomes a Go type name (letters, digits and underscores, starting with a letter)", b.Type)
		} else if prev, dup := types[b.Type]; dup {
			add(bpath+"/type", "duplicate block type %q (also at %s)", b.Type, prev)
		}
		types[b.Type] = fieldPath(bpath)
		if prev, dup := blockNames[b.BlockName]; dup && b.BlockName != b.Type {
			add(bpath+"/block_name", "duplicate block name %q (also at %s)", b.BlockName, prev)
		}
		blockNames[b.BlockName] = fieldPath(bpath)
		if n := len([]rune(b.Tag)); n > 20 {
			add(bpath+"/tag", "tag %q has %d characters: product_blocks.tag holds at most 20", b.Tag, n)
		} else if strings.Contains(b.Tag, ",") {
			add(bpath+"/tag", "tag %q: a comma cannot be part of a block's tag", b.Tag)
		}
		if strings.Contains(b.BlockName, ",") {
			add(bpath+"/block_name", "block name %q: a comma cannot be part of a block name", b.BlockName)
		}
		vptr := bpath + "/variable"
		if !c.has(vptr) {
			vptr = bpath + "/name"
		}
		if !validPackage(b.Variable) {
			add(vptr, "invalid identifier %q: a block's variable names its folder and Go package; set \"variable\" to lower-case letters, digits and underscores, starting with a letter, not a Go keyword", b.Variable)
		} else if prev, dup := variables[b.Variable]; dup {
			add(vptr, "two blocks have the variable %q (also %s); set \"variable\" on one of them", b.Variable, prev)
		}
		variables[b.Variable] = fieldPath(bpath)

		fieldNames := map[string]string{}
		goNames := map[string]string{}
		for _, f := range b.Fields {
			errs = append(errs, c.checkField(f, fieldNames, goNames)...)
		}
	}
	return errs
}

func (c *Config) has(ptr string) bool {
	_, ok := c.positions[ptr]
	return ok
}

func (c *Config) checkField(f *FieldConfig, names, goNames map[string]string) Errors {
	var errs Errors
	add := func(ptr, format string, args ...any) {
		errs = append(errs, c.errorAt(ptr, fmt.Sprintf(format, args...)))
	}
	p := f.path
	if !attrPattern.MatchString(f.Name) {
		add(p+"/name", "invalid identifier %q: a field name is a resource type and a Go field; want letters, digits and underscores, starting with a letter", f.Name)
	} else {
		if prev, dup := names[f.Name]; dup {
			add(p+"/name", "duplicate field name %q (also at %s)", f.Name, prev)
		} else if prev, dup := goNames[GoName(f.Name)]; dup {
			add(p+"/name", "field name %q gives the Go name %s, as %s does; rename one", f.Name, GoName(f.Name), prev)
		}
		names[f.Name] = fieldPath(p)
		goNames[GoName(f.Name)] = fmt.Sprintf("%q", f.Name)
	}
	if f.Type == "enum" {
		errs = append(errs, c.checkEnum(p, f.EnumType, f.Values, EnumTypeName(f.Name))...)
	} else if len(f.Values) > 0 || f.EnumType != "" {
		key := "values"
		if f.EnumType != "" {
			key = "enum_type"
		}
		add(p+"/"+key, "%s is for type enum; make the field an enum or leave %s out", key, key)
	}
	if f.Type != "list" {
		for _, key := range []string{"list_type", "min_items", "max_items"} {
			if c.has(p + "/" + key) {
				add(p+"/"+key, "%s is for type list; make the field a list or leave %s out", key, key)
			}
		}
	}
	if f.MinValue != nil || f.MaxValue != nil {
		if f.Type != "int" {
			key := "min_value"
			if f.MinValue == nil {
				key = "max_value"
			}
			add(p+"/"+key, "%s is for type int (a constrained integer); the field's type is %q", key, f.Type)
		} else if f.MinValue != nil && f.MaxValue != nil && *f.MinValue > *f.MaxValue {
			add(p+"/min_value", "min_value %d > max_value %d: want min_value <= max_value", *f.MinValue, *f.MaxValue)
		}
	}
	if f.MinItems != nil && f.MaxItems != nil && *f.MinItems > *f.MaxItems {
		add(p+"/min_items", "min_items %d > max_items %d: want min_items <= max_items", *f.MinItems, *f.MaxItems)
	}
	if f.Type == "list" {
		if f.ListType == "list" || f.ListType == "enum" {
			add(p+"/list_type", "list_type %q is not supported: valid are int, str, bool, UUID, a dotted type (%s) or a block type", f.ListType, dottedNames())
		}
		if c.has(p + "/default") {
			add(p+"/default", "a list has no default: leave default out (min_items sets how many elements a new subscription gets)")
		}
	}
	if (f.Required == "inactive" || f.Required == "initial") && !f.HasDefault && (scalarTypes[f.Type] != "" || f.Type == "enum" || dottedTypes[f.Type].goType != "") {
		add(p+"/required", "required: %s requires a default: the field is set from the moment a subscription exists; add default, or make it required from provisioning or active", f.Required)
	}
	if f.HasDefault {
		if msg := checkDefault(f); msg != "" {
			add(p+"/default", "%s", msg)
		}
	}
	return errs
}

// checkEnum checks an enum's values against its enum type and that each gives its own Go constant.
func (c *Config) checkEnum(p, enumType string, values []any, typeName string) Errors {
	var errs Errors
	members := map[string]string{}
	for i, v := range values {
		vp := p + "/values/" + strconv.Itoa(i)
		_, isNum := v.(json.Number)
		if enumType == "int" {
			if !isNum || strings.ContainsAny(string(v.(json.Number)), ".eE") {
				errs = append(errs, c.errorAt(vp, fmt.Sprintf("value %v is not an integer: enum_type int wants integer values", v)))
				continue
			}
		}
		s := valueString(v)
		m := enumMember(typeName, s)
		if m == "" {
			errs = append(errs, c.errorAt(vp, fmt.Sprintf("value %q has no letter or digit to make a Go constant from: want at least one ASCII letter or digit", s)))
			continue
		}
		if prev, dup := members[m]; dup {
			if prev == s {
				errs = append(errs, c.errorAt(vp, fmt.Sprintf("duplicate value %q", s)))
			} else {
				errs = append(errs, c.errorAt(vp, fmt.Sprintf("values %q and %q both become the Go constant %s: make them differ in letters or digits", prev, s, m)))
			}
			continue
		}
		members[m] = s
	}
	return errs
}

// checkDefault checks a default against the field's type; it returns what is wrong or "".
func checkDefault(f *FieldConfig) string {
	d := f.Default
	switch f.Type {
	case "int":
		n, ok := d.(json.Number)
		i, err := strconv.ParseInt(string(n), 10, 64)
		if !ok || err != nil {
			return fmt.Sprintf("default %v is not an integer (the field's type is int)", valueString(d))
		}
		if f.MinValue != nil && i < *f.MinValue || f.MaxValue != nil && i > *f.MaxValue {
			return fmt.Sprintf("default %d is outside the field's bounds %s", i, boundsText(f.MinValue, f.MaxValue))
		}
	case "bool":
		if _, ok := d.(bool); !ok {
			return fmt.Sprintf("default %v is not a boolean: want true or false", valueString(d))
		}
	case "str":
		if _, ok := d.(string); !ok {
			return fmt.Sprintf("default %v is not a string: quote it", valueString(d))
		}
		if strings.Contains(d.(string), ",") {
			return fmt.Sprintf("default %q: a comma cannot be part of a default (the struct tag separates options with commas)", d)
		}
	case "enum":
		s := valueString(d)
		for _, v := range f.Values {
			if valueString(v) == s {
				return ""
			}
		}
		valid := make([]string, len(f.Values))
		for i, v := range f.Values {
			valid[i] = valueString(v)
		}
		return fmt.Sprintf("default %s is not one of the values (valid: %s)", s, strings.Join(valid, ", "))
	default:
		if scalarTypes[f.Type] == "" && dottedTypes[f.Type].goType == "" {
			return "a default is for a single value (int, str, bool, UUID, enum or a dotted value type): leave it out"
		}
	}
	return ""
}

func boundsText(lo, hi *int64) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("%d..%d", *lo, *hi)
	case lo != nil:
		return fmt.Sprintf(">= %d", *lo)
	case hi != nil:
		return fmt.Sprintf("<= %d", *hi)
	}
	return ""
}
