package generator

import (
	"go/token"
	"regexp"
	"strings"
	"unicode"
)

var (
	snakeFirst  = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	snakeSecond = regexp.MustCompile(`([a-z0-9])([A-Z])`)
)

// CamelToSnake derives a variable from a name as the reference does: "_" before a capital that starts a lower-case
// run, then "_" between a lower-case letter or digit and a capital, then lower case. Spaces are kept.
func CamelToSnake(s string) string {
	s = snakeFirst.ReplaceAllString(s, "${1}_${2}")
	return strings.ToLower(snakeSecond.ReplaceAllString(s, "${1}_${2}"))
}

// PyTitle is Python's str.title: a letter that follows a non-letter is upper-cased, every other letter lower-cased.
func PyTitle(s string) string {
	var b strings.Builder
	prevLetter := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if prevLetter {
				r = unicode.ToLower(r)
			} else {
				r = unicode.ToUpper(r)
			}
			prevLetter = true
		} else {
			prevLetter = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// EnumTypeName is the name of an enum's type: the field name title-cased (as Python's title), underscores
// removed ("example_str_enum_1" gives ExampleStrEnum1).
func EnumTypeName(field string) string { return strings.ReplaceAll(PyTitle(field), "_", "") }

// SnakeToCamel title-cases each "_"-separated part and joins them ("annotated_int" gives AnnotatedInt).
func SnakeToCamel(s string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(s, "_") {
		b.WriteString(PyTitle(part))
	}
	return b.String()
}

// initialisms are written in capitals in Go names, as Go's own code does.
var initialisms = map[string]string{
	"id": "ID", "ip": "IP", "ipv4": "IPv4", "ipv6": "IPv6", "uuid": "UUID", "url": "URL", "uri": "URI",
	"api": "API", "json": "JSON", "http": "HTTP", "https": "HTTPS", "sql": "SQL", "dns": "DNS", "tcp": "TCP",
	"udp": "UDP", "vlan": "VLAN", "vlans": "VLANs", "mtu": "MTU", "asn": "ASN", "bgp": "BGP", "ims": "IMS",
	"nso": "NSO", "crm": "CRM", "lag": "LAG", "oss": "OSS", "bss": "BSS",
}

// GoName is the exported Go name of a snake_case attribute: each part capitalised, known initialisms in capitals
// ("ipv4_loopback" gives IPv4Loopback, "node_id" gives NodeID, "type" gives Type).
func GoName(attr string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(attr, "_") {
		if part == "" {
			continue
		}
		if up, ok := initialisms[strings.ToLower(part)]; ok {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// lowerFirst is a Go name made unexported.
func lowerFirst(s string) string {
	for up, lower := range map[string]string{"ID": "id", "IP": "ip", "IPv4": "ipv4", "IPv6": "ipv6", "UUID": "uuid"} {
		if strings.HasPrefix(s, up) && (len(s) == len(up) || unicode.IsUpper(rune(s[len(up)]))) {
			return lower + s[len(up):]
		}
	}
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// exportType makes a type name from a config's type ("node" gives Node, "Example1" stays).
func exportType(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var (
	packagePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	typePattern    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	attrPattern    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
)

// validPackage reports whether s can name a folder and Go package.
func validPackage(s string) bool { return packagePattern.MatchString(s) && !token.IsKeyword(s) }

// enumMember is the Go constant name of an enum value: the type name, then the value's letters and digits with
// each word capitalised; a value that starts with a digit is set off by "_" (Speed_10GLR, ModulationDP16QAM).
func enumMember(typeName string, value string) string {
	var b strings.Builder
	upNext := true
	for _, r := range value {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if upNext {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upNext = unicode.IsDigit(r)
		default:
			upNext = true
		}
	}
	s := b.String()
	if s == "" {
		return ""
	}
	if unicode.IsDigit(rune(s[0])) {
		return typeName + "_" + s
	}
	return typeName + s
}
