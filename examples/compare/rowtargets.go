package main

import "strings"

// extraTargets are the targets of rows whose scenario lives in a file of
// its own: each such file adds its check here (in init), and targets runs
// them after the rows of scenarios.go and limits.go.
var extraTargets []func(*report) []target

// fileRowNames are the names of those rows.
var fileRowNames = []string{namePartial, nameTagWait}

func joinParts(parts []string) string { return strings.Join(parts, "; ") }
