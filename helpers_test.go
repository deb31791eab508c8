package stratus_test

import (
	"io"
	"log/slog"
	"net/url"
	"strconv"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

func slogTo(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func (pagePager) Next(q url.Values, _ transport.Header, body gjson.Result, count int) (url.Values, int) {
	total := int(body.Get("meta.total").Int())
	next := body.Get("links.pages.next").String()
	if next == "" || count == 0 {
		return nil, total
	}
	u, err := url.Parse(next)
	if err != nil {
		return nil, total
	}
	out := transport.CloneQuery(q)
	out.Set("page", u.Query().Get("page"))
	return out, total
}

func (pagePager) First(q url.Values, size int) url.Values {
	out := transport.CloneQuery(q)
	out.Set("page", "1")
	if size > 0 {
		out.Set("per_page", strconv.Itoa(size))
	}
	return out
}
