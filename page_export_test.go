package stratus

import "net/url"

// PageNext returns the query of the page that follows p, nil on the last.
func PageNext[T Object](p *Page[T]) url.Values { return p.next }
