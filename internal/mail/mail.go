// Package mail renders the product's transactional e-mails (invitation,
// password reset, password changed) and delivers them over SMTP, or to the
// log when no SMTP server is configured.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// Message is one e-mail ready to send.
type Message struct {
	To, Subject, Text, HTML string
	// Link is the main call-to-action link: kept in the outbox and logged
	// when there is no SMTP server, so an operator can still hand it over.
	Link string
}

// Sender delivers a message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender is the default without SMTP: it logs the mail (to, subject, link)
// at Info so an operator running offline can follow the link.
type LogSender struct {
	Logger *slog.Logger
}

// Send logs m; it never touches the network.
func (l LogSender) Send(ctx context.Context, m Message) error {
	if l.Logger == nil {
		// Silently dropping the mail would lose the only copy of the link.
		return errors.New("mail: LogSender has no logger")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: log %q: %w", m.Subject, err)
	}
	l.Logger.InfoContext(ctx, "mail not sent (no SMTP server configured)",
		"to", m.To, "subject", m.Subject, "link", m.Link)
	return nil
}
