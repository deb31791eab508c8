package stratus

// Refinements makes a provider's list type chain: embedded in L, it gives
// L every refinement of Collection (Filter, Limit, PageSize, Fresh, ...)
// returning L rather than a plain Collection, so that the provider's own
// refinements and the generic ones mix in any order:
//
//	digitalocean.Droplets(c).Limit(5).Tag("web")
//	digitalocean.Droplets(c).Tag("web").Limit(5)
//
// A provider declares its list as
//
//	type DropletList struct {
//		stratus.Refinements[*DropletHandle, DropletList]
//	}
//
//	func dropletList(col stratus.Collection[*DropletHandle]) DropletList {
//		return DropletList{stratus.Refine(col, dropletList)}
//	}
//
// and writes its refinements with the promoted methods:
//
//	func (l DropletList) Tag(tag string) DropletList { return l.Filter("tag_name", tag) }
//
// The reading methods (All, Pages, Collect, First, Count) are the
// embedded Collection's; the kind's filter checks (unknown keys, required
// filters) run in the Collection itself, whichever refinement came last.
type Refinements[T Object, L any] struct {
	Collection[T]
	wrap func(Collection[T]) L
}

// Refine builds the Refinements of a collection; wrap turns a refined
// collection back into the provider's list type.
func Refine[T Object, L any](col Collection[T], wrap func(Collection[T]) L) Refinements[T, L] {
	return Refinements[T, L]{Collection: col, wrap: wrap}
}

// With returns the list type for another collection: how a provider's
// refinement applies a change the generic methods do not offer.
func (r Refinements[T, L]) With(col Collection[T]) L { return r.wrap(col) }

// Filter is Collection.Filter, returning the list type.
func (r Refinements[T, L]) Filter(key string, values ...string) L {
	return r.wrap(r.Collection.Filter(key, values...))
}

// Param is Collection.Param, returning the list type.
func (r Refinements[T, L]) Param(key string, values ...string) L {
	return r.wrap(r.Collection.Param(key, values...))
}

// Limit is Collection.Limit, returning the list type.
func (r Refinements[T, L]) Limit(n int) L { return r.wrap(r.Collection.Limit(n)) }

// PageSize is Collection.PageSize, returning the list type.
func (r Refinements[T, L]) PageSize(n int) L { return r.wrap(r.Collection.PageSize(n)) }

// Fresh is Collection.Fresh, returning the list type.
func (r Refinements[T, L]) Fresh() L { return r.wrap(r.Collection.Fresh()) }

// At is Collection.At, returning the list type.
func (r Refinements[T, L]) At(path string) L { return r.wrap(r.Collection.At(path)) }

// ListKey is Collection.ListKey, returning the list type.
func (r Refinements[T, L]) ListKey(key string) L { return r.wrap(r.Collection.ListKey(key)) }

// ItemsAt is Collection.ItemsAt, returning the list type.
func (r Refinements[T, L]) ItemsAt(pathTemplate string) L {
	return r.wrap(r.Collection.ItemsAt(pathTemplate))
}

// PartialItems is Collection.PartialItems, returning the list type.
func (r Refinements[T, L]) PartialItems(partial bool) L {
	return r.wrap(r.Collection.PartialItems(partial))
}
