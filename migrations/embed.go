// Package migrations holds the goose SQL migrations, embedded in the binary so
// that a deployment never runs against a schema it was not built for.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
