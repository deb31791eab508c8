package enstratustest

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/tidwall/gjson"
)

// Kind names.
const (
	kCloud         = "Cloud"
	kRegion        = "Region"
	kDataCenter    = "DataCenter"
	kSubscription  = "Subscription"
	kServer        = "Server"
	kMachineImage  = "MachineImage"
	kServerProduct = "ServerProduct"
	kVolume        = "Volume"
	kSnapshot      = "Snapshot"
	kFirewall      = "Firewall"
	kFirewallRule  = "FirewallRule"
	kLoadBalancer  = "LoadBalancer"
	kAccount       = "Account"
	kUser          = "User"
	kJob           = "Job"
	kAPIKey        = "ApiKey"
	kBillingCode   = "BillingCode"
	kGroup         = "Group"
	kRole          = "Role"
	kCustomer      = "Customer" // not served: only a target of references
)

// kind is one resource type: where it is served and how it is keyed.
type kind struct {
	name    string // "DataCenter"
	path    string // "geography/DataCenter"; "" when not served
	coll    string // "dataCenters"
	idKey   string // "dataCenterId"
	noun    string // "data center", for "No such data center ID: 5"
	numeric bool   // ids are integers
	filter  filterFunc

	byID  map[string]*object
	order []*object // ascending id
}

// filterFunc reads a list request's query. It returns the predicate of the
// objects to list, or ok=false after answering the call with an error.
type filterFunc func(s *Server, c *call) (keep func(*object) bool, ok bool)

// refFields names the fields that hold references to other objects, and
// the kind they refer to ("" for a reference to a kind the simulator does
// not know, such as vlan). In basic detail a reference is an id object
// ({"cloudId":1}) or an array of them; extended detail replaces each by the
// object it names, itself in basic detail; none omits the field.
var refFields = map[string]string{
	"cloud":         kCloud,
	"region":        kRegion,
	"dataCenter":    kDataCenter,
	"customer":      kCustomer,
	"machineImage":  kMachineImage,
	"owningUser":    kUser,
	"user":          kUser,
	"owner":         kUser,
	"owningAccount": kAccount,
	"account":       kAccount,
	"owningGroups":  kGroup,
	"groups":        kGroup,
	"firewalls":     kFirewall,
	"firewall":      kFirewall,
	"product":       kServerProduct,
	"billingCodes":  kBillingCode,
	"server":        kServer,
	"volume":        kVolume,
	"vlan":          "",
}

// object is one resource in basic detail: its fields in sorted key order
// (the fixtures' order), each value compact JSON.
type object struct {
	kind *kind
	id   string // canonical: decimal for numeric kinds
	num  int64  // the id as a number, for numeric kinds
	keys []string
	vals map[string][]byte

	basic, none []byte // cached renderings; nil when stale
}

// world is the simulated cloud. Server.mu guards it.
type world struct {
	kinds  map[string]*kind
	routes map[string]*kind // "geography/Cloud" -> kind

	pending  []*pending
	busy     map[string]*pending // server id -> its running job
	failNext int

	nextJob, nextServer, nextRule int64
	rnd                           *rand.Rand
}

func (w *world) kind(name string) *kind { return w.kinds[name] }

// newObject parses a JSON object. The id comes from k.idKey; ok is false
// when the text is not an object or lacks a usable id.
func newObject(k *kind, raw []byte) (*object, bool) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return nil, false
	}
	o := &object{kind: k, vals: make(map[string][]byte, len(fields))}
	for key, v := range fields {
		var b bytes.Buffer
		if err := json.Compact(&b, v); err != nil {
			return nil, false
		}
		o.vals[key] = b.Bytes()
	}
	o.keys = sortedKeys(o.vals)
	id := gjson.ParseBytes(o.vals[k.idKey])
	if !o.setID(id) {
		return nil, false
	}
	return o, true
}

func (o *object) setID(id gjson.Result) bool {
	switch {
	case o.kind.numeric && id.Type == gjson.Number:
		n, err := strconv.ParseInt(id.Raw, 10, 64)
		if err != nil {
			return false
		}
		o.id, o.num = strconv.FormatInt(n, 10), n
	case !o.kind.numeric && id.Type == gjson.String && id.Str != "":
		o.id = id.Str
	default:
		return false
	}
	return true
}

// get returns a field as gjson.
func (o *object) get(key string) gjson.Result { return gjson.ParseBytes(o.vals[key]) }

// str returns a string field, or "".
func (o *object) str(key string) string {
	if r := o.get(key); r.Type == gjson.String {
		return r.Str
	}
	return ""
}

// ref returns the id a reference field names ({"regionId":19344} -> "19344").
func (o *object) ref(field string) string {
	k := refFields[field]
	idKey := idKeys[k]
	if idKey == "" {
		return ""
	}
	return idString(gjson.GetBytes(o.vals[field], idKey))
}

// set stores a field, encoding v as JSON.
func (o *object) set(key string, v any) { o.setRaw(key, marshal(v)) }

func (o *object) setRaw(key string, raw []byte) {
	if _, ok := o.vals[key]; !ok {
		i := sort.SearchStrings(o.keys, key)
		o.keys = append(o.keys, "")
		copy(o.keys[i+1:], o.keys[i:])
		o.keys[i] = key
	}
	o.vals[key] = raw
	o.basic, o.none = nil, nil
}

func (o *object) del(key string) {
	if _, ok := o.vals[key]; !ok {
		return
	}
	delete(o.vals, key)
	i := sort.SearchStrings(o.keys, key)
	o.keys = append(o.keys[:i], o.keys[i+1:]...)
	o.basic, o.none = nil, nil
}

// clone copies an object for another id of the same kind.
func (o *object) clone() *object {
	c := &object{kind: o.kind, keys: append([]string(nil), o.keys...), vals: make(map[string][]byte, len(o.vals))}
	for k, v := range o.vals {
		c.vals[k] = v
	}
	return c
}

// idString renders an id value canonically.
func idString(r gjson.Result) string {
	switch r.Type {
	case gjson.Number:
		if n, err := strconv.ParseInt(r.Raw, 10, 64); err == nil {
			return strconv.FormatInt(n, 10)
		}
		return r.Raw
	case gjson.String:
		return r.Str
	}
	return ""
}

// idObject is the basic form of a reference: {"<idKey>":<id>}.
func idObject(k *kind, o *object) []byte {
	b := append([]byte(`{"`), k.idKey...)
	b = append(b, `":`...)
	if k.numeric {
		return append(strconv.AppendInt(b, o.num, 10), '}')
	}
	return append(append(b, marshal(o.id)...), '}')
}

// put adds o to its kind, or merges it with the object already there: the
// appearance with more fields wins, the earlier one on a tie. It returns
// the object kept.
func (k *kind) put(o *object) *object {
	if old := k.byID[o.id]; old != nil {
		if len(o.keys) > len(old.keys) {
			old.keys, old.vals = o.keys, o.vals
			old.basic, old.none = nil, nil
		}
		return old
	}
	k.byID[o.id] = o
	i := sort.Search(len(k.order), func(i int) bool { return !k.less(k.order[i], o) })
	k.order = append(k.order, nil)
	copy(k.order[i+1:], k.order[i:])
	k.order[i] = o
	return o
}

func (k *kind) less(a, b *object) bool {
	if k.numeric {
		return a.num < b.num
	}
	return a.id < b.id
}

func (k *kind) remove(o *object) {
	delete(k.byID, o.id)
	for i, x := range k.order {
		if x == o {
			k.order = append(k.order[:i], k.order[i+1:]...)
			return
		}
	}
}

// lookup finds an object by the id as written in a URL or a body.
func (k *kind) lookup(id string) *object {
	if k.numeric {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return nil
		}
		id = strconv.FormatInt(n, 10)
	}
	return k.byID[id]
}

// absorb reads a fixture object of kind k. Every reference that carries
// more than its id (an extended fixture) is absorbed in turn, as an object
// of its own kind, and replaced by its id object, so that o is left in
// basic detail and the world learns the objects it refers to. register=false
// absorbs the references but does not add o itself.
func (w *world) absorb(k *kind, raw []byte, register bool) (*object, bool) {
	o, ok := newObject(k, raw)
	if !ok {
		return nil, false
	}
	for _, field := range o.keys {
		rk := w.kinds[refFields[field]]
		if rk == nil {
			continue
		}
		v := o.get(field)
		switch {
		case v.IsObject():
			o.vals[field] = w.absorbRef(rk, v)
		case v.IsArray():
			b := []byte{'['}
			for i, e := range v.Array() {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, w.absorbRef(rk, e)...)
			}
			o.vals[field] = append(b, ']')
		}
	}
	if register {
		o = k.put(o)
	}
	return o, true
}

// absorbRef absorbs one nested object and returns its reference.
func (w *world) absorbRef(k *kind, v gjson.Result) []byte {
	if !v.IsObject() || len(v.Map()) <= 1 {
		return []byte(v.Raw) // already a bare reference (or not an object)
	}
	o, ok := w.absorb(k, []byte(v.Raw), true)
	if !ok {
		return []byte(v.Raw)
	}
	return idObject(k, o)
}

// detail is the x-es-details level of an answer.
type detail int

const (
	detailExtended detail = iota
	detailBasic
	detailNone
)

// render appends o at detail d.
func (w *world) render(b []byte, o *object, d detail) []byte {
	switch d {
	case detailBasic:
		if o.basic == nil {
			o.basic = o.encode(nil, nil, false)
		}
		return append(b, o.basic...)
	case detailNone:
		if o.none == nil {
			o.none = o.encode(nil, nil, true)
		}
		return append(b, o.none...)
	}
	return o.encode(b, w, false)
}

// encode writes the fields in order. With w, references are expanded;
// with dropRefs, they are left out.
func (o *object) encode(b []byte, w *world, dropRefs bool) []byte {
	b = append(b, '{')
	first := true
	for _, key := range o.keys {
		rk, isRef := refFields[key]
		if isRef && dropRefs {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, marshal(key)...)
		b = append(b, ':')
		v := o.vals[key]
		if isRef && w != nil && w.kinds[rk] != nil {
			b = w.expand(b, w.kinds[rk], v)
		} else {
			b = append(b, v...)
		}
	}
	return append(b, '}')
}

// expand writes a reference (or an array of them) with each id object
// replaced by the object it names, in basic detail. Unknown ids stay as
// they are.
func (w *world) expand(b []byte, k *kind, v []byte) []byte {
	r := gjson.ParseBytes(v)
	one := func(b []byte, e gjson.Result) []byte {
		if e.IsObject() {
			if t := k.byID[idString(e.Get(k.idKey))]; t != nil {
				return w.render(b, t, detailBasic)
			}
		}
		return append(b, e.Raw...)
	}
	if r.IsArray() {
		b = append(b, '[')
		for i, e := range r.Array() {
			if i > 0 {
				b = append(b, ',')
			}
			b = one(b, e)
		}
		return append(b, ']')
	}
	return one(b, r)
}
