package stratus

import (
	"net/url"
	"strings"
)

// Nested kinds: a kind whose objects live below an object of another
// kind declares it once (Kind.Under): the parent kind and the paths, with
// "{parent}" for the parent's id. Scope tables, the REPL and the query
// tool read the declaration; these constructors fill it in.

// NestedPaths returns the list path and the item path template ("{id}"
// left in) of a nested kind below parent; both are "" for a kind that is
// not nested.
func (k *Kind) NestedPaths(parent string) (list, item string) {
	u := k.registered().Under
	if u == nil {
		return "", ""
	}
	p := url.PathEscape(parent)
	return strings.Replace(u.ListPath, "{parent}", p, 1), strings.Replace(u.ItemPath, "{parent}", p, 1)
}

// ParentParam is the name a nested kind's parent goes by in commands
// (zone=example.com): Under.Param, else the parent kind's name; "" for a
// kind that is not nested.
func (k *Kind) ParentParam() string {
	u := k.registered().Under
	switch {
	case u == nil:
		return ""
	case u.Param != "":
		return u.Param
	}
	return u.Parent
}

// NewResourceUnder returns an unloaded handle for object id below parent
// (a record of a zone). A kind that is not nested, or whose items cannot
// be read one by one, gives a handle whose loads fail with ErrUnsupported.
func NewResourceUnder(c *Client, k *Kind, parent, id string) *Resource {
	_, item := k.NestedPaths(parent)
	if item == "" {
		return NewResource(c, k, id)
	}
	return NewResourceAt(c, k, id, strings.Replace(item, "{id}", url.PathEscape(id), 1))
}

// NewCollectionUnder returns the collection of a nested kind below parent,
// its items given their item paths there. A kind that is not nested gives
// its plain collection.
func NewCollectionUnder[T Object](c *Client, k *Kind, parent string, wrap func(*Resource) T) Collection[T] {
	col := NewCollection(c, k, wrap)
	list, item := k.NestedPaths(parent)
	if list == "" {
		return col
	}
	col = col.At(list)
	if item != "" {
		col = col.ItemsAt(item)
	}
	return col
}
