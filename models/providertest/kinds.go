package providertest

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// kindChecks runs the checks of one kind.
func (s *suite) kindChecks(t *testing.T, ki *kindInfo) {
	t.Run("handle_sends_no_request", func(t *testing.T) { s.handleNoRequest(t, ki) })
	t.Run("first_getter_one_request", func(t *testing.T) { s.firstGetter(t, ki) })
	t.Run("concurrent_first_reads_one_request", func(t *testing.T) { s.concurrentReads(t, ki) })
	t.Run("id_and_href_name_one_object", func(t *testing.T) { s.identity(t, ki) })
	t.Run("missing_is_not_found", func(t *testing.T) { s.missing(t, ki) })
	t.Run("second_listing_within_ttl_no_request", func(t *testing.T) { s.secondListing(t, ki) })
	t.Run("list_items_hydrated", func(t *testing.T) { s.hydrated(t, ki) })
	t.Run("partial_item_loads_once", func(t *testing.T) { s.partial(t, ki) })
	t.Run("paging_ceil_total_over_size", func(t *testing.T) { s.paging(t, ki) })
	t.Run("get_retried_on_503", func(t *testing.T) { s.retried(t, ki, Fault503) })
	t.Run("get_retried_on_reset", func(t *testing.T) { s.retried(t, ki, FaultReset) })
	t.Run("get_retried_on_reset_after", func(t *testing.T) { s.retried(t, ki, FaultResetAfter) })
	t.Run("get_retried_on_truncated_body", func(t *testing.T) { s.retried(t, ki, FaultTruncated) })
	t.Run("malformed_body_is_malformed", func(t *testing.T) { s.malformed(t, ki) })
}

// notApplicable records why a check does not apply, once the suite has
// checked the claim.
func notApplicable(t *testing.T, why string) { t.Logf("not applicable: %s", why) }

func (s *suite) handleNoRequest(t *testing.T, ki *kindInfo) {
	c, cnt := s.client(t)
	ref := ki.spec.ID
	if !ki.hasItem() {
		ref = "conformance-1"
	}
	h := ki.handle(c, ref)
	r := h.Handle()
	_, _, _ = r.ID(), r.Path(), r.String()
	assert.False(t, r.Loaded(), "a new handle holds no data")
	assert.Nil(t, r.LastError())
	assert.True(t, ki.k.Is(r.Kind()), "the handle's kind is the registered kind (a copy of it)")
	if ki.lists() {
		col := ki.collection(c).PageSize(3).Param("conformance", "1")
		_, _ = col.Path(), col.Query()
	}
	assert.Zero(t, cnt.n(), "making a handle and a collection sends nothing: %v", cnt.sent(0))
	if !ki.hasItem() {
		// A kind that cannot be read by id says so without a request.
		assert.False(t, r.Get(ki.fields[0]).Exists())
		assert.ErrorIs(t, r.LastError(), stratus.ErrUnsupported)
		assert.Zero(t, cnt.n(), "a getter of a kind without an item route sends nothing")
		s.sawErr(r.LastError())
	}
}

func (s *suite) firstGetter(t *testing.T, ki *kindInfo) {
	if !ki.hasItem() {
		notApplicable(t, ki.spec.NoItem+" (the registry has no item path; handle_sends_no_request checks ErrUnsupported)")
		return
	}
	c, cnt := s.client(t)
	h := ki.handle(c, ki.spec.ID)
	r := h.Handle()
	r.Get(ki.fields[0])
	require.NoError(t, r.LastError())
	assert.Equal(t, 1, cnt.n(), "the first getter loads the object: %v", cnt.sent(0))
	for _, f := range ki.fields {
		r.Get(f)
	}
	assert.Equal(t, 1, cnt.n(), "later getters read what the first load got: %v", cnt.sent(0))
	assert.True(t, r.Loaded())
	assert.False(t, r.Partial(), "an item answer is the whole object")
	assert.NotEmpty(t, r.JSON())
	switch {
	case strings.HasPrefix(ki.spec.ID, "/"):
		assert.Equal(t, ki.spec.ID, r.Path())
	case ki.spec.ID != "":
		assert.Equal(t, ki.spec.ID, r.ID())
	}
	s.sawObj(h)
}

func (s *suite) concurrentReads(t *testing.T, ki *kindInfo) {
	if !ki.hasItem() {
		notApplicable(t, ki.spec.NoItem)
		return
	}
	c, cnt := s.client(t)
	h := ki.handle(c, ki.spec.ID)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() { h.Handle().Get(ki.fields[0]) })
	}
	wg.Wait()
	require.NoError(t, h.Handle().LastError())
	assert.Equal(t, 1, cnt.n(), "100 concurrent first reads of one handle: %v", cnt.sent(0))

	// Handles of the same object share the request and then the cache.
	c, cnt = s.client(t)
	hs := make([]stratus.Object, 100)
	for i := range hs {
		hs[i] = ki.handle(c, ki.spec.ID)
	}
	for _, o := range hs {
		wg.Go(func() { o.Handle().Get(ki.fields[0]) })
	}
	wg.Wait()
	for _, o := range hs {
		require.NoError(t, o.Handle().LastError())
	}
	assert.Equal(t, 1, cnt.n(), "first reads of 100 handles of one object: %v", cnt.sent(0))
}

func (s *suite) identity(t *testing.T, ki *kindInfo) {
	switch {
	case !ki.hasItem():
		notApplicable(t, ki.spec.NoItem)
		return
	case ki.href == "":
		notApplicable(t, "the objects carry no href of their own (Kind.HrefField): they are named by id")
		return
	}
	c, cnt := s.client(t)
	a := ki.handle(c, ki.spec.ID)
	href := a.Handle().GetString(ki.href)
	require.NoError(t, a.Handle().LastError())
	require.NotEmpty(t, href, "the object's href (%s)", ki.href)
	b := ki.k.New(stratus.NewResourceHref(c, ki.k, href))
	assert.True(t, stratus.Same(a, b), "a handle made from the object's href names the same object")
	assert.Equal(t, a.Handle().ID(), b.Handle().ID())
	assert.Equal(t, a.Handle().Path(), b.Handle().Path())
	b.Handle().Get(ki.fields[0])
	require.NoError(t, b.Handle().LastError())
	assert.Equal(t, 1, cnt.n(), "both handles share one answer: %v", cnt.sent(0))
	s.sawObj(a, b)
}

func (s *suite) missing(t *testing.T, ki *kindInfo) {
	switch {
	case !ki.hasItem():
		notApplicable(t, ki.spec.NoItem)
		return
	case ki.singleton():
		notApplicable(t, ki.spec.NoMissing+" (a singleton: the item path "+ki.item+" names no id)")
		return
	}
	c, cnt := s.client(t)
	h := ki.handle(c, ki.spec.Missing)
	r := h.Handle()
	for _, f := range ki.fields {
		assert.False(t, r.Get(f).Exists(), "a getter of a missing object gives the zero value (%s)", f)
	}
	assert.Empty(t, r.JSON())
	err := r.LastError()
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	var se *stratus.Error
	if assert.True(t, errors.As(err, &se), "a *stratus.Error: %v", err) {
		want := http.StatusNotFound
		if s.h.MissingStatus != 0 {
			want = s.h.MissingStatus
		}
		assert.Equal(t, want, se.Status)
		assert.Equal(t, ki.k.Provider.Name, se.Provider)
	}
	assert.Equal(t, 1, cnt.n(), "one request, not one per getter: %v", cnt.sent(0))
	ok, err := r.Exists(ctx(t))
	assert.NoError(t, err)
	assert.False(t, ok)
	s.sawErr(r.LastError())
}

func (s *suite) secondListing(t *testing.T, ki *kindInfo) {
	if !ki.lists() {
		notApplicable(t, ki.spec.NoList)
		return
	}
	c, cnt := s.client(t)
	first, err := ki.collection(c).Collect(ctx(t))
	require.NoError(t, err)
	n := cnt.n()
	require.Positive(t, n)
	again, err := ki.collection(c).Collect(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, n, cnt.n(), "a second listing within the TTL is read from the cache: %v", cnt.sent(n))
	assert.Len(t, again, len(first))
}

func (s *suite) hydrated(t *testing.T, ki *kindInfo) {
	if !ki.lists() {
		notApplicable(t, ki.spec.NoList)
		return
	}
	c, cnt := s.client(t)
	items, err := ki.collection(c).Collect(ctx(t))
	require.NoError(t, err)
	require.Len(t, items, ki.spec.Total, "the list yields Total items")
	pages := cnt.n()
	loaded := 0
	for _, it := range items {
		r := it.Handle()
		assert.NotEmpty(t, r.ID(), "a listed item knows its id")
		if r.Loaded() {
			loaded++
		}
	}
	assert.Equal(t, pages, cnt.n(), "reading the ids of listed items sends nothing: %v", cnt.sent(pages))
	if !ki.idList {
		assert.Equal(t, len(items), loaded, "a list of objects hydrates every item")
	}
	for _, it := range items {
		r := it.Handle()
		if !r.Loaded() {
			continue
		}
		for _, f := range ki.fields {
			if !r.Partial() || r.Peek(f).Exists() {
				r.Get(f)
			}
		}
	}
	assert.Equal(t, pages, cnt.n(), "reading the fields a list page carries sends nothing (no N+1): %v", cnt.sent(pages))
	if loaded < len(items) {
		// An id list: each item loads once, however many fields are read.
		for _, it := range items {
			for _, f := range ki.fields {
				it.Handle().Get(f)
			}
		}
		assert.Equal(t, pages+len(items)-loaded, cnt.n(), "each item of an id list loads once: %v", cnt.sent(pages))
	}
	for _, it := range items {
		assert.NoError(t, it.Handle().LastError())
	}
	s.sawObj(items...)
}

func (s *suite) partial(t *testing.T, ki *kindInfo) {
	if !ki.lists() {
		notApplicable(t, ki.spec.NoList)
		return
	}
	c, cnt := s.client(t)
	items, err := ki.collection(c).Limit(1).Collect(ctx(t))
	require.NoError(t, err)
	require.NotEmpty(t, items)
	r := items[0].Handle()
	if !r.Partial() {
		assert.False(t, ki.k.Partial, "the kind is Partial, yet its list items are whole")
		notApplicable(t, "list items are whole objects")
		return
	}
	field := s.missingField(t, ki, r)
	mark := cnt.n()
	r.Get(field)
	require.NoError(t, r.LastError())
	assert.Equal(t, mark+1, cnt.n(), "reading %q, which the partial item lacks, loads it: %v", field, cnt.sent(mark))
	assert.False(t, r.Partial())
	for _, f := range ki.fields {
		r.Get(f)
	}
	r.Get(field)
	assert.Equal(t, mark+1, cnt.n(), "once: %v", cnt.sent(mark))
	s.sawObj(items[0])
}

// missingField finds a field that the item answer has and the partial
// item lacks, loading the whole object on another client; a field that
// neither has if there is none.
func (s *suite) missingField(t *testing.T, ki *kindInfo, part *stratus.Resource) string {
	c, _ := s.client(t)
	full := ki.k.New(stratus.NewResourceAt(c, ki.k, part.ID(), part.Path())).Handle()
	require.NoError(t, full.Load(ctx(t)), "the whole object at %s", part.Path())
	if f := lacking(gjson.Parse(full.JSON()), part.Peek("@this"), ""); f != "" {
		return f
	}
	return "conformance_absent_field"
}

// lacking returns the path of a leaf of full that part lacks.
func lacking(full, part gjson.Result, prefix string) string {
	found := ""
	full.ForEach(func(k, v gjson.Result) bool {
		p := prefix + gjson.Escape(k.String())
		pv := part.Get(gjson.Escape(k.String()))
		switch {
		case !pv.Exists():
			found = p
		case v.IsObject() && pv.IsObject():
			found = lacking(v, pv, p+".")
		}
		return found == ""
	})
	return found
}

func (s *suite) paging(t *testing.T, ki *kindInfo) {
	if !ki.lists() {
		notApplicable(t, ki.spec.NoList)
		return
	}
	size, want := ki.spec.PageSize, 1
	if size > 0 {
		want = (ki.spec.Total + size - 1) / size
	} else {
		size = 1 // the API does not page: asking for pages of one changes nothing
	}
	c, cnt := s.client(t)
	items, err := ki.collection(c).PageSize(size).Collect(ctx(t))
	require.NoError(t, err)
	assert.Len(t, items, ki.spec.Total)
	assert.Equal(t, want, cnt.n(), "%d items in pages of %d: %v", ki.spec.Total, size, cnt.sent(0))
	read := s.h.ReadMethod
	if read == "" {
		read = http.MethodGet
	}
	for _, r := range cnt.sent(0) {
		assert.True(t, strings.HasPrefix(r, read+" "), r)
	}
}

// probe reads the kind once: its object if it can be read by id, else its
// list. It returns the error.
func (s *suite) probe(t *testing.T, ki *kindInfo, c *stratus.Client) error {
	if ki.hasItem() {
		h := ki.handle(c, ki.spec.ID)
		h.Handle().Get(ki.fields[0])
		s.sawObj(h)
		return h.Handle().LastError()
	}
	_, err := ki.collection(c).Collect(ctx(t))
	s.sawErr(err)
	return err
}

func (s *suite) retried(t *testing.T, ki *kindInfo, f Fault) {
	c, cnt := s.client(t)
	s.h.Inject(f)
	err := s.probe(t, ki, c)
	assert.NoError(t, err, "a GET is tried again after %s", f)
	assert.Equal(t, 2, cnt.n(), "one failed attempt, one good: %v", cnt.sent(0))
}

func (s *suite) malformed(t *testing.T, ki *kindInfo) {
	c, _ := s.client(t)
	s.h.Inject(FaultMalformed)
	var err error
	if ki.hasItem() {
		r := ki.handle(c, ki.spec.ID).Handle()
		for _, f := range ki.fields {
			assert.False(t, r.Get(f).Exists(), "a getter of an undecodable answer gives the zero value (%s)", f)
		}
		err = r.LastError()
	} else {
		_, err = ki.collection(c).Collect(ctx(t))
	}
	s.sawErr(err)
	assert.ErrorIs(t, err, stratus.ErrMalformed)
	var se *stratus.Error
	assert.True(t, errors.As(err, &se), "a *stratus.Error: %v", err)
}
