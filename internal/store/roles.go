package store

import (
	"github.com/jackc/pgx/v5/pgxpool"
)

// RuntimeRole is the database role the application runs as (migration
// 00044): it may read and write the tables, add to the timeline and the
// security log but never change or remove a row of them, and it owns nothing
// and may create nothing, so it cannot alter the schema. Migrations run as
// the owner of the schema instead (DATABASE_MIGRATE_URL).
const RuntimeRole = "lekwacht_runtime"

// AsRuntime makes every connection of cfg run as RuntimeRole: the role is a
// startup parameter of the connection (as `PGOPTIONS=-c role=…` would set
// it), so it costs no round trip, holds from the first statement on and is
// what RESET ROLE returns to. A login role that is not a member of
// RuntimeRole cannot connect at all ("permission denied to set role"), so a
// misconfigured server fails at its start, not at its first request.
func AsRuntime(cfg *pgxpool.Config) {
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	cfg.ConnConfig.RuntimeParams["role"] = RuntimeRole
}
