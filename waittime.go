package stratus

import "time"

// DefaultWaitTime bounds a wait when neither the client (WithWaitTime) nor
// the call (WaitOptions.Timeout) says otherwise: a waiter never runs
// forever by default. Running out of it returns a *WaitTimeoutError.
const DefaultWaitTime = 15 * time.Minute

// waitTime is the client's bound on a wait: its setting, DefaultWaitTime
// for none, and 0 (no bound but the context) for a negative one.
func (s *Settings) waitTime() time.Duration {
	switch {
	case s.WaitTime == 0:
		return DefaultWaitTime
	case s.WaitTime < 0:
		return 0
	}
	return s.WaitTime
}
