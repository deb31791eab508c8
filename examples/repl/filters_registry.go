package main

import "github.com/stratus-cloud/stratus"

// declaredFilters reads a kind's filters from the registry.
func declaredFilters(k *stratus.Kind) ([]filterKey, bool) {
	return nil, false
}
