// Package notify turns account events into e-mails: it renders them, keeps
// them in the outbox within the caller's transaction, and queues their
// delivery, which a River worker performs with retries.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/jobs"
	"github.com/cam2drive/cam2drive/internal/mail"
	"github.com/cam2drive/cam2drive/internal/store"
)

// Notifier renders and queues the account e-mails.
type Notifier struct {
	templates *mail.Templates
	queue     *jobs.Queue
	publicURL string
}

// New builds a notifier whose links point at publicURL (e.g. "https://cloud.example.com").
func New(templates *mail.Templates, queue *jobs.Queue, publicURL string) *Notifier {
	return &Notifier{templates: templates, queue: queue, publicURL: strings.TrimRight(publicURL, "/")}
}

// link builds a set-password URL; lang lets the page speak the language the
// mail was written in before anyone is signed in.
func (n *Notifier) link(path, token, lang string) string {
	return n.publicURL + path + "?token=" + url.QueryEscape(token) + "&lang=" + url.QueryEscape(lang)
}

// Invitation mails the set-password link of a new account.
func (n *Notifier) Invitation(ctx context.Context, tx *store.Tx, u cam2drive.User, orgName, invitedBy, token string, ttl time.Duration) error {
	m := n.templates.Invitation(u.Preferences.Language, mail.Invitation{
		Email: u.Email, OrgName: orgName, InvitedBy: invitedBy, Link: n.link("/set-password", token, u.Preferences.Language), Expires: ttl})
	return n.queueMail(ctx, tx, m)
}

// PasswordReset mails a link to choose a new password.
func (n *Notifier) PasswordReset(ctx context.Context, tx *store.Tx, u cam2drive.User, token string, ttl time.Duration) error {
	m := n.templates.PasswordReset(u.Preferences.Language, mail.PasswordReset{
		Email: u.Email, Link: n.link("/set-password", token, u.Preferences.Language), Expires: ttl})
	return n.queueMail(ctx, tx, m)
}

// PasswordChanged tells the account owner their password changed.
func (n *Notifier) PasswordChanged(ctx context.Context, tx *store.Tx, u cam2drive.User, at time.Time) error {
	m := n.templates.PasswordChanged(u.Preferences.Language, mail.PasswordChanged{
		Email: u.Email, LoginURL: n.publicURL + "/forgot-password", When: at})
	return n.queueMail(ctx, tx, m)
}

func (n *Notifier) queueMail(ctx context.Context, tx *store.Tx, m mail.Message) error {
	rec := store.Mail{To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML, Link: m.Link}
	if err := tx.AddMail(ctx, &rec); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return n.queue.InsertTx(ctx, tx, SendMailArgs{MailID: rec.ID}, &river.InsertOpts{MaxAttempts: 10})
}

// SendMailArgs is the job that delivers one outbox mail.
type SendMailArgs struct {
	MailID string `json:"mail_id"`
}

// Kind names the job for River.
func (SendMailArgs) Kind() string { return "send_mail" }

// MailWorker delivers outbox mails through a sender (SMTP, or the log).
type MailWorker struct {
	river.WorkerDefaults[SendMailArgs]
	DB     *store.DB
	Sender mail.Sender
	Log    *slog.Logger
}

// Work sends the mail once: a mail already sent is not sent again on retry.
func (w *MailWorker) Work(ctx context.Context, job *river.Job[SendMailArgs]) error {
	m, err := w.DB.Mail(ctx, job.Args.MailID)
	if cam2drive.IsNotFound(err) {
		return river.JobCancel(fmt.Errorf("mail %s is gone", job.Args.MailID))
	}
	if err != nil {
		return err
	}
	if !m.SentAt.IsZero() && m.Error == "" {
		return nil
	}
	sendErr := w.Sender.Send(ctx, mail.Message{To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML, Link: m.Link})
	msg := ""
	if sendErr != nil {
		msg = sendErr.Error()
		w.Log.Warn("mail not sent", "to", m.To, "attempt", job.Attempt, "err", sendErr)
	}
	if err := w.DB.MarkMailSent(ctx, m.ID, time.Now(), msg); err != nil {
		return err
	}
	return sendErr
}

// Timeout bounds one delivery attempt.
func (w *MailWorker) Timeout(*river.Job[SendMailArgs]) time.Duration { return time.Minute }
