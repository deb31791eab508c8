package main

import "github.com/stratus-cloud/stratus"

// declaredFilters reads a kind's filters from the registry. Every kind
// declares its own (none is a declaration too: the library then refuses
// any key), so the REPL checks them all.
func declaredFilters(k *stratus.Kind) ([]filterKey, bool) {
	keys := make([]filterKey, len(k.Filters))
	for i, f := range k.Filters {
		keys[i] = filterKey{name: f.Name, aliases: f.Aliases, required: f.Required}
	}
	return keys, true
}
