// Package cli is the cam2drive command: its subcommands and the wiring of
// every part of the product.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/config"
)

const usage = `cam2drive — cloud recording for NVRs, DVRs and IP cameras

Usage:
  cam2drive serve            run the web app, API, ingest servers and workers
  cam2drive migrate          apply database migrations and exit
  cam2drive admin bootstrap  --email E [--password P]   create the platform operator and its admin
  cam2drive token create     --email E [--name N]       print a personal API token (last line)
  cam2drive outbox list      [--to E] [--limit N]       show mails kept in the outbox
  cam2drive demo             [--email E] [--events N]   create a demo client and upload a day of footage over FTP
  cam2drive models install   [--models-dir D]           fetch, check and convert the AI runtime and models
  cam2drive version          print the version

Every subcommand takes --data-dir and --database-url (or CAM2DRIVE_DATA_DIR,
CAM2DRIVE_DATABASE_URL). Run "cam2drive <command> -h" for its flags.
`

// Main runs the command line and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "cam2drive:", describe(err))
		return 1
	}
	return 0
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub := args[1:]
	switch args[0] {
	case "serve":
		return serve(ctx, sub, stderr)
	case "migrate":
		return migrate(ctx, sub, stdout, stderr)
	case "admin":
		if len(sub) > 0 && sub[0] == "bootstrap" {
			return bootstrap(ctx, sub[1:], stdout, stderr)
		}
	case "token":
		if len(sub) > 0 && sub[0] == "create" {
			return tokenCreate(ctx, sub[1:], stdout, stderr)
		}
	case "outbox":
		if len(sub) > 0 && sub[0] == "list" {
			return outboxList(ctx, sub[1:], stdout, stderr)
		}
	case "demo":
		return demo(ctx, sub, stdout, stderr)
	case "models":
		return modelsCmd(ctx, sub, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "cam2drive", cam2drive.Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// describe turns an error into a sentence for the operator.
func describe(err error) string {
	var e *cam2drive.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return fmt.Sprintf("%s %v", e.Code, e.Fields)
	}
	return err.Error()
}

func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func commonFlags(name string, cfg *config.Config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	config.BindCommon(fs, cfg)
	return fs
}
