package ovhtest

import (
	"slices"
	"strconv"
	"time"
)

// taskTime is how long a dedicated server task runs on the server clock:
// todo for the first half, doing for the second, then done (or ovhError
// for a task FailNextTasks marked).
const taskTime = 2 * time.Second

// serverTask is a dedicated.server.Task. Its status follows from the
// clock, so no settling is needed.
type serverTask struct {
	id       int64
	function string
	start    time.Time
	fail     bool
}

// taskBook holds the dedicated servers' tasks.
type taskBook struct {
	byServer map[string][]*serverTask // ascending id
	next     int64
	failNext int
}

func (t *serverTask) status(now time.Time) string {
	switch {
	case now.Before(t.start.Add(taskTime / 2)):
		return "todo"
	case now.Before(t.start.Add(taskTime)):
		return "doing"
	case t.fail:
		return "ovhError"
	}
	return "done"
}

func (t *serverTask) json(now time.Time) []byte {
	st := t.status(now)
	var done, comment *string
	last := now
	if end := t.start.Add(taskTime); !now.Before(end) {
		d := stamp(end)
		done, last = &d, end
		if t.fail {
			c := "The task failed on our side; our teams have been told"
			comment = &c
		}
	}
	return marshal(struct {
		TaskID       int64   `json:"taskId"`
		Function     string  `json:"function"`
		Status       string  `json:"status"`
		Comment      *string `json:"comment"`
		StartDate    string  `json:"startDate"`
		DoneDate     *string `json:"doneDate"`
		LastUpdate   string  `json:"lastUpdate"`
		NeedSchedule bool    `json:"needSchedule"`
	}{t.id, t.function, st, comment, stamp(t.start), done, stamp(last), false})
}

// FailNextTasks makes the next n dedicated server tasks end in ovhError.
func (s *Server) FailNextTasks(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks.failNext = max(n, 0)
}

// rebootServer is POST /dedicated/server/{name}/reboot: a hardReboot task.
// (Our choice: a server may have several tasks at once.)
func (s *Server) rebootServer(c *call) {
	d := s.server(c)
	if d == nil {
		return
	}
	b := &s.tasks
	if b.byServer == nil {
		b.byServer = map[string][]*serverTask{}
		b.next = 81_000_000
	}
	b.next++
	t := &serverTask{id: b.next, function: "hardReboot", start: c.now, fail: b.failNext > 0}
	if t.fail {
		b.failNext--
	}
	b.byServer[d.name] = append(b.byServer[d.name], t)
	c.send(t.json(c.now))
}

// listServerTasks is GET /dedicated/server/{name}/task: the task ids,
// ascending (filters function and status); whole tasks in the bulk mode.
func (s *Server) listServerTasks(c *call) {
	d := s.server(c)
	if d == nil {
		return
	}
	fn, st := c.query("function"), c.query("status")
	var ts []*serverTask
	for _, t := range s.tasks.byServer[d.name] {
		if (fn == "" || t.function == fn) && (st == "" || t.status(c.now) == st) {
			ts = append(ts, t)
		}
	}
	c.ids(len(ts), func(i int) []byte { return strconv.AppendInt(nil, ts[i].id, 10) },
		func(i int) []byte { return ts[i].json(c.now) })
}

// getServerTask is GET /dedicated/server/{name}/task/{taskId}.
func (s *Server) getServerTask(c *call) {
	d := s.server(c)
	if d == nil {
		return
	}
	id, err := strconv.ParseInt(c.params[1], 10, 64)
	ts := s.tasks.byServer[d.name]
	i := slices.IndexFunc(ts, func(t *serverTask) bool { return t.id == id })
	if err != nil || i < 0 {
		c.noObject("taskId", c.params[1])
		return
	}
	c.send(ts[i].json(c.now))
}
