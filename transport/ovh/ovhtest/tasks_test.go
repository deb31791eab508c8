package ovhtest

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDedicatedServerTasks(t *testing.T) {
	c := newTC(t, Config{DedicatedServers: 2, Clock: ClockManual})
	name := c.srv.DedicatedServerNames()[0]
	base := "/dedicated/server/" + name
	c.srv.FailNextTasks(1)
	first := c.do(http.MethodPost, base+"/reboot", "")
	require.Equal(t, http.StatusOK, first.status)
	requireFields(t, first.json, "taskId", "function", "status", "comment", "startDate", "doneDate", "lastUpdate", "needSchedule")
	assert.Equal(t, "hardReboot", first.json.Get("function").String())
	assert.Equal(t, "todo", first.json.Get("status").String())
	second := c.do(http.MethodPost, base+"/reboot", "")
	id1, id2 := first.json.Get("taskId").Int(), second.json.Get("taskId").Int()
	assert.Equal(t, id1+1, id2)

	ids := c.get(base + "/task").json.Array()
	require.Len(t, ids, 2)
	assert.Equal(t, id1, ids[0].Int())
	assert.Len(t, c.get(base+"/task?status=todo").json.Array(), 2)
	assert.Empty(t, c.get(base+"/task?function=reinstallServer").json.Array())
	assert.Empty(t, c.get("/dedicated/server/"+c.srv.DedicatedServerNames()[1]+"/task").json.Array())

	c.srv.Advance(time.Second)
	assert.Equal(t, "doing", c.get(base+"/task/"+strconv.FormatInt(id2, 10)).json.Get("status").String())
	c.srv.Advance(time.Minute)
	assert.Equal(t, "ovhError", c.get(base+"/task/"+strconv.FormatInt(id1, 10)).json.Get("status").String())
	done := c.get(base + "/task/" + strconv.FormatInt(id2, 10)).json
	assert.Equal(t, "done", done.Get("status").String())
	assert.NotEmpty(t, done.Get("doneDate").String())

	// The bulk mode gives the whole tasks.
	bulk := c.do(http.MethodGet, base+"/task", "", func(r *http.Request) { r.Header.Set(hdrMode, bulkMode) })
	require.Len(t, bulk.json.Array(), 2)
	assert.Equal(t, "ovhError", bulk.json.Get("0.status").String())
	assert.Equal(t, "2", bulk.header.Get(hdrElements))

	requireError(t, c.get(base+"/task/12"), 404, "", "The requested object (taskId = 12) does not exist")
	requireError(t, c.get(base+"/task/x"), 404, "", "The requested object (taskId = x) does not exist")
	requireError(t, c.do(http.MethodPost, "/dedicated/server/nosuch/reboot", ""), 404, "", "This service does not exist")
}
