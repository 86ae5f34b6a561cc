package generator

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"
)

//go:embed templates
var builtin embed.FS

// File is a file to write: its slash path relative to the working directory and its content.
type File struct {
	Path    string
	Content []byte
	// IfMissing files are written only when no file is at Path (the module's shared files: main.go and the
	// packages' registration lists); they are never overwritten, not even with force.
	IfMissing bool
	// Merge, when set, computes the content from the existing file's (nil when there is none): the
	// translations. It adds what is missing, and changes what is there only with force.
	Merge func(old []byte, force bool) ([]byte, error)
}

// builtinTemplates are parsed once; renders and overlays work on clones.
var builtinTemplates = sync.OnceValues(func() (*template.Template, error) {
	t := template.New("").Funcs(funcs(nil)).Funcs(template.FuncMap{"include": include(nil)})
	return t.ParseFS(builtin, "templates/*.tmpl")
})

// Templates are the generator's templates: the built-in ones, overridden by name by the files of an overlay.
type Templates struct {
	t *template.Template
}

// LoadTemplates returns the built-in templates overridden by the *.tmpl files of overlay (nil for none): any
// template can be replaced, the hooks (additional_*.tmpl) are meant to be.
func LoadTemplates(overlay fs.FS) (*Templates, error) {
	base, err := builtinTemplates()
	if err != nil {
		return nil, fmt.Errorf("generator: built-in templates: %w", err)
	}
	if overlay == nil {
		return &Templates{t: base}, nil
	}
	t, err := base.Clone()
	if err != nil {
		return nil, err
	}
	if overlay != nil {
		names, err := fs.Glob(overlay, "*.tmpl")
		if err != nil {
			return nil, fmt.Errorf("generator: custom templates: %w", err)
		}
		for _, name := range names {
			data, err := fs.ReadFile(overlay, name)
			if err != nil {
				return nil, fmt.Errorf("generator: custom templates: %w", err)
			}
			if t.Lookup(name) == nil {
				return nil, fmt.Errorf("generator: custom template %s replaces no template (known: %s)", name, strings.Join(templateNames(t), ", "))
			}
			if _, err := t.New(name).Parse(string(data)); err != nil {
				return nil, fmt.Errorf("generator: custom template %w", err)
			}
		}
	}
	return &Templates{t: t}, nil
}

func templateNames(t *template.Template) []string {
	var names []string
	for _, x := range t.Templates() {
		if strings.HasSuffix(x.Name(), ".tmpl") {
			names = append(names, x.Name())
		}
	}
	slices.Sort(names)
	return names
}

// importer collects a Go file's imports and names each package once.
type importer struct {
	self   string // the file's own import path
	pkg    string // the file's own package name
	module string
	byPath map[string]string
	byName map[string]string
}

func newImporter(self, pkg, module string) *importer {
	return &importer{self: self, pkg: pkg, module: module, byPath: map[string]string{}, byName: map[string]string{}}
}

// use imports path (a package named pkg) and returns the name to refer to it by.
func (im *importer) use(p, pkg string) string {
	if name, ok := im.byPath[p]; ok {
		return name
	}
	name := pkg
	for i := 0; ; i++ {
		if _, taken := im.byName[name]; !taken && name != im.pkg {
			break
		}
		switch {
		case i == 0 && strings.Contains(p, "/product_blocks/"):
			name = pkg + "block"
		case i == 0 && strings.Contains(p, "/product_types/"):
			name = pkg + "product"
		case i == 0 && strings.Contains(p, "/workflows/"):
			name = pkg + "workflows"
		default:
			name = fmt.Sprintf("%s%d", pkg, i+1)
		}
	}
	im.byPath[p], im.byName[name] = name, p
	return name
}

func (im *importer) qual(t GoType) string {
	if t.Path == "" || t.Path == im.self {
		return t.Name
	}
	return im.use(t.Path, t.Pkg) + "." + t.Name
}

// block writes the import declaration: the standard library, then other modules, then the module's own packages.
func (im *importer) block() string {
	if len(im.byPath) == 0 {
		return ""
	}
	var groups [3][]string
	for p, name := range im.byPath {
		g := 1
		if first, _, _ := strings.Cut(p, "/"); !strings.Contains(first, ".") {
			g = 0
		} else if p == im.module || strings.HasPrefix(p, im.module+"/") {
			g = 2
		}
		spec := strconv.Quote(p)
		if name != path.Base(p) {
			spec = name + " " + spec
		}
		groups[g] = append(groups[g], spec)
	}
	if len(im.byPath) == 1 {
		for _, g := range groups {
			if len(g) == 1 {
				return "import " + g[0] + "\n"
			}
		}
	}
	var b strings.Builder
	b.WriteString("import (\n")
	first := true
	for _, g := range groups {
		if len(g) == 0 {
			continue
		}
		slices.SortFunc(g, func(a, b string) int { return strings.Compare(unaliased(a), unaliased(b)) })
		if !first {
			b.WriteString("\n")
		}
		first = false
		for _, spec := range g {
			b.WriteString("\t" + spec + "\n")
		}
	}
	b.WriteString(")\n")
	return b.String()
}

func unaliased(spec string) string {
	if i := strings.Index(spec, `"`); i >= 0 {
		return spec[i:]
	}
	return spec
}

const importsMarker = "\x00imports\x00"

func funcs(im *importer) template.FuncMap {
	return template.FuncMap{
		"imports": func() string { return importsMarker },
		"use": func(p string) string {
			return im.use(p, path.Base(p))
		},
		"qual":    func(t GoType) string { return im.qual(t) },
		"quote":   strconv.Quote,
		"comment": comment,
		"sentence": func(s string) string {
			s = comment(s)
			if s != "" && !strings.ContainsAny(s[len(s)-1:], ".!?") {
				s += "."
			}
			return s
		},
		"article": func(s string) string {
			if s != "" && strings.ContainsAny(strings.ToLower(s[:1]), "aeiou") {
				return "an " + s
			}
			return "a " + s
		},
		"fieldType": func(f *FieldModel) string {
			t := im.qual(f.Elem)
			switch {
			case f.Kind == KindBlockList || f.Kind == KindValueList:
				return "[]" + t
			case f.Pointer:
				return "*" + t
			}
			return t
		},
		"bounds": func(i *IntModel) string {
			lo, hi := i.MinLiteral(), i.MaxLiteral()
			if i.Min == nil || i.Max == nil {
				im.use("math", "math")
			}
			return lo + ", " + hi
		},
		"join":  strings.Join,
		"camel": GoName,
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
		"formType": func(in *Input, required bool) string {
			t := im.qual(in.Field.Elem)
			if required {
				return t
			}
			return "*" + t
		},
		"formRules": formRules,
		"checkData": func(form string, validations []WorkflowValidation, validators []Validator, allOptional bool) map[string]any {
			return map[string]any{"Form": form, "Validations": validations, "Validators": validators, "AllOptional": allOptional}
		},
		"importLines": func(text string) string {
			for line := range strings.SplitSeq(text, "\n") {
				line = strings.TrimSpace(line)
				if line == "" || strings.HasPrefix(line, "//") {
					continue
				}
				name, p, ok := strings.Cut(line, " ")
				if !ok {
					p, name = line, ""
				}
				p, err := strconv.Unquote(strings.TrimSpace(p))
				if err != nil {
					continue
				}
				if name == "" {
					name = path.Base(p)
				}
				im.use(p, name)
			}
			return ""
		},
		"structTag": structTag,
		"fixedInputValue": func(p *ProductModel, v VariantValue) string {
			for _, fi := range p.FixedInputs {
				if fi.Name == v.Name && fi.Enum != nil {
					return fi.Enum.Member(v.Value).Name
				}
			}
			return strconv.Quote(v.Value)
		},
		"lower":   lowerFirst,
		"title":   PyTitle,
		"add":     func(a, b int) int { return a + b },
		"sql":     sqlString,
		"sqlList": sqlList,
		"resourceNames": func(rs []migrationResource) []string {
			out := make([]string, len(rs))
			for i, r := range rs {
				out[i] = r.Name
			}
			return out
		},
		"workflowNames": func(ws []migrationWorkflow) []string {
			out := make([]string, len(ws))
			for i, w := range ws {
				out[i] = w.Name
			}
			return out
		},
	}
}

// include executes a template by name and returns its text, for the hooks: their output lands inside other
// declarations, on lines of its own (nothing when the hook writes only space).
func include(t *template.Template) func(name string, data any) (string, error) {
	return func(name string, data any) (string, error) {
		var b strings.Builder
		if t == nil {
			return "", nil
		}
		if err := t.ExecuteTemplate(&b, name, data); err != nil {
			return "", err
		}
		out := strings.TrimRight(b.String(), " \t\n")
		if strings.TrimSpace(out) == "" {
			return "", nil
		}
		return "\n" + strings.TrimLeft(out, "\n"), nil
	}
}

// formRules are a form field's validate rules: required, and the bounds of a constrained int.
func formRules(in *Input, required bool) string {
	var rules []string
	if required {
		rules = append(rules, "required")
	}
	if i := in.Field.Int; i != nil {
		if i.Min != nil {
			rules = append(rules, fmt.Sprintf("min=%d", *i.Min))
		}
		if i.Max != nil {
			rules = append(rules, fmt.Sprintf("max=%d", *i.Max))
		}
	}
	return strings.Join(rules, ",")
}

// structTag writes a struct tag of key and value pairs, leaving out empty values: a raw string literal, or an
// interpreted one when a value holds a backquote.
func structTag(pairs ...string) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			parts = append(parts, pairs[i]+":"+strconv.Quote(pairs[i+1]))
		}
	}
	tag := strings.Join(parts, " ")
	if strings.Contains(tag, "`") {
		return strconv.Quote(tag)
	}
	return "`" + tag + "`"
}

// comment makes text fit a // comment: one line, trimmed.
func comment(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// render executes a template for a Go file of package pkg at import path self, then writes its imports and
// formats it.
func (ts *Templates) render(name, self, pkg, module string, data any) ([]byte, error) {
	t, err := ts.t.Clone()
	if err != nil {
		return nil, err
	}
	im := newImporter(self, pkg, module)
	t.Funcs(funcs(im)).Funcs(template.FuncMap{"include": include(t)})
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("generator: %w", err)
	}
	src := strings.Replace(buf.String(), importsMarker, im.block(), 1)
	out, err := format.Source([]byte(src))
	if err != nil {
		return nil, fmt.Errorf("generator: template %s made invalid Go (%w):\n%s", name, err, numbered(src))
	}
	return out, nil
}

// renderText executes a template for a file that is not Go.
func (ts *Templates) renderText(name string, data any) ([]byte, error) {
	t, err := ts.t.Clone()
	if err != nil {
		return nil, err
	}
	t.Funcs(funcs(newImporter("", "", ""))).Funcs(template.FuncMap{"include": include(t)})
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("generator: %w", err)
	}
	return buf.Bytes(), nil
}

func numbered(src string) string {
	var b strings.Builder
	for i, line := range strings.Split(src, "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, line)
	}
	return b.String()
}
