package fleet

import "github.com/stratus-cloud/stratus/transport"

// Cache returns the fleet's shared cache of answers.
func (f *Fleet) Cache() transport.Cache { return f.opt.Local }
