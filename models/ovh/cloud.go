package ovh

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
)

// ProjectHandle is a lazy Public Cloud project (/cloud/project/{id}).
type ProjectHandle struct{ *stratus.Resource }

var _ stratus.Object = (*ProjectHandle)(nil)

// Project returns a handle for the project id (32 hex digits). No request
// is sent.
func Project(c *stratus.Client, id string) *ProjectHandle {
	return &ProjectHandle{stratus.NewResource(c, projectKind, id)}
}

func wrapProject(r *stratus.Resource) *ProjectHandle { return &ProjectHandle{r} }

// ProjectList is the collection of the account's Public Cloud projects.
type ProjectList struct {
	stratus.Refinements[*ProjectHandle, ProjectList]
}

func projectList(col stratus.Collection[*ProjectHandle]) ProjectList {
	return ProjectList{stratus.Refine(col, projectList)}
}

// Projects lists the account's Public Cloud projects.
func Projects(c *stratus.Client) ProjectList {
	return projectList(stratus.NewCollection(c, projectKind, wrapProject))
}

// NoBulk lists ids and loads each project on its own.
func (l ProjectList) NoBulk() ProjectList { return l.With(noBulk(l.Collection)) }

// ID returns the project id (no load needed).
func (p *ProjectHandle) ID() string { return p.Resource.ID() }

// Name returns the project's name (projectName).
func (p *ProjectHandle) Name() string { return p.GetString("projectName") }

// Description returns the project's description.
func (p *ProjectHandle) Description() string { return p.GetString("description") }

// Status returns creating, ok, suspended, deleting or deleted.
func (p *ProjectHandle) Status() string { return p.GetString("status") }

// PlanCode returns the project's plan.
func (p *ProjectHandle) PlanCode() string { return p.GetString("planCode") }

// CreationDate returns when the project was created.
func (p *ProjectHandle) CreationDate() time.Time { return p.GetTime("creationDate") }

// Expiration returns when the project expires (zero if it does not).
func (p *ProjectHandle) Expiration() time.Time { return p.GetTime("expiration") }

// Access returns full or restricted.
func (p *ProjectHandle) Access() string { return p.GetString("access") }

func (p *ProjectHandle) instancesPath() string {
	return joinPath("/cloud/project", p.ID(), "instance")
}

// Instances lists the project's instances. The API answers whole objects:
// name, status, region, addresses and the ids of flavor and image are read
// with no further request; the flavor and image details load the instance.
func (p *ProjectHandle) Instances() InstanceList {
	base := p.instancesPath()
	col := stratus.NewCollection(p.Client(), instanceKind, wrapInstance).At(base).ItemsAt(base + "/{id}")
	return instanceList(col)
}

// Instance returns a handle for instance id of the project. No request is
// sent.
func (p *ProjectHandle) Instance(id string) *InstanceHandle {
	return Instance(p.Client(), p.ID(), id)
}

// CreateInstance creates an instance in the project.
func (p *ProjectHandle) CreateInstance(ctx context.Context, spec InstanceSpec) (*InstanceHandle, error) {
	return CreateInstance(ctx, p.Client(), p.ID(), spec)
}

// InstanceList is the collection of a project's instances.
type InstanceList struct {
	stratus.Refinements[*InstanceHandle, InstanceList]
}

func instanceList(col stratus.Collection[*InstanceHandle]) InstanceList {
	return InstanceList{stratus.Refine(col, instanceList)}
}

// Region keeps the instances of one region (GRA11, SBG5, ...).
func (l InstanceList) Region(region string) InstanceList {
	return l.Filter("region", region)
}

// The instance states the waiters and actions deal with (the API has
// more: BUILDING, RESCUE, SHELVED, ...).
const (
	InstanceActive     = "ACTIVE"
	InstanceBuild      = "BUILD"
	InstanceShutoff    = "SHUTOFF"
	InstanceReboot     = "REBOOT"
	InstanceHardReboot = "HARD_REBOOT"
	InstanceDeleting   = "DELETING"
	InstanceDeleted    = "DELETED"
	InstanceError      = "ERROR"
)

// InstanceHandle is a lazy Public Cloud instance
// (/cloud/project/{project}/instance/{id}).
type InstanceHandle struct{ *stratus.Resource }

var _ stratus.Object = (*InstanceHandle)(nil)

func instancePath(projectID, id string) string {
	return joinPath("/cloud/project", projectID, "instance", id)
}

// Instance returns a handle for instance id of project projectID. No
// request is sent.
func Instance(c *stratus.Client, projectID, id string) *InstanceHandle {
	return &InstanceHandle{stratus.NewResourceAt(c, instanceKind, id, instancePath(projectID, id))}
}

func wrapInstance(r *stratus.Resource) *InstanceHandle { return &InstanceHandle{r} }

// ID returns the instance id.
func (i *InstanceHandle) ID() string { return i.Resource.ID() }

// ProjectID returns the id of the instance's project, from its path (no
// load needed).
func (i *InstanceHandle) ProjectID() string { return segment(i.Path(), "/cloud/project", 0) }

// Project returns the instance's project (no request).
func (i *InstanceHandle) Project() *ProjectHandle { return Project(i.Client(), i.ProjectID()) }

// Name returns the instance's name.
func (i *InstanceHandle) Name() string { return i.GetString("name") }

// Status returns ACTIVE, BUILD, SHUTOFF, ... (InstanceActive, ...).
func (i *InstanceHandle) Status() string { return i.GetString("status") }

// Region returns the region (GRA11, SBG5, ...).
func (i *InstanceHandle) Region() string { return i.GetString("region") }

// idOf reads an id that the list gives as xxxId and the item answer as
// xxx.id, without loading the item when the list's field is there.
func (i *InstanceHandle) idOf(name string) string {
	if v := i.Peek(name + "Id"); v.Exists() {
		return v.String()
	}
	if v := i.Peek(name + ".id"); v.Exists() {
		return v.String()
	}
	if v := i.Get(name + "Id"); v.Exists() {
		return v.String()
	}
	return i.GetString(name + ".id")
}

// FlavorID returns the id of the instance's flavor.
func (i *InstanceHandle) FlavorID() string { return i.idOf("flavor") }

// ImageID returns the id of the image the instance was built from.
func (i *InstanceHandle) ImageID() string { return i.idOf("image") }

// SSHKeyID returns the id of the SSH key installed at creation ("" if
// none).
func (i *InstanceHandle) SSHKeyID() string { return i.idOf("sshKey") }

// Created returns when the instance was created.
func (i *InstanceHandle) Created() time.Time { return i.GetTime("created") }

// PlanCode returns the instance's plan (s1-2.monthly.postpaid, ...).
func (i *InstanceHandle) PlanCode() string { return i.GetString("planCode") }

// MonthlyBilling reports whether the instance is billed monthly.
func (i *InstanceHandle) MonthlyBilling() bool { return i.Get("monthlyBilling").IsObject() }

// IPAddress is one address of an instance.
type IPAddress struct {
	IP        string
	Type      string // public or private
	Version   int    // 4 or 6
	NetworkID string
	GatewayIP string
}

// IPAddresses returns the instance's addresses, in the API's order.
func (i *InstanceHandle) IPAddresses() []IPAddress {
	var out []IPAddress
	i.Get("ipAddresses").ForEach(func(_, v gjson.Result) bool {
		out = append(out, IPAddress{IP: v.Get("ip").String(), Type: v.Get("type").String(), Version: int(v.Get("version").Int()),
			NetworkID: v.Get("networkId").String(), GatewayIP: v.Get("gatewayIp").String()})
		return true
	})
	return out
}

func (i *InstanceHandle) address(typ string, version int) string {
	for _, a := range i.IPAddresses() {
		if a.Type == typ && a.Version == version {
			return a.IP
		}
	}
	return ""
}

// PublicIPv4 returns the first public IPv4 address, or "".
func (i *InstanceHandle) PublicIPv4() string { return i.address("public", 4) }

// PublicIPv6 returns the first public IPv6 address, or "".
func (i *InstanceHandle) PublicIPv6() string { return i.address("public", 6) }

// PrivateIPv4 returns the first private IPv4 address, or "".
func (i *InstanceHandle) PrivateIPv4() string { return i.address("private", 4) }

// Flavor describes an instance's hardware.
type Flavor struct {
	ID     string
	Name   string // b2-7, s1-2, ...
	VCPUs  int
	RAM    int // MB
	Disk   int // GB
	Region string
}

// Flavor returns the instance's flavor. The list does not carry it: the
// first call loads the instance (once).
func (i *InstanceHandle) Flavor() Flavor {
	v := i.Get("flavor")
	if !v.IsObject() {
		return Flavor{ID: i.FlavorID()}
	}
	return Flavor{ID: v.Get("id").String(), Name: v.Get("name").String(), VCPUs: int(v.Get("vcpus").Int()),
		RAM: int(v.Get("ram").Int()), Disk: int(v.Get("disk").Int()), Region: v.Get("region").String()}
}

// ImageName returns the name of the instance's image ("Debian 12", ...).
// The list does not carry it: the first call loads the instance (once).
func (i *InstanceHandle) ImageName() string { return i.GetString("image.name") }

func (i *InstanceHandle) action(ctx context.Context, name string, body any) error {
	_, err := write(ctx, i.Resource, http.MethodPost, i.Path()+"/"+name, body)
	return err
}

// Start powers a stopped instance on (it becomes ACTIVE).
func (i *InstanceHandle) Start(ctx context.Context) error { return i.action(ctx, "start", nil) }

// Stop powers the instance off (it becomes SHUTOFF).
func (i *InstanceHandle) Stop(ctx context.Context) error { return i.action(ctx, "stop", nil) }

// Reboot restarts the instance: a soft reboot asks the OS, a hard one
// resets the machine.
func (i *InstanceHandle) Reboot(ctx context.Context, hard bool) error {
	typ := "soft"
	if hard {
		typ = "hard"
	}
	return i.action(ctx, "reboot", map[string]string{"type": typ})
}

// Rename changes the instance's name, then reloads the handle.
func (i *InstanceHandle) Rename(ctx context.Context, name string) error {
	if strings.TrimSpace(name) == "" {
		err := invalid(i.Client(), "PUT /cloud/project/{project}/instance/{id}", "name is required")
		i.SetError(err)
		return err
	}
	return update(ctx, i.Resource, i.Path(), map[string]string{"instanceName": name})
}

// Delete destroys the instance. The handle forgets its data: Exists asks
// the API again.
func (i *InstanceHandle) Delete(ctx context.Context) error { return remove(ctx, i.Resource) }

// InstanceSpec is a new instance. Name, FlavorID and Region are required;
// without ImageID the API picks the region's default image.
type InstanceSpec struct {
	Name           string `json:"name"`
	FlavorID       string `json:"flavorId"`
	ImageID        string `json:"imageId,omitempty"`
	Region         string `json:"region"`
	SSHKeyID       string `json:"sshKeyId,omitempty"`
	UserData       string `json:"userData,omitempty"` // a cloud-init script
	MonthlyBilling bool   `json:"monthlyBilling,omitempty"`
}

func (s InstanceSpec) check(c *stratus.Client, op string) error {
	switch {
	case strings.TrimSpace(s.Name) == "":
		return invalid(c, op, "Name is required")
	case s.FlavorID == "":
		return invalid(c, op, "FlavorID is required")
	case s.Region == "":
		return invalid(c, op, "Region is required")
	}
	return nil
}

// CreateInstance creates an instance in project projectID and returns it
// filled from the answer (status BUILD); WaitInstances waits for ACTIVE.
// The request is never sent twice: if the answer is lost, the error says
// so and the instance may exist.
func CreateInstance(ctx context.Context, c *stratus.Client, projectID string, spec InstanceSpec) (*InstanceHandle, error) {
	const op = "POST /cloud/project/{project}/instance"
	if projectID == "" {
		return nil, invalid(c, op, "project id is required")
	}
	if err := spec.check(c, op); err != nil {
		return nil, err
	}
	res, err := c.DoJSON(ctx, http.MethodPost, joinPath("/cloud/project", projectID, "instance"), nil, spec)
	if err != nil {
		return nil, err
	}
	id := res.Get("id").String()
	if !res.IsObject() || id == "" {
		return nil, malformed(op, "the new instance")
	}
	return &InstanceHandle{stratus.HydrateAt(c, instanceKind, res, instancePath(projectID, id))}, nil
}
