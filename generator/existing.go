package generator

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Module is the Go module code is generated into.
type Module struct {
	// Dir is the module's root directory (where go.mod is).
	Dir string
	// Path is the module path from go.mod.
	Path string
	// Work is the working directory, inside Dir: generated paths are relative to it.
	Work string
}

// FindModule finds the module that contains dir by looking for go.mod in dir and its parents.
func FindModule(dir string) (Module, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Module{}, fmt.Errorf("generator: %w", err)
	}
	for d := abs; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			p := modulePath(data)
			if p == "" {
				return Module{}, fmt.Errorf("generator: %s has no module line", filepath.Join(d, "go.mod"))
			}
			return Module{Dir: d, Path: p, Work: abs}, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return Module{}, fmt.Errorf("generator: %w", err)
		}
		if filepath.Dir(d) == d {
			return Module{}, fmt.Errorf("generator: no go.mod found in %s or above: generate into a Go module (go mod init <path>)", abs)
		}
	}
}

// ExistingBlock is a product block declared in the module's Go code.
type ExistingBlock struct {
	// Type is the block's type in configurations: the Go type's name without the Block suffix.
	Type string
	// GoType is the struct's name, Package its package name and ImportPath its package's import path.
	GoType, Package, ImportPath string
	// BlockName is product_blocks.name, from the struct's domain.Block tag.
	BlockName string
}

// ExistingBlocks finds the product blocks declared under dir (a module's products/product_blocks, which may be
// missing): struct types named <T>Block that embed domain.Block. The code is parsed, not compiled or run.
func ExistingBlocks(mod Module, dir string) (map[string]*ExistingBlock, error) {
	out := map[string]*ExistingBlock{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		return scanBlocks(mod, p, out)
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("generator: reading existing blocks: %w", err)
	}
	return out, nil
}

func scanBlocks(mod Module, file string, out map[string]*ExistingBlock) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return fmt.Errorf("parsing %s: %w", file, err)
	}
	domainName := ""
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "github.com/wfo-go/wfo/domain" {
			domainName = "domain"
			if imp.Name != nil {
				domainName = imp.Name.Name
			}
		}
	}
	if domainName == "" {
		return nil
	}
	rel, err := filepath.Rel(mod.Dir, filepath.Dir(file))
	if err != nil {
		return err
	}
	importPath := path.Join(mod.Path, filepath.ToSlash(rel))
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			if !ok || !strings.HasSuffix(ts.Name.Name, "Block") || !ts.Name.IsExported() {
				continue
			}
			for _, field := range st.Fields.List {
				sel, ok := field.Type.(*ast.SelectorExpr)
				if len(field.Names) > 0 || !ok || sel.Sel.Name != "Block" {
					continue
				}
				if x, ok := sel.X.(*ast.Ident); !ok || x.Name != domainName {
					continue
				}
				typ := strings.TrimSuffix(ts.Name.Name, "Block")
				name := typ
				if field.Tag != nil {
					tag, _ := strconv.Unquote(field.Tag.Value)
					if n, _, _ := strings.Cut(reflect.StructTag(tag).Get("wfo"), ","); n != "" {
						name = n
					}
				}
				out[typ] = &ExistingBlock{Type: typ, GoType: ts.Name.Name, Package: f.Name.Name, ImportPath: importPath, BlockName: name}
			}
		}
	}
	return nil
}

// sortedTypes lists the existing blocks' types, for messages.
func sortedTypes(m map[string]*ExistingBlock) []string {
	out := make([]string, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// modulePath reads the module path from go.mod's module line.
func modulePath(gomod []byte) string {
	for line := range strings.SplitSeq(string(gomod), "\n") {
		line, _, _ = strings.Cut(line, "//")
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t' || rest[0] == '"') {
			rest = strings.TrimSpace(rest)
			if s, err := strconv.Unquote(rest); err == nil {
				return s
			}
			return rest
		}
	}
	return ""
}
