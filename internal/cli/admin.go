package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/auth"
	"github.com/cam2drive/cam2drive/internal/config"
)

// quietLogger keeps one-shot commands' output to what they print.
func quietLogger(cfg config.Config) *slog.Logger {
	cfg.LogLevel = "warn"
	return newLogger(cfg)
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config.Config
	if err := parse(commonFlags("migrate", &cfg), args, stderr); err != nil {
		return err
	}
	a, err := build(ctx, cfg, quietLogger(cfg), false)
	if err != nil {
		return err
	}
	defer a.close()
	fmt.Fprintf(stdout, "migrations applied (%s)\n", a.db.Dialect())
	return nil
}

func bootstrap(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config.Config
	var email, password string
	fs := commonFlags("admin bootstrap", &cfg)
	fs.StringVar(&email, "email", "", "e-mail of the platform administrator")
	fs.StringVar(&password, "password", "", "password (default: a generated one, printed once)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if email == "" {
		return fmt.Errorf("--email is required")
	}
	generated := password == ""
	if generated {
		password = auth.NewSecret()[:20]
	}
	a, err := build(ctx, cfg, quietLogger(cfg), false)
	if err != nil {
		return err
	}
	defer a.close()
	u, created, err := a.tenancy.Bootstrap(ctx, email, password)
	if err != nil {
		return err
	}
	if !created {
		fmt.Fprintf(stdout, "platform administrator %s already exists; nothing changed\n", u.Email)
		return nil
	}
	fmt.Fprintf(stdout, "platform administrator created: %s\n", u.Email)
	if generated {
		fmt.Fprintf(stdout, "password: %s\n", password)
	}
	return nil
}

func tokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config.Config
	var email, name string
	fs := commonFlags("token create", &cfg)
	fs.StringVar(&email, "email", "", "e-mail of the user the token acts as")
	fs.StringVar(&name, "name", "cli", "a name to recognise the token by")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	a, err := build(ctx, cfg, quietLogger(cfg), false)
	if err != nil {
		return err
	}
	defer a.close()
	u, err := a.db.UserByEmail(ctx, email)
	if cam2drive.IsNotFound(err) {
		return fmt.Errorf("no user with e-mail %q", email)
	}
	if err != nil {
		return err
	}
	_, secret, err := a.auth.CreateAPIToken(ctx, u, name, "cli")
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "API token for %s (shown once; revoke it from the web app):\n", u.Email)
	fmt.Fprintln(stdout, secret)
	return nil
}

func outboxList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config.Config
	var to string
	var limit int
	fs := commonFlags("outbox list", &cfg)
	fs.StringVar(&to, "to", "", "only mails to this address")
	fs.IntVar(&limit, "limit", 20, "how many mails, newest first")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	a, err := build(ctx, cfg, quietLogger(cfg), false)
	if err != nil {
		return err
	}
	defer a.close()
	mails, err := a.db.Outbox(ctx, to, limit)
	if err != nil {
		return err
	}
	for _, m := range mails {
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", m.CreatedAt.Format("2006-01-02 15:04:05"), m.To, m.Subject, m.Link)
	}
	return nil
}
