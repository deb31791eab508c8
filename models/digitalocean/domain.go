package digitalocean

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// DomainHandle is a lazy DNS zone managed by DigitalOcean.
type DomainHandle struct{ *stratus.Resource }

var _ stratus.Object = (*DomainHandle)(nil)

// Domain returns a handle for the zone name ("example.com"). No request
// is sent.
func Domain(c *stratus.Client, name string) *DomainHandle {
	return &DomainHandle{stratus.NewResource(c, domainKind, name)}
}

func wrapDomain(r *stratus.Resource) *DomainHandle { return &DomainHandle{r} }

// Domains lists the account's zones.
func Domains(c *stratus.Client) stratus.Collection[*DomainHandle] {
	return stratus.NewCollection(c, domainKind, wrapDomain)
}

// Name returns the zone's name (no load needed).
func (d *DomainHandle) Name() string { return d.Resource.ID() }

// TTL returns the zone's default TTL in seconds.
func (d *DomainHandle) TTL() int { return d.GetInt("ttl") }

// ZoneFile returns the zone in BIND format. The create answer carries no
// zone file yet: Reload a new domain to read it.
func (d *DomainHandle) ZoneFile() string { return d.GetString("zone_file") }

// CreateDomain adds a zone. ipAddress is optional: when set, the API also
// creates an A record for the apex pointing at it.
func CreateDomain(ctx context.Context, c *stratus.Client, name, ipAddress string) (*DomainHandle, error) {
	const op = "POST /v2/domains"
	if strings.TrimSpace(name) == "" {
		return nil, withProvider(stratus.Invalid(c, op, "name is required"))
	}
	if ipAddress != "" && net.ParseIP(ipAddress) == nil {
		return nil, withProvider(stratus.Invalid(c, op, "ip address %q is not an IP address", ipAddress))
	}
	req := struct {
		Name      string `json:"name"`
		IPAddress string `json:"ip_address,omitempty"`
	}{name, ipAddress}
	body, err := c.DoJSON(ctx, http.MethodPost, domainKind.ListPath, nil, req)
	if err != nil {
		return nil, err
	}
	obj := body.Get(domainKind.ItemKey)
	if !obj.IsObject() {
		return nil, malformed(op, domainKind.ItemKey)
	}
	return &DomainHandle{stratus.Hydrate(c, domainKind, obj, false)}, nil
}

// Delete removes the zone and all its records.
func (d *DomainHandle) Delete(ctx context.Context) error {
	_, err := d.Client().Do(ctx, http.MethodDelete, d.path(), nil, nil)
	d.SetError(err)
	return err
}

func (d *DomainHandle) path() string { return transport.PathJoin("/v2/domains", d.Name()) }

func (d *DomainHandle) recordsPath() string {
	return transport.PathJoin("/v2/domains", d.Name(), "records")
}

func recordPath(domain string, id string) string {
	return transport.PathJoin("/v2/domains", domain, "records", id)
}

// DomainRecordHandle is a lazy DNS record of a zone.
type DomainRecordHandle struct{ *stratus.Resource }

var _ stratus.Object = (*DomainRecordHandle)(nil)

// DomainRecordList is the collection of a zone's records, with the API's
// filters.
type DomainRecordList struct {
	stratus.Refinements[*DomainRecordHandle, DomainRecordList]
}

func recordList(col stratus.Collection[*DomainRecordHandle]) DomainRecordList {
	return DomainRecordList{stratus.Refine(col, recordList)}
}

// Records lists the zone's records (SOA and NS included).
func (d *DomainHandle) Records() DomainRecordList {
	c, name := d.Client(), d.Name()
	// Record items have no item path of their own: give each one its path
	// under this zone, so that Reload, Update and Delete work on it.
	wrap := func(r *stratus.Resource) *DomainRecordHandle {
		obj := gjson.Parse(r.JSON())
		return &DomainRecordHandle{stratus.HydrateAt(c, recordKind, obj, recordPath(name, obj.Get("id").String()))}
	}
	return recordList(stratus.NewCollection(c, recordKind, wrap).At(d.recordsPath()))
}

// Type keeps the records of one type ("A", "MX"...).
func (l DomainRecordList) Type(t string) DomainRecordList {
	return l.Filter("type", t)
}

// Named keeps the records whose fully qualified name is fqdn
// ("www.example.com"; the API filters on the FQDN, not on "www").
func (l DomainRecordList) Named(fqdn string) DomainRecordList {
	return l.Filter("name", fqdn)
}

// Record returns a handle for record id of the zone. No request is sent.
func (d *DomainHandle) Record(id int) *DomainRecordHandle {
	sid := strconv.Itoa(id)
	return &DomainRecordHandle{stratus.NewResourceAt(d.Client(), recordKind, sid, recordPath(d.Name(), sid))}
}

// RecordCreate is a new DNS record. Type, Name and Data are required; the
// numbers are pointers because 0 is a valid priority, weight or flag and
// differs from "not sent". Use Int to fill them.
type RecordCreate struct {
	Type     string `json:"type"`               // A, AAAA, CAA, CNAME, MX, NS, SRV, TXT
	Name     string `json:"name"`               // "@" for the apex, else relative to the zone
	Data     string `json:"data"`               // address, host name, text...
	Priority *int   `json:"priority,omitempty"` // MX, SRV
	Port     *int   `json:"port,omitempty"`     // SRV
	TTL      *int   `json:"ttl,omitempty"`      // seconds; absent: the zone's default
	Weight   *int   `json:"weight,omitempty"`   // SRV
	Flags    *int   `json:"flags,omitempty"`    // CAA
	Tag      string `json:"tag,omitempty"`      // CAA: issue, issuewild, iodef
}

// Int returns a pointer to n, for the optional numbers of RecordCreate and
// RecordUpdate.
func Int(n int) *int { return &n }

func (r RecordCreate) check(c *stratus.Client, op string) error {
	switch {
	case strings.TrimSpace(r.Type) == "":
		return stratus.Invalid(c, op, "record type is required")
	case strings.TrimSpace(r.Name) == "":
		return stratus.Invalid(c, op, "record name is required (\"@\" for the apex)")
	case r.Data == "":
		return stratus.Invalid(c, op, "record data is required")
	}
	return nil
}

// CreateRecord adds a record to the zone.
func (d *DomainHandle) CreateRecord(ctx context.Context, req RecordCreate) (*DomainRecordHandle, error) {
	c := d.Client()
	path := d.recordsPath()
	op := "POST " + path
	if err := req.check(c, op); err != nil {
		return nil, withProvider(err)
	}
	body, err := c.DoJSON(ctx, http.MethodPost, path, nil, req)
	if err != nil {
		return nil, err
	}
	obj := body.Get(recordKind.ItemKey)
	if !obj.IsObject() {
		return nil, malformed(op, recordKind.ItemKey)
	}
	return &DomainRecordHandle{stratus.HydrateAt(c, recordKind, obj, recordPath(d.Name(), obj.Get("id").String()))}, nil
}

// ID returns the record id.
func (r *DomainRecordHandle) ID() int {
	if n, err := strconv.Atoi(r.Resource.ID()); err == nil {
		return n
	}
	return r.GetInt("id")
}

// DomainName returns the name of the record's zone, from its path (no
// load needed); "" for a handle that was not made through a domain.
func (r *DomainRecordHandle) DomainName() string {
	rest, ok := strings.CutPrefix(r.Path(), "/v2/domains/")
	if !ok {
		return ""
	}
	seg, _, _ := strings.Cut(rest, "/")
	name, err := url.PathUnescape(seg)
	if err != nil {
		return ""
	}
	return name
}

// Domain returns the record's zone (no request), or nil if unknown.
func (r *DomainRecordHandle) Domain() *DomainHandle {
	name := r.DomainName()
	if name == "" {
		return nil
	}
	return Domain(r.Client(), name)
}

// Type returns the record type (A, MX, ...).
func (r *DomainRecordHandle) Type() string { return r.GetString("type") }

// Name returns the name relative to the zone ("@" for the apex).
func (r *DomainRecordHandle) Name() string { return r.GetString("name") }

// Data returns the record's value.
func (r *DomainRecordHandle) Data() string { return r.GetString("data") }

// optInt reads a nullable integer: nil when null or absent.
func (r *DomainRecordHandle) optInt(path string) *int {
	v := r.Get(path)
	if v.Type != gjson.Number {
		return nil
	}
	n := int(v.Int())
	return &n
}

// Priority returns the MX or SRV priority, nil for other types.
func (r *DomainRecordHandle) Priority() *int { return r.optInt("priority") }

// Port returns the SRV port, nil for other types.
func (r *DomainRecordHandle) Port() *int { return r.optInt("port") }

// TTL returns the record's time to live in seconds.
func (r *DomainRecordHandle) TTL() int { return r.GetInt("ttl") }

// Weight returns the SRV weight, nil for other types.
func (r *DomainRecordHandle) Weight() *int { return r.optInt("weight") }

// Flags returns the CAA flags, nil for other types.
func (r *DomainRecordHandle) Flags() *int { return r.optInt("flags") }

// Tag returns the CAA tag (issue, issuewild, iodef), "" for other types.
func (r *DomainRecordHandle) Tag() string { return r.GetString("tag") }

// RecordUpdate holds the fields an update changes; empty strings and nil
// numbers are not sent and keep their value. The API takes a 0 priority,
// port, weight or flags on update as "unchanged" (godo always sends 0).
type RecordUpdate struct {
	Type     string `json:"type,omitempty"`
	Name     string `json:"name,omitempty"`
	Data     string `json:"data,omitempty"`
	Priority *int   `json:"priority,omitempty"`
	Port     *int   `json:"port,omitempty"`
	TTL      *int   `json:"ttl,omitempty"`
	Weight   *int   `json:"weight,omitempty"`
	Flags    *int   `json:"flags,omitempty"`
	Tag      string `json:"tag,omitempty"`
}

// Update changes the record (PUT) and refreshes the handle with the
// answer.
func (r *DomainRecordHandle) Update(ctx context.Context, u RecordUpdate) error {
	path := r.Path()
	if path == "" {
		return withProvider(stratus.Invalid(r.Client(), "PUT domain record", "the record's domain is unknown"))
	}
	if u == (RecordUpdate{}) {
		return withProvider(stratus.Invalid(r.Client(), "PUT "+path, "nothing to update"))
	}
	res, err := r.Client().DoJSON(ctx, http.MethodPut, path, nil, u)
	if err == nil {
		if obj := res.Get(recordKind.ItemKey); obj.IsObject() {
			r.Fill(obj, false)
		}
	}
	r.SetError(err)
	return err
}

// Delete removes the record.
func (r *DomainRecordHandle) Delete(ctx context.Context) error {
	path := r.Path()
	if path == "" {
		return withProvider(stratus.Invalid(r.Client(), "DELETE domain record", "the record's domain is unknown"))
	}
	_, err := r.Client().Do(ctx, http.MethodDelete, path, nil, nil)
	r.SetError(err)
	return err
}
