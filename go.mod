module github.com/stratus-cloud/stratus

go 1.26.0

require (
	github.com/redis/rueidis v1.0.80
	github.com/stretchr/testify v1.12.1
	github.com/tidwall/gjson v1.20.1
	golang.org/x/sync v0.24.0
	golang.org/x/sys v0.50.0
	golang.org/x/term v0.47.0
	golang.org/x/time v0.16.0
)

require (
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)
