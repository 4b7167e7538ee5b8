package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// TestRecordVersionsAreNumberedAndKept: each save of the inventory or the
// repair that changes what it says is the next version, with who and when;
// saving the same again adds none; a row written without a version (as the
// import writes one) is kept as its own version before it is changed; the
// versions cannot be changed or removed, and another organisation sees none.
func TestRecordVersionsAreNumberedAndKept(t *testing.T) {
	t.Parallel()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	st, org, user, id := oneCase(t)
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	inv := incident.Inventory{Summary: "Stick kwijt", Sensitive: incident.No, BreachSuspected: incident.Yes,
		ChainShared: incident.No, CrossBorder: incident.No, DataTypes: []string{"contact"}}
	save := func(i incident.Inventory, h int) {
		t.Helper()
		if err := st.SaveInventory(ctx, org, id, user, i, at.Add(time.Duration(h)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	save(inv, 0)
	save(inv, 1) // the same again, later: no new version
	changed := inv
	changed.Summary = "Stick met adreslijst kwijt"
	save(changed, 2)
	vs, err := st.InventoryVersions(ctx, org, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Summary != inv.Summary || vs[1].Summary != changed.Summary {
		t.Fatalf("inventory versions = %+v", vs)
	}
	if vs[0].UpdatedBy != "De FG" || !vs[0].UpdatedAt.Equal(at) || !vs[1].UpdatedAt.Equal(at.Add(2*time.Hour)) {
		t.Errorf("who and when: %q %v, %v", vs[0].UpdatedBy, vs[0].UpdatedAt, vs[1].UpdatedAt)
	}

	// A repair written outside SaveRepair is kept as version 1 when it is changed.
	if err := execSQL(ctx, st, `INSERT INTO case_repairs (organisation_id, case_id, cause, technical_incidental, completed, updated_at, updated_by)
		VALUES ($1, $2, 'Uit het oude register', 'Wachtwoord gewijzigd', true, $3, $4)`, org, id, at, user); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveRepair(ctx, org, id, user, incident.Repair{Cause: "Wachtwoord gedeeld", Unintelligible: incident.No}, at.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	rs, err := st.RepairVersions(ctx, org, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Cause != "Uit het oude register" || !rs[0].Completed || rs[1].Cause != "Wachtwoord gedeeld" || rs[1].Completed {
		t.Errorf("repair versions = %+v", rs)
	}

	other := must[int64](t)(st.CreateOrganisation(ctx, "Ander bestuur"))
	if vs, err := st.InventoryVersions(ctx, other, id); err != nil || len(vs) != 0 {
		t.Errorf("versions read as another organisation: %v %v", vs, err)
	}
	if err := execSQL(ctx, st, `UPDATE case_record_versions SET data = '{}' WHERE case_id = $1`, id); err == nil {
		t.Error("a recorded version could be changed")
	}
	if err := execSQL(ctx, st, `DELETE FROM case_record_versions WHERE case_id = $1`, id); err == nil {
		t.Error("a recorded version could be removed")
	}
}

// TestConcurrentInventorySavesKeepBoth: two desk members save the inventory
// of one case at once (without the service's lock on the case row, so the
// store's own order shows): the second waits for the first and becomes the
// next version; neither is lost, no number is taken twice.
func TestConcurrentInventorySavesKeepBoth(t *testing.T) {
	t.Parallel()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	st, org, user, id := oneCase(t)
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	base := incident.Inventory{Summary: "Eerste", Sensitive: incident.No, BreachSuspected: incident.Yes,
		ChainShared: incident.No, CrossBorder: incident.No}
	if err := st.SaveInventory(ctx, org, id, user, base, at); err != nil {
		t.Fatal(err)
	}
	save := func(summary string, saved chan<- struct{}, hold <-chan struct{}) error {
		return st.Transact(ctx, func(q *store.Queries) error {
			i := base
			i.Summary = summary
			if err := q.SaveInventory(ctx, org, id, user, i, at.Add(time.Hour)); err != nil {
				return err
			}
			if saved != nil {
				close(saved)
				<-hold
			}
			return nil
		})
	}
	saved, hold, first := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() { first <- save("Tweede, van de een", saved, hold) }()
	<-saved
	second := make(chan error, 1)
	go func() { second <- save("Tweede, van de ander", nil, nil) }()
	select {
	case err := <-second:
		t.Fatalf("the second save did not wait for the first: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(hold)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatalf("second save: %v", err)
	}
	vs, err := st.InventoryVersions(ctx, org, id)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(vs))
	for i, v := range vs {
		got[i] = v.Summary
	}
	if len(vs) != 3 || got[0] != "Eerste" || got[1] != "Tweede, van de een" || got[2] != "Tweede, van de ander" {
		t.Errorf("versions after two saves at once = %q", got)
	}
}
