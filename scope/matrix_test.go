package scope_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/scope"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite docs/features.md")

const matrixFile = "../docs/features.md"

// TestFeatureMatrix keeps docs/features.md true: the file is generated
// from the registry (routes), the scope tables and, by reflection, the
// methods of each native handle; any change to those that the file does
// not show fails here. Regenerate with:
//
//	go test ./scope -run FeatureMatrix -update
func TestFeatureMatrix(t *testing.T) {
	got := featureMatrix()
	if *update {
		require.NoError(t, os.WriteFile(matrixFile, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(matrixFile)
	require.NoError(t, err, "generate it with: go test ./scope -run FeatureMatrix -update")
	require.Equal(t, string(want), got, "docs/features.md is out of date: go test ./scope -run FeatureMatrix -update")
}

func featureMatrix() string {
	var b strings.Builder
	b.WriteString("# Feature matrix\n\n")
	b.WriteString("Generated from the code by `go test ./scope -run FeatureMatrix -update`;\n")
	b.WriteString("the same test fails when this file and the code disagree.\n\n")
	b.WriteString("## Native kinds\n\n")
	b.WriteString("*get*: read by id (lazy handle); *list*: list (`ids` when the list gives ids,\n")
	b.WriteString("`nested` when it lives under another object); *paging*: how lists page;\n")
	b.WriteString("*operations*: the handle's methods that call the API (taking a context),\n")
	b.WriteString("beyond Load, Reload and Exists.\n\n")
	for _, name := range stratus.Providers() {
		p, _ := stratus.Lookup(name)
		fmt.Fprintf(&b, "### %s\n\n", name)
		b.WriteString("| kind | scope | get | list | paging | operations |\n|---|---|---|---|---|---|\n")
		for _, k := range p.Kinds {
			get, list := "no", "no"
			if k.ItemPath != "" {
				get = "yes"
			}
			switch {
			case k.ListPath != "" && k.IDList:
				list = "ids"
			case k.ListPath != "":
				list = "yes"
			case k.ItemPath == "" || k.IDList:
				list = "nested"
			}
			if k.ItemPath == "" && k.ListPath == "" {
				get = "nested"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", k.Name, k.Scope, get, list, paging(k), strings.Join(operations(k), ", "))
		}
		b.WriteString("\n")
	}
	b.WriteString("## Neutral kinds (scope)\n\n")
	b.WriteString("Which native kinds stand for each neutral kind; `-` answers ErrUnsupported.\n\n")
	provs := stratus.Providers()
	b.WriteString("| scope | kind | " + strings.Join(provs, " | ") + " |\n|---|---|" + strings.Repeat("---|", len(provs)) + "\n")
	for _, sc := range []string{"geography", "infrastructure", "network", "admin"} {
		for _, kind := range scope.Kinds[sc] {
			row := []string{sc, kind}
			for _, pn := range provs {
				row = append(row, sourcesOf(pn, kind))
			}
			b.WriteString("| " + strings.Join(row, " | ") + " |\n")
		}
	}
	return b.String()
}

// sourcesOf names the native kinds that stand for a neutral kind.
func sourcesOf(provider, kind string) string {
	srcs := scope.TableOf(provider)[kind]
	if len(srcs) == 0 {
		return "-"
	}
	var names []string
	for _, s := range srcs {
		names = append(names, s.Kind)
	}
	return strings.Join(names, ", ")
}

func paging(k *stratus.Kind) string {
	t := reflect.TypeOf(k.Pager)
	if t == nil {
		return "-"
	}
	return strings.TrimPrefix(t.String(), "*")
}

var ctxType = reflect.TypeOf((*context.Context)(nil)).Elem()

// operations lists the exported methods of the kind's typed handle whose
// first argument is a context, less those every resource has.
func operations(k *stratus.Kind) []string {
	if k.New == nil {
		return nil
	}
	h := reflect.TypeOf(k.New(stratus.NewResource(nil, k, "")))
	base := reflect.TypeOf(&stratus.Resource{})
	var ops []string
	for i := range h.NumMethod() {
		m := h.Method(i)
		if _, inherited := base.MethodByName(m.Name); inherited {
			continue
		}
		if m.Type.NumIn() > 1 && m.Type.In(1) == ctxType {
			ops = append(ops, m.Name)
		}
	}
	slices.Sort(ops)
	return ops
}
