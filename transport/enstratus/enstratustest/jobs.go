package enstratustest

import (
	"sort"
	"strconv"
	"time"
)

// Job statuses.
const (
	jobRunning  = "RUNNING"
	jobComplete = "COMPLETE"
	jobError    = "ERROR"
)

// pending is a RUNNING job: when the clock reaches due it ends, COMPLETE
// or (fail) ERROR, and apply runs under the lock with ok=!fail; apply
// returns the job's message.
type pending struct {
	job      *object
	due      time.Time
	fail     bool
	serverID string // the server the job works on, or ""
	apply    func(ok bool) string
}

// startJob records a RUNNING job and schedules its end. Jobs have the
// fields of the admin/job.json fixture; endDate is null until the end.
func (s *Server) startJob(c *call, description, serverID string, apply func(ok bool) string) *object {
	s.nextJob++
	k := s.kind(kJob)
	o := &object{kind: k, id: strconv.FormatInt(s.nextJob, 10), num: s.nextJob, vals: map[string][]byte{}}
	o.set("jobId", s.nextJob)
	o.set("status", jobRunning)
	o.set("description", description)
	o.set("message", "")
	o.set("startDate", stamp(c.now))
	o.setRaw("endDate", []byte("null"))
	k.put(o)
	fail := s.failNext > 0
	if fail {
		s.failNext--
	}
	p := &pending{job: o, due: c.now.Add(s.cfg.JobDuration), fail: fail, serverID: serverID, apply: apply}
	s.pending = append(s.pending, p)
	if serverID != "" {
		s.busy[serverID] = p
	}
	return o
}

// settle ends the jobs that are due at now (all of them with all), in the
// order they fall due.
func (s *Server) settle(now time.Time, all bool) {
	if len(s.pending) == 0 {
		return
	}
	var done []*pending
	keep := s.pending[:0]
	for _, p := range s.pending {
		if all || !now.Before(p.due) {
			done = append(done, p)
		} else {
			keep = append(keep, p)
		}
	}
	clear(s.pending[len(keep):])
	s.pending = keep
	sort.SliceStable(done, func(i, j int) bool { return done[i].due.Before(done[j].due) })
	for _, p := range done {
		end := p.due
		if now.Before(end) {
			end = now
		}
		msg := p.apply(!p.fail)
		status := jobComplete
		if p.fail {
			status = jobError
		}
		p.job.set("status", status)
		p.job.set("message", msg)
		p.job.set("endDate", stamp(end))
		if p.serverID != "" {
			delete(s.busy, p.serverID)
		}
	}
}
