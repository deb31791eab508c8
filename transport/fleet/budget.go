package fleet

import "github.com/stratus-cloud/stratus/transport"

// Spender returns the fleet's rate budget of one account.
func (f *Fleet) Spender(account string, windows []transport.Window) transport.Spender { return nil }
