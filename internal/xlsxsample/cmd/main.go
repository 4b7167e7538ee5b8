// Command cmd writes the sample datalekregister (xlsxsample.Sample) to the
// file named as its argument, for trying the import by hand:
//
//	go run ./internal/xlsxsample/cmd voorbeeld-register.xlsx
package main

import (
	"fmt"
	"os"

	"github.com/lekwacht/lekwacht/internal/xlsxsample"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/xlsxsample/cmd FILE.xlsx")
		os.Exit(2)
	}
	b, err := xlsxsample.Sample()
	if err == nil {
		err = os.WriteFile(os.Args[1], b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
