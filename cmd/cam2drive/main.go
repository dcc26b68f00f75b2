// Command cam2drive is the whole product in one binary; see `cam2drive help`.
package main

import (
	"os"
	_ "time/tzdata" // site time zones work on hosts without a tz database

	"github.com/cam2drive/cam2drive/internal/cli"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/media/av"
)

func main() {
	if os.Getenv(media.AVWorkerEnv) == "1" {
		os.Exit(av.Main()) // started by serve's media.AVPool
	}
	os.Setenv(media.AVSelfEnv, "1") //nolint:errcheck // this binary answers as an AV worker
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
