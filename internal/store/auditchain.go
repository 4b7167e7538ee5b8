package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The two hash chains every organisation has (migration 00036): the
// timeline of its cases and its security log.
const (
	ChainTimeline = "timeline"
	ChainSecurity = "security"
)

// ChainHead is where one of an organisation's chains stands: how many rows
// it holds and the chain hash of the last one.
type ChainHead struct {
	Chain string
	Rows  int64
	Hash  []byte
}

// ChainHeads returns the heads of an organisation's timeline and security
// chains, as they stand in the caller's snapshot. A chain without rows has
// zero rows and the all-zero hash.
func (q *Queries) ChainHeads(ctx context.Context, orgID int64) (timeline, security ChainHead, err error) {
	timeline = ChainHead{Chain: ChainTimeline, Hash: make([]byte, sha256.Size)}
	security = ChainHead{Chain: ChainSecurity, Hash: make([]byte, sha256.Size)}
	rows, err := q.db.Query(ctx, `SELECT chain, seq, hash FROM audit_chain_heads WHERE organisation_id = $1`, orgID)
	if err != nil {
		return timeline, security, fmt.Errorf("chain heads: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h ChainHead
		if err := rows.Scan(&h.Chain, &h.Rows, &h.Hash); err != nil {
			return timeline, security, fmt.Errorf("chain heads: %w", err)
		}
		switch h.Chain {
		case ChainTimeline:
			timeline = h
		case ChainSecurity:
			security = h
		}
	}
	return timeline, security, rows.Err()
}

// ChainReport is the outcome of checking one chain of one organisation.
type ChainReport struct {
	OrganisationID int64
	Organisation   string
	Chain          string
	// Rows is the number of rows checked, Head the chain hash of the last.
	Rows int64
	Head []byte
	// Break is the first row that does not fit, nil when the chain is whole.
	Break *ChainBreak
}

// ChainBreak names the first row of a chain that does not fit, and why.
type ChainBreak struct {
	Table  string // case_events or audit_log; empty when the head is wrong
	RowID  int64
	At     time.Time
	Seq    int64
	Reason string
}

// chainRow is one row as the verifier reads it.
type chainRow struct {
	id          int64
	at          time.Time
	seq         int64
	chainHash   []byte
	contentHash []byte
	wantContent []byte // recomputed from the row's fields
	textOK      bool   // the free text fits its hash (or was purged as retention does)
}

// chainLink is the chain hash of a row: SHA-256 over the previous row's
// chain hash and the row's content hash (the first row's previous is 32 zero
// bytes). The database computes the same in audit_chain_append; this one is
// computed apart from it, so the verifier does not trust the database's sums.
func chainLink(prev, content []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(content)
	return h.Sum(nil)
}

// VerifyChains checks every chain of every organisation inside one
// repeatable-read snapshot: each row's content hash against its fields, its
// place (1, 2, 3, … without gaps), its chain hash against the previous row,
// and the head against the last row. It reads the rows in chain order, one
// organisation and chain at a time, and keeps one row in memory.
func (s *Store) VerifyChains(ctx context.Context) ([]ChainReport, error) {
	tx, err := begin(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("verify chains: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	q := &Queries{db: tx}
	type org struct {
		id   int64
		name string
	}
	rows, err := tx.Query(ctx, `SELECT id, name FROM organisations ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("verify chains: %w", err)
	}
	var orgs []org
	for rows.Next() {
		var o org
		if err := rows.Scan(&o.id, &o.name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("verify chains: %w", err)
		}
		orgs = append(orgs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("verify chains: %w", err)
	}
	var out []ChainReport
	for _, o := range orgs {
		timeline, security, err := q.ChainHeads(ctx, o.id)
		if err != nil {
			return nil, err
		}
		for _, c := range []struct {
			table string
			head  ChainHead
			sql   string
		}{
			{"case_events", timeline, verifyTimelineSQL},
			{"audit_log", security, verifySecuritySQL},
		} {
			r, err := q.verifyChain(ctx, o.id, c.table, c.head, c.sql)
			if err != nil {
				return nil, err
			}
			r.Organisation = o.name
			out = append(out, r)
		}
	}
	return out, nil
}

// verifyTimelineSQL reads an organisation's timeline in chain order, with
// the content hash recomputed from the fields. A purged row (retention) can
// no longer show its text; it must then look exactly as the purge leaves it,
// and only on an anonymised case.
const verifyTimelineSQL = `
	SELECT e.id, e.at, e.chain_seq, e.chain_hash, e.content_hash,
	       case_event_content_hash(e.id, e.organisation_id, e.case_id, e.at, e.actor_id, e.kind, e.text_hash),
	       CASE WHEN e.purged_at IS NULL THEN case_event_text_hash(e.summary, e.details) = e.text_hash
	            ELSE e.summary = $2 AND c.anonymised_at IS NOT NULL
	                 AND NOT EXISTS (SELECT 1 FROM jsonb_object_keys(e.details) k WHERE k NOT IN ('action', 'from', 'to'))
	       END
	FROM case_events e LEFT JOIN cases c ON c.organisation_id = e.organisation_id AND c.id = e.case_id
	WHERE e.organisation_id = $1
	ORDER BY e.chain_seq`

// verifySecuritySQL reads an organisation's security log in chain order.
const verifySecuritySQL = `
	SELECT a.id, a.at, a.chain_seq, a.chain_hash, a.content_hash,
	       audit_log_content_hash(a.id, a.organisation_id, a.at, a.actor_id, a.action, a.subject_id, a.details, a.address, a.case_id),
	       $2::text IS NOT NULL
	FROM audit_log a
	WHERE a.organisation_id = $1
	ORDER BY a.chain_seq`

func (q *Queries) verifyChain(ctx context.Context, orgID int64, table string, head ChainHead, sql string) (ChainReport, error) {
	r := ChainReport{OrganisationID: orgID, Chain: head.Chain}
	rows, err := q.db.Query(ctx, sql, orgID, Removed)
	if err != nil {
		return r, fmt.Errorf("verify chain: %w", err)
	}
	defer rows.Close()
	prev := make([]byte, sha256.Size)
	var last chainRow
	for rows.Next() {
		var row chainRow
		if err := rows.Scan(&row.id, &row.at, &row.seq, &row.chainHash, &row.contentHash, &row.wantContent, &row.textOK); err != nil {
			return r, fmt.Errorf("verify chain: %w", err)
		}
		r.Rows++
		broken := func(reason string) {
			r.Break = &ChainBreak{Table: table, RowID: row.id, At: row.at, Seq: row.seq, Reason: reason}
		}
		switch {
		case row.seq != r.Rows:
			broken(fmt.Sprintf("regel %d van de keten ontbreekt (deze regel staat op plaats %d)", r.Rows, row.seq))
		case !row.textOK:
			broken("de tekst van de regel is gewijzigd")
		case !bytes.Equal(row.wantContent, row.contentHash):
			broken("de inhoud van de regel is gewijzigd")
		case !bytes.Equal(chainLink(prev, row.contentHash), row.chainHash):
			broken("de ketenhash klopt niet met de vorige regel")
		}
		if r.Break != nil {
			rows.Close()
			return r, nil
		}
		prev, last = row.chainHash, row
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("verify chain: %w", err)
	}
	r.Head = prev
	if head.Rows != r.Rows || !bytes.Equal(head.Hash, prev) {
		r.Break = &ChainBreak{Table: table, RowID: last.id, At: last.at, Seq: last.seq,
			Reason: fmt.Sprintf("de kop van de keten (%d regels) past niet bij de laatste regel (%d regels): regels verwijderd of toegevoegd buiten de keten", head.Rows, r.Rows)}
	}
	return r, nil
}

// ChainHashAt returns the chain hash of row seq of an organisation's chain,
// to hold a head written down earlier (a printed dossier) against the chain
// as it is now; ok is false when the chain has no such row.
func (q *Queries) ChainHashAt(ctx context.Context, orgID int64, chain string, seq int64) (hash []byte, ok bool, err error) {
	table := "case_events"
	if chain == ChainSecurity {
		table = "audit_log"
	}
	err = q.db.QueryRow(ctx, `SELECT chain_hash FROM `+table+` WHERE organisation_id = $1 AND chain_seq = $2`, orgID, seq).Scan(&hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("chain hash at: %w", err)
	}
	return hash, true, nil
}
