package stratus

// SetMaxPages lowers the page bound of listings for a test; the returned
// function restores it.
func SetMaxPages(n int) (restore func()) {
	old := maxPages
	maxPages = n
	return func() { maxPages = old }
}
