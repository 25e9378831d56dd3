module ledgerly.dev/hooksink

go 1.19

require (
	github.com/go-chi/chi/v5 v5.0.7
	github.com/google/uuid v1.3.0
	gopkg.in/yaml.v3 v3.0.1
)
