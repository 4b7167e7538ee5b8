package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
)

// User is an account as the store knows it: a person's membership of one
// organisation (migration 00050), with the person's address and password.
type User struct {
	ID             int64 // the membership, users.id
	OrganisationID int64
	PersonID       int64
	Email          string
	Name           string
	PasswordHash   string // the person's; empty until they have set one
	Active         bool
}

const userColumns = `u.id, u.organisation_id, coalesce(u.person_id, 0), u.email, u.name, coalesce(p.password_hash, ''), u.active`

func scanUser(row pgx.Row) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.OrganisationID, &u.PersonID, &u.Email, &u.Name, &u.PasswordHash, &u.Active)
	return u, err
}

// UserByEmail finds the membership a person signs in to by their
// (lower-case) address, in any organisation: sign-in does not ask for the
// organisation. Of several memberships it is the active one the person
// worked in last, else their first active one (issue 11.3).
func (q *Queries) UserByEmail(ctx context.Context, email string) (User, error) {
	return q.userByEmail(ctx, `p.email = $1 ORDER BY u.active DESC, u.id = p.last_user_id DESC, u.id LIMIT 1`, email)
}

// UserByEmailIn finds a person's membership of one organisation by address.
func (q *Queries) UserByEmailIn(ctx context.Context, email string, orgID int64) (User, error) {
	return q.userByEmail(ctx, `p.email = $1 AND u.organisation_id = $2`, email, orgID)
}

func (q *Queries) userByEmail(ctx context.Context, where string, args ...any) (User, error) {
	u, err := scanUser(q.db.QueryRow(ctx, `SELECT `+userColumns+` FROM people p JOIN users u ON u.person_id = p.id WHERE `+where, args...))
	if err != nil {
		return u, notFound(err, "user by email", "Dit account bestaat niet.")
	}
	return u, nil
}

// PersonByEmail returns the id of the person with this address, or
// NotFound. Used in the System scope only: to add an existing person to an
// organisation (people of other organisations are not visible otherwise).
func (q *Queries) PersonByEmail(ctx context.Context, email string) (int64, error) {
	var id int64
	if err := q.db.QueryRow(ctx, `SELECT id FROM people WHERE email = $1`, email).Scan(&id); err != nil {
		return 0, notFound(err, "person by email", "Deze persoon bestaat niet.")
	}
	return id, nil
}

// WorkIn remembers the membership the person works in now, where their
// next sign-in lands.
func (q *Queries) WorkIn(ctx context.Context, userID int64) error {
	_, err := q.db.Exec(ctx, `UPDATE people SET last_user_id = $1 WHERE id = (SELECT person_id FROM users WHERE id = $1) AND last_user_id IS DISTINCT FROM $1`, userID)
	if err != nil {
		return fmt.Errorf("work in: %w", err)
	}
	return nil
}

// Actor loads the acting user with organisation and roles. It returns
// NotFound for an unknown or deactivated account. authVersion is returned so
// the session layer can tell when roles or password changed.
func (q *Queries) Actor(ctx context.Context, userID int64) (*access.Actor, int, error) {
	a, version, _, _, err := q.actorSession(ctx, userID, false, "", time.Time{})
	return a, version, err
}

// SignedIn is Actor for the user of a session, with the number of their
// unread messages (shown beside "Berichten" on every page), in one query:
// every page view pays for it.
//
// It also checks the user's session row (user_sessions, "Mijn sessies"):
// on says whether session sessionID is still on; its last use is renewed in
// the same statement, at most once a minute, so a plain page view writes
// nothing most of the time.
func (q *Queries) SignedIn(ctx context.Context, userID int64, sessionID string, now time.Time) (a *access.Actor, authVersion, unread int, on bool, err error) {
	return q.actorSession(ctx, userID, true, sessionID, now)
}

// actor reads the user, organisation and grants (and the unread count) in
// one statement; the grants come as JSON, one object per role.
func (q *Queries) actorSession(ctx context.Context, userID int64, withUnread bool, sessionID string, now time.Time) (*access.Actor, int, int, bool, error) {
	a := &access.Actor{}
	var version, unread int
	var on bool
	var grants []struct {
		Role    access.Role `json:"role"`
		Schools []int64     `json:"schools"`
		All     bool        `json:"all"`
	}
	err := q.db.QueryRow(ctx, `
		WITH touched AS (
			UPDATE user_sessions SET last_seen_at = $4
			WHERE $3 <> '' AND id = $3 AND person_id = (SELECT person_id FROM users WHERE id = $1)
			  AND ended_at IS NULL AND last_seen_at < $4::timestamptz - interval '1 minute'
			RETURNING 1)
		SELECT u.id, u.person_id, u.organisation_id, o.name, u.name, u.email, u.auth_version,
		       (SELECT coalesce(jsonb_agg(jsonb_build_object('role', g.role, 'schools', g.schools, 'all', g.all_schools)), '[]')
		        FROM (SELECT role, coalesce(array_agg(school_id ORDER BY school_id) FILTER (WHERE school_id IS NOT NULL), '{}') AS schools,
		                     bool_or(school_id IS NULL) AS all_schools
		              FROM user_roles r WHERE r.organisation_id = u.organisation_id AND r.user_id = u.id
		              GROUP BY role) g),
		       CASE WHEN $2 THEN (SELECT count(*) FROM user_messages m
		                          WHERE m.organisation_id = u.organisation_id AND m.user_id = u.id AND m.read_at IS NULL)
		            ELSE 0 END,
		       EXISTS (SELECT 1 FROM user_sessions us WHERE $3 <> '' AND us.id = $3 AND us.person_id = u.person_id AND us.ended_at IS NULL),
		       (SELECT coalesce(jsonb_agg(jsonb_build_object('user', m.id, 'org', m.organisation_id, 'name', mo.name,
		                  'officer', EXISTS (SELECT FROM user_roles r WHERE r.organisation_id = m.organisation_id AND r.user_id = m.id AND r.role = 'officer'))
		                  ORDER BY lower(mo.name), m.id), '[]')
		        FROM users m JOIN organisations mo ON mo.id = m.organisation_id
		        WHERE m.person_id = u.person_id AND m.active)
		FROM users u JOIN organisations o ON o.id = u.organisation_id
		WHERE u.id = $1 AND u.active AND u.person_id IS NOT NULL`, userID, withUnread, sessionID, now).
		Scan(&a.UserID, &a.PersonID, &a.OrganisationID, &a.Organisation, &a.Name, &a.Email, &version, &grants, &unread, &on, &a.Memberships)
	if err != nil {
		return nil, 0, 0, false, notFound(err, "actor", "Dit account bestaat niet of is uitgeschakeld.")
	}
	gs := make([]access.Grant, 0, len(grants))
	for _, g := range grants {
		schools := g.Schools
		if g.All {
			schools = nil
		}
		gs = append(gs, access.Grant{Role: g.Role, Schools: schools})
	}
	a.Grants = sortGrants(gs)
	if len(a.Grants) == 0 {
		a.Grants = nil
	}
	return a, version, unread, on, nil
}

// grants loads the roles of the given users, per user.
func (q *Queries) grants(ctx context.Context, orgID int64, userIDs []int64) (map[int64][]access.Grant, error) {
	rows, err := q.db.Query(ctx, `
		SELECT user_id, role, coalesce(array_agg(school_id ORDER BY school_id) FILTER (WHERE school_id IS NOT NULL), '{}'),
		       bool_or(school_id IS NULL)
		FROM user_roles WHERE organisation_id = $1 AND user_id = ANY($2)
		GROUP BY user_id, role`, orgID, userIDs)
	if err != nil {
		return nil, fmt.Errorf("grants: %w", err)
	}
	defer rows.Close()
	out := map[int64][]access.Grant{}
	for rows.Next() {
		var uid int64
		var g access.Grant
		var all bool
		if err := rows.Scan(&uid, &g.Role, &g.Schools, &all); err != nil {
			return nil, fmt.Errorf("grants: %w", err)
		}
		if all {
			g.Schools = nil
		}
		out[uid] = append(out[uid], g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("grants: %w", err)
	}
	for uid, gs := range out {
		out[uid] = sortGrants(gs)
	}
	return out, nil
}

// sortGrants orders grants as access.Roles lists the roles.
func sortGrants(gs []access.Grant) []access.Grant {
	sorted := make([]access.Grant, 0, len(gs))
	for _, r := range access.Roles {
		for _, g := range gs {
			if g.Role == r {
				sorted = append(sorted, g)
			}
		}
	}
	return sorted
}

// CreateUser adds a new person with their first membership, of orgID
// (their home organisation), without a password.
func (q *Queries) CreateUser(ctx context.Context, orgID int64, email, name string) (int64, error) {
	var id int64
	err := q.db.QueryRow(ctx, `
		WITH p AS (INSERT INTO people (email, home_organisation_id) VALUES ($2, $1) RETURNING id, email)
		INSERT INTO users (organisation_id, person_id, email, name) SELECT $1, p.id, p.email, $3 FROM p RETURNING id`,
		orgID, email, name).Scan(&id)
	if code, _ := pgCode(err); code == codeUniqueViolation {
		// The same words whether the address is in this organisation or in
		// another one: an administrator must not learn who uses Lekwacht
		// elsewhere (issue 15.2). (The service adds an existing person as a
		// member instead; this is the race of two at once.)
		return 0, &apperr.Error{Kind: apperr.Invalid, Message: "Voor dit e-mailadres kan geen nieuw account worden gemaakt.",
			Fields: map[string]string{"email": "Voor dit e-mailadres kan geen nieuw account worden gemaakt. Staat het al in de lijst van gebruikers? Wijzig dan dat account."}}
	}
	if err != nil {
		return 0, fmt.Errorf("create user: %w", err)
	}
	return id, nil
}

// AddMembership makes an existing person a member of orgID (issue 11.3),
// with no roles yet.
func (q *Queries) AddMembership(ctx context.Context, orgID, personID int64, email, name string) (int64, error) {
	var id int64
	err := q.db.QueryRow(ctx, `INSERT INTO users (organisation_id, person_id, email, name) VALUES ($1, $2, $3, $4) RETURNING id`,
		orgID, personID, email, name).Scan(&id)
	if code, _ := pgCode(err); code == codeUniqueViolation {
		return 0, &apperr.Error{Kind: apperr.Invalid, Message: "Dit e-mailadres staat al in de lijst van gebruikers.",
			Fields: map[string]string{"email": "Dit e-mailadres staat al in de lijst van gebruikers van uw organisatie. Wijzig dan dat account."}}
	}
	if err != nil {
		return 0, fmt.Errorf("add membership: %w", err)
	}
	return id, nil
}

// UpdateUser changes name and active state of an account in the organisation.
func (q *Queries) UpdateUser(ctx context.Context, orgID, userID int64, name string, active bool) error {
	tag, err := q.db.Exec(ctx, `
		UPDATE users SET name = $3, active = $4,
			auth_version = auth_version + CASE WHEN active <> $4 THEN 1 ELSE 0 END
		WHERE organisation_id = $1 AND id = $2 AND NOT stand_in`, orgID, userID, name, active)
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.NotFoundf("Dit account bestaat niet.")
	}
	return nil
}

// SetGrants replaces the roles of a user and bumps its auth version, so
// sessions of that user get a fresh token.
func (q *Queries) SetGrants(ctx context.Context, orgID, userID int64, grants []access.Grant) error {
	tag, err := q.db.Exec(ctx, `UPDATE users SET auth_version = auth_version + 1 WHERE organisation_id = $1 AND id = $2`, orgID, userID)
	if err != nil {
		return fmt.Errorf("set grants: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.NotFoundf("Dit account bestaat niet.")
	}
	if _, err := q.db.Exec(ctx, `DELETE FROM user_roles WHERE organisation_id = $1 AND user_id = $2`, orgID, userID); err != nil {
		return fmt.Errorf("set grants: %w", err)
	}
	for _, g := range grants {
		if len(g.Schools) == 0 {
			_, err = q.db.Exec(ctx, `INSERT INTO user_roles (user_id, organisation_id, role) VALUES ($1, $2, $3)`, userID, orgID, g.Role)
		} else {
			_, err = q.db.Exec(ctx, `
				INSERT INTO user_roles (user_id, organisation_id, role, school_id)
				SELECT $1, $2, $3, s FROM unnest($4::bigint[]) AS s`, userID, orgID, g.Role, g.Schools)
		}
		if code, _ := pgCode(err); code == codeForeignKeyViolation {
			return &apperr.Error{Kind: apperr.Invalid, Message: "Kies alleen scholen van uw organisatie.",
				Fields: map[string]string{"roles": "Kies alleen scholen van uw organisatie."}, Err: err}
		}
		if err != nil {
			return fmt.Errorf("set grants: %w", err)
		}
	}
	return nil
}

// Users lists the accounts of an organisation with their roles.
func (q *Queries) Users(ctx context.Context, orgID int64) ([]access.Account, error) {
	rows, err := q.db.Query(ctx, `
		SELECT u.id, u.email, u.name, p.password_hash IS NOT NULL, u.active, p.home_organisation_id <> u.organisation_id
		FROM users u JOIN people p ON p.id = u.person_id
		WHERE u.organisation_id = $1 AND NOT u.stand_in ORDER BY lower(u.name), u.id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	users, err := pgx.CollectRows(rows, scanMemberRow)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	grants, err := q.grants(ctx, orgID, ids)
	if err != nil {
		return nil, err
	}
	for i := range users {
		users[i].Grants = grants[users[i].ID]
	}
	return users, nil
}

// UserInOrg loads one account of the organisation with its roles.
func (q *Queries) UserInOrg(ctx context.Context, orgID, userID int64) (access.Account, error) {
	rows, err := q.db.Query(ctx, `
		SELECT u.id, u.email, u.name, p.password_hash IS NOT NULL, u.active, p.home_organisation_id <> u.organisation_id
		FROM users u JOIN people p ON p.id = u.person_id
		WHERE u.organisation_id = $1 AND u.id = $2 AND NOT u.stand_in`, orgID, userID)
	if err != nil {
		return access.Account{}, fmt.Errorf("user: %w", err)
	}
	u, err := pgx.CollectExactlyOneRow(rows, scanMemberRow)
	if err != nil {
		return u, notFound(err, "user", "Dit account bestaat niet.")
	}
	grants, err := q.grants(ctx, orgID, []int64{userID})
	if err != nil {
		return u, err
	}
	u.Grants = grants[userID]
	return u, nil
}

func scanUserRow(r pgx.CollectableRow) (access.Account, error) {
	var u access.Account
	err := r.Scan(&u.ID, &u.Email, &u.Name, &u.HasPassword, &u.Active)
	return u, err
}

// scanMemberRow is scanUserRow with whether the person's home is another
// organisation (the administrator's list).
func scanMemberRow(r pgx.CollectableRow) (access.Account, error) {
	var u access.Account
	err := r.Scan(&u.ID, &u.Email, &u.Name, &u.HasPassword, &u.Active, &u.HomeElsewhere)
	return u, err
}

// SetPassword stores a new password hash for the person of membership
// userID, moves their session epoch on and bumps the auth version of every
// membership of theirs.
func (q *Queries) SetPassword(ctx context.Context, userID int64, hash string) error {
	_, err := q.db.Exec(ctx, `
		WITH p AS (
			UPDATE people SET password_hash = $2, session_epoch = session_epoch + 1
			WHERE id = (SELECT person_id FROM users WHERE id = $1) RETURNING id)
		UPDATE users SET auth_version = auth_version + 1 WHERE person_id IN (SELECT id FROM p)`, userID, hash)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

// SessionEpoch is the session epoch of the person of membership userID: a
// session that began in an older one was ended by a new password.
func (q *Queries) SessionEpoch(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := q.db.QueryRow(ctx, `SELECT p.session_epoch FROM users u JOIN people p ON p.id = u.person_id WHERE u.id = $1`, userID).Scan(&n); err != nil {
		return 0, notFound(err, "session epoch", "Dit account bestaat niet.")
	}
	return n, nil
}

// CreatePasswordToken stores the hash of a one-time link token.
func (q *Queries) CreatePasswordToken(ctx context.Context, userID int64, tokenHash []byte, expires time.Time) error {
	_, err := q.db.Exec(ctx, `INSERT INTO password_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`, tokenHash, userID, expires)
	if err != nil {
		return fmt.Errorf("create password token: %w", err)
	}
	return nil
}

// PasswordTokenUser returns the account a valid, unused token belongs to.
func (q *Queries) PasswordTokenUser(ctx context.Context, tokenHash []byte, now time.Time) (User, error) {
	var u User
	err := q.db.QueryRow(ctx, `
		SELECT u.id, u.organisation_id, u.email, u.name
		FROM password_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND u.active`, tokenHash, now).
		Scan(&u.ID, &u.OrganisationID, &u.Email, &u.Name)
	if err != nil {
		return u, notFound(err, "password token", "Deze link is ongeldig, al gebruikt of verlopen. Vraag de beheerder om een nieuwe link.")
	}
	return u, nil
}

// UsePasswordToken marks a token used; it fails when someone used it first.
func (q *Queries) UsePasswordToken(ctx context.Context, tokenHash []byte, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE password_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`, tokenHash, now)
	if err != nil {
		return fmt.Errorf("use password token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.NotFoundf("Deze link is ongeldig, al gebruikt of verlopen. Vraag de beheerder om een nieuwe link.")
	}
	// Older links of the same user stop working too.
	_, err = q.db.Exec(ctx, `
		UPDATE password_tokens SET used_at = $2
		WHERE used_at IS NULL AND user_id = (SELECT user_id FROM password_tokens WHERE token_hash = $1)`, tokenHash, now)
	if err != nil {
		return fmt.Errorf("use password token: %w", err)
	}
	return nil
}

// RecordSigninFailure notes one failed attempt for a key (a hash of the email).
func (q *Queries) RecordSigninFailure(ctx context.Context, keyHash []byte, at time.Time) error {
	if _, err := q.db.Exec(ctx, `INSERT INTO signin_failures (key_hash, at) VALUES ($1, $2)`, keyHash, at); err != nil {
		return fmt.Errorf("record sign-in failure: %w", err)
	}
	return nil
}

// SigninFailures counts the failures for key since a moment, and returns the latest.
func (q *Queries) SigninFailures(ctx context.Context, keyHash []byte, since time.Time) (int, time.Time, error) {
	var n int
	var last *time.Time
	err := q.db.QueryRow(ctx, `SELECT count(*), max(at) FROM signin_failures WHERE key_hash = $1 AND at > $2`, keyHash, since).Scan(&n, &last)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("sign-in failures: %w", err)
	}
	if last == nil {
		return n, time.Time{}, nil
	}
	return n, *last, nil
}

// ClearSigninFailures forgets the failures of a key after a good sign-in, and
// old failures of everyone.
func (q *Queries) ClearSigninFailures(ctx context.Context, keyHash []byte, before time.Time) error {
	_, err := q.db.Exec(ctx, `DELETE FROM signin_failures WHERE key_hash = $1 OR at < $2`, keyHash, before)
	if err != nil {
		return fmt.Errorf("clear sign-in failures: %w", err)
	}
	return nil
}

// PersonRoles lists the roles the person of membership userID holds in any
// of their active memberships (one grant per role, schools left out).
func (q *Queries) PersonRoles(ctx context.Context, userID int64) ([]access.Grant, error) {
	rows, err := q.db.Query(ctx, `
		SELECT DISTINCT r.role FROM user_roles r JOIN users m ON m.id = r.user_id AND m.organisation_id = r.organisation_id
		WHERE m.person_id = (SELECT person_id FROM users WHERE id = $1) AND m.active`, userID)
	if err != nil {
		return nil, fmt.Errorf("person roles: %w", err)
	}
	gs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (access.Grant, error) {
		var g access.Grant
		err := r.Scan(&g.Role)
		return g, err
	})
	if err != nil {
		return nil, fmt.Errorf("person roles: %w", err)
	}
	return sortGrants(gs), nil
}

// PersonMemberships lists the active memberships of the person of
// membership userID other than userID itself, the one worked in last first.
func (q *Queries) PersonMemberships(ctx context.Context, userID int64) ([]User, error) {
	rows, err := q.db.Query(ctx, `
		SELECT `+userColumns+`
		FROM users o JOIN people p ON p.id = o.person_id JOIN users u ON u.person_id = p.id
		WHERE o.id = $1 AND u.id <> $1 AND u.active
		ORDER BY u.id = p.last_user_id DESC, u.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("person memberships: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("person memberships: %w", err)
	}
	return out, nil
}
