// Package generator writes a working Go application from a product's YAML configuration, as orchestrator-core's
// generate commands do for Python: the product blocks and the product type (package domain), the create, modify,
// terminate and validate workflows (packages workflow and wrapper) with their forms, their tests (package
// workflowtest) and the data revision that adds the product to the catalogue.
//
// The configuration is checked completely before anything is generated (ReadConfig and Resolve). Generating is a
// pure function from the resolved Model and options to Files; Write applies them with the dry-run and force rules.
package generator

import (
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// Options are the choices that shape the generated code.
type Options struct {
	// TDD makes the placeholders fail on purpose: the validate workflow's checks return their error and the
	// tests of the validations expect the validation to refuse the input. Without it the checks pass and those
	// tests are skipped with a TODO.
	TDD bool
	// Templates overlays the built-in templates (the --custom-templates folder); nil for none.
	Templates fs.FS
}

// Generator renders the files of one configuration.
type Generator struct {
	m    *Model
	opts Options
	t    *Templates
}

// New returns a generator for a resolved configuration.
func New(m *Model, opts Options) (*Generator, error) {
	t, err := LoadTemplates(opts.Templates)
	if err != nil {
		return nil, err
	}
	return &Generator{m: m, opts: opts, t: t}, nil
}

// file is the path, relative to the working directory, of a file in a folder given relative to the module root.
func (g *Generator) file(dir, name string) string {
	mod := g.m.Module
	abs := filepath.Join(mod.Dir, filepath.FromSlash(dir), name)
	if mod.Work == "" {
		return filepath.ToSlash(filepath.Join(filepath.FromSlash(dir), name))
	}
	rel, err := filepath.Rel(mod.Work, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

type blockData struct {
	Model *Model
	Block *BlockModel
}

// ProductBlocks returns one file per block of the configuration, in dependency order.
func (g *Generator) ProductBlocks() ([]File, error) {
	var files []File
	for _, b := range g.m.Blocks {
		out, err := g.t.render("product_block.go.tmpl", b.ImportPath, b.Package, g.m.Module.Path, blockData{g.m, b})
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: g.file(b.Dir, b.Package+".go"), Content: out})
	}
	return files, nil
}

type productData struct {
	Model        *Model
	Product      *ProductModel
	RootType     GoType
	ProductType  GoType
	ProductNames GoType
}

// Product returns the product type's file, its registration in package products and, when missing, package
// products itself, package workflows and the module's main.go.
func (g *Generator) Product() ([]File, error) {
	m, p := g.m, g.m.Product
	d := productData{
		Model: m, Product: p,
		RootType:     GoType{Path: m.Root.ImportPath, Pkg: m.Root.Package, Name: m.Root.GoType},
		ProductType:  GoType{Path: p.ImportPath, Pkg: p.Package, Name: p.GoType},
		ProductNames: GoType{Path: p.ImportPath, Pkg: p.Package, Name: "Products"},
	}
	typeFile, err := g.t.render("product_type.go.tmpl", p.ImportPath, p.Package, m.Module.Path, d)
	if err != nil {
		return nil, err
	}
	productsDir := m.dir("products")
	reg, err := g.t.render("products_register.go.tmpl", m.importPath(productsDir), "products", m.Module.Path, d)
	if err != nil {
		return nil, err
	}
	files := []File{
		{Path: g.file(p.Dir, p.Package+".go"), Content: typeFile},
		{Path: g.file(productsDir, p.Package+".go"), Content: reg},
	}
	shared, err := g.shared()
	if err != nil {
		return nil, err
	}
	return append(files, shared...), nil
}

type mainData struct {
	Name      string
	Products  GoType
	Workflows GoType
}

// shared are the files every product's files rely on, written once: package products' and package workflows'
// lists and the module's main.go.
func (g *Generator) shared() ([]File, error) {
	m := g.m
	productsDir, workflowsDir := m.dir("products"), m.dir("workflows")
	products, err := g.t.render("products.go.tmpl", m.importPath(productsDir), "products", m.Module.Path, nil)
	if err != nil {
		return nil, err
	}
	workflows, err := g.t.render("workflows.go.tmpl", m.importPath(workflowsDir), "workflows", m.Module.Path, nil)
	if err != nil {
		return nil, err
	}
	main, err := g.t.render("main.go.tmpl", m.Module.Path, "main", m.Module.Path, mainData{
		Name:      path.Base(m.Module.Path),
		Products:  GoType{Path: m.importPath(productsDir), Pkg: "products", Name: "Registry"},
		Workflows: GoType{Path: m.importPath(workflowsDir), Pkg: "workflows", Name: "All"},
	})
	if err != nil {
		return nil, err
	}
	return []File{
		{Path: g.file(productsDir, "products.go"), Content: products, IfMissing: true},
		{Path: g.file(workflowsDir, "workflows.go"), Content: workflows, IfMissing: true},
		{Path: g.rootFile("main.go"), Content: main, IfMissing: true},
	}, nil
}

// rootFile is a file at the module's root.
func (g *Generator) rootFile(name string) string { return g.file(".", name) }

func errorf(format string, args ...any) error { return fmt.Errorf("generator: "+format, args...) }

// Load reads the configuration at configPath and resolves it for command in the module that contains workDir,
// with files going under workDir/prefix. Existing blocks are read from that folder's products/product_blocks.
func Load(configPath, workDir, prefix, command string) (*Model, error) {
	cfg, err := ReadConfig(configPath)
	if cfg == nil {
		return nil, err
	}
	mod, err := FindModule(workDir)
	if err != nil {
		return nil, err
	}
	abs := filepath.Join(mod.Work, filepath.FromSlash(prefix))
	base, err := filepath.Rel(mod.Dir, abs)
	if err != nil || strings.HasPrefix(filepath.ToSlash(base), "../") || base == ".." {
		return nil, errorf("folder %s is outside the module at %s", abs, mod.Dir)
	}
	existing, err := ExistingBlocks(mod, filepath.Join(abs, "products", "product_blocks"))
	if err != nil {
		return nil, err
	}
	return Resolve(cfg, mod, filepath.ToSlash(base), existing, command)
}
