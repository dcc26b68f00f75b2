// Command cam2drive is the whole product in one binary; see `cam2drive help`.
package main

import (
	"os"
	_ "time/tzdata" // site time zones work on hosts without a tz database

	"github.com/cam2drive/cam2drive/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
