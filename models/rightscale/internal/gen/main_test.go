package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedCodeIsCurrent regenerates both files from the committed
// metadata in memory and fails when a committed file differs: run
// go generate ./models/rightscale after changing the metadata or the
// generator.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	root, err := filepath.Abs("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	meta, err := os.ReadFile(filepath.Join(root, metaFile))
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(meta)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Fatalf("generated %d files, want 2", len(files))
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./models/rightscale", name)
		}
	}
}

// TestGeneratedFromMetadata checks facts of the metadata in the output,
// so that a generator that writes nothing cannot pass.
func TestGeneratedFromMetadata(t *testing.T) {
	root, _ := filepath.Abs("../../../..")
	meta, err := os.ReadFile(filepath.Join(root, metaFile))
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(meta)
	if err != nil {
		t.Fatal(err)
	}
	table, model := string(files[tableFile]), string(files[modelFile])
	for _, want := range []string{
		`{"POST", "/api/clouds/:cloud_id/instances/:id/run_executable"}`,
		`Name: "run_executable", Status: 202`,
		`ContentType: "application/vnd.rightscale.instance;type=collection"`,
		`{"name", true}`,
		`Views: []string{"default", "extended", "full", "full_inputs_2_0", "tiny", "sensitive"}`,
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %s", want)
		}
	}
	for _, want := range []string{
		"func (h *ServerHandle) CurrentInstance() *InstanceHandle",
		"func (h *CloudHandle) Instances() *List[*InstanceHandle]",
		"func (h *InstanceHandle) RunExecutable(ctx context.Context, params Params) (*Result, error)",
		"func (h *ServerHandle) Launch(",
		"func (h *RightScriptHandle) Revision() int",
		"func (h *InstanceHandle) CreatedAt() time.Time",
		"func TagsByTag(ctx context.Context, c *stratus.Client, params Params) (*Result, error)",
		"func InstancesMultiTerminate(",
	} {
		if !strings.Contains(model, want) {
			t.Errorf("model lacks %s", want)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"ip_address_bindings": "IPAddressBindings", "os_platform": "OSPlatform", "right_script": "RightScript", "resource_uid": "ResourceUID"} {
		if got := camel(in); got != want {
			t.Errorf("camel(%q) = %q, want %q", in, got, want)
		}
	}
	if got := snake("IpAddressBindings"); got != "ip_address_bindings" {
		t.Errorf("snake: %q", got)
	}
	if got := norm("/api/clouds/:cloud_id/instances/:id"); got != "/api/clouds/:/instances/:" {
		t.Errorf("norm: %q", got)
	}
}
