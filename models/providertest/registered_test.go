package providertest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryProviderHasConformance reads the source of every package under
// models/: one that registers a provider (calls stratus.Register outside
// its tests) must have a TestConformance that calls providertest.Run. The
// source is read rather than the registry because the registry of this
// test binary holds only the providers it imports: a new provider nobody
// imported here would pass unseen.
func TestEveryProviderHasConformance(t *testing.T) {
	dirs, err := os.ReadDir("..")
	require.NoError(t, err)
	providers := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join("..", d.Name())
		registers, conformance := scanPackage(t, dir)
		if !registers {
			continue
		}
		providers++
		assert.True(t, conformance, "models/%s registers a provider but has no func TestConformance(t *testing.T) that calls providertest.Run", d.Name())
	}
	assert.GreaterOrEqual(t, providers, 3, "the providers under models/ were found")
}

// scanPackage reports whether the package in dir calls stratus.Register in
// a non-test file, and whether a test file has a TestConformance calling
// providertest.Run.
func scanPackage(t *testing.T, dir string) (registers, conformance bool) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		test := strings.HasSuffix(name, "_test.go")
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			switch {
			case !test && calls(fn.Body, "stratus", "Register"):
				registers = true
			case test && fn.Recv == nil && fn.Name.Name == "TestConformance" && calls(fn.Body, "providertest", "Run"):
				conformance = true
			}
		}
	}
	return registers, conformance
}

// calls reports whether body calls pkg.name.
func calls(body ast.Node, pkg, name string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == name {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == pkg {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

func TestScanFindsRegistrationAndConformance(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644))
	}
	write("provider.go", "package p\nimport \"github.com/stratus-cloud/stratus\"\nfunc init() { stratus.Register(nil) }\n")
	registers, conformance := scanPackage(t, dir)
	assert.True(t, registers)
	assert.False(t, conformance, "no test file yet")

	write("other_test.go", "package p\nimport \"testing\"\nfunc TestConformance(t *testing.T) {}\n")
	_, conformance = scanPackage(t, dir)
	assert.False(t, conformance, "a TestConformance that does not run the suite")

	write("conformance_test.go", "package p_test\nimport (\"testing\"; \"github.com/stratus-cloud/stratus/models/providertest\")\nfunc TestConformance2(t *testing.T) { providertest.Run(t, providertest.Harness{}) }\n")
	_, conformance = scanPackage(t, dir)
	assert.False(t, conformance, "the suite run under another name")

	require.NoError(t, os.Remove(filepath.Join(dir, "other_test.go")))
	write("conformance_test.go", "package p_test\nimport (\"testing\"; \"github.com/stratus-cloud/stratus/models/providertest\")\nfunc TestConformance(t *testing.T) { providertest.Run(t, providertest.Harness{}) }\n")
	_, conformance = scanPackage(t, dir)
	assert.True(t, conformance)

	write("provider.go", "package p\nfunc init() {}\n")
	registers, _ = scanPackage(t, dir)
	assert.False(t, registers, "a package that registers nothing is no provider")
}
