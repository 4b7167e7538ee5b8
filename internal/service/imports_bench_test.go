package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
	"github.com/lekwacht/lekwacht/internal/xlsxsample"
)

// BenchmarkImport measures an import of a register of 1000 rows, from the
// upload to the committed transaction (a fresh organisation per iteration,
// so that every row is new):
//
//	go test ./internal/service/ -run '^$' -bench BenchmarkImport -benchtime 3x
func BenchmarkImport(b *testing.B) {
	ctx := context.Background()
	st := store.New(testdb.New(b))
	svc := service.New(service.Deps{Store: st, Now: func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, amsterdam) }, Location: amsterdam})
	rows := [][]any{registerHeaders}
	for i := range 1000 {
		rows = append(rows, []any{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%600), fmt.Sprintf("Incident nummer %d", i),
			"Melder", "School", "namen", "Oorzaak", "Maatregel", "ja", "ja", fmt.Sprintf("M-%d", i), "", "nee"})
	}
	data := xlsxsample.Build(b, xlsxsample.Sheet{Name: "Register", Rows: rows})
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		org, err := st.CreateOrganisation(ctx, fmt.Sprintf("Bestuur %d", i))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.CreateSchool(ctx, org, "School"); err != nil {
			b.Fatal(err)
		}
		uid, err := st.CreateUser(ctx, org, fmt.Sprintf("desk%d@example.nl", i), "Meldpunt")
		if err != nil {
			b.Fatal(err)
		}
		if err := st.SetGrants(ctx, org, uid, []access.Grant{{Role: access.Desk}}); err != nil {
			b.Fatal(err)
		}
		a, _, err := st.Actor(ctx, uid)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		id, err := svc.Incidents.UploadImport(ctx, a, service.ImportUpload{Filename: "r.xlsx", Data: data})
		if err != nil {
			b.Fatal(err)
		}
		v, err := svc.Incidents.ImportSheet(ctx, a, id, "")
		if err != nil {
			b.Fatal(err)
		}
		fields := make([]string, len(v.Mapping))
		for j, f := range v.Mapping {
			fields[j] = string(f)
		}
		if err := svc.Incidents.SaveImportMapping(ctx, a, id, v.Sheet, fields); err != nil {
			b.Fatal(err)
		}
		if _, err := svc.Incidents.ImportPreview(ctx, a, id); err != nil {
			b.Fatal(err)
		}
		res, err := svc.Incidents.RunImport(ctx, a, id)
		if err != nil || res.Created != 1000 {
			b.Fatalf("%+v %v", res, err)
		}
	}
}
