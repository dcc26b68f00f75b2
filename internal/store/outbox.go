package store

import (
	"context"
	"time"

	"github.com/cam2drive/cam2drive"
)

// Mail is one e-mail of the outbox.
type Mail struct {
	ID        string
	To        string
	Subject   string
	Text      string
	HTML      string
	Link      string // the main link of the mail, shown to operators without SMTP
	CreatedAt time.Time
	SentAt    time.Time
	Error     string
}

// AddMail stores a mail in the outbox (inside the transaction that caused it).
func (tx *Tx) AddMail(ctx context.Context, m *Mail) error {
	m.ID = cam2drive.NewID()
	m.CreatedAt = time.Now().UTC()
	_, err := tx.q.exec(ctx, `INSERT INTO outbox (id, recipient, subject, body_text, body_html, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.To, m.Subject, m.Text, m.HTML, m.Link, ms(m.CreatedAt))
	return err
}

// Mail returns one mail of the outbox.
func (db *DB) Mail(ctx context.Context, id string) (Mail, error) {
	return scanMail(db.read().queryRow(ctx, `SELECT `+mailCols+` FROM outbox WHERE id = ?`, id))
}

const mailCols = `id, recipient, subject, body_text, body_html, link, created_at, sent_at, error`

func scanMail(r row) (Mail, error) {
	var m Mail
	var c, s int64
	err := r.Scan(&m.ID, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Link, &c, &s, &m.Error)
	m.CreatedAt, m.SentAt = fromMS(c), fromMS(s)
	return m, err
}

// Outbox lists the latest mails, newest first, optionally for one recipient.
func (db *DB) Outbox(ctx context.Context, recipient string, limit int) ([]Mail, error) {
	query, args := `SELECT `+mailCols+` FROM outbox`, []any{}
	if recipient != "" {
		query += ` WHERE recipient = ?`
		args = append(args, NormalizeEmail(recipient))
	}
	rs, err := db.read().query(ctx, query+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	return collect(rs, err, scanMail)
}

// MarkMailSent records the result of a delivery attempt.
func (db *DB) MarkMailSent(ctx context.Context, id string, at time.Time, sendErr string) error {
	_, err := db.write().exec(ctx, `UPDATE outbox SET sent_at = ?, error = ? WHERE id = ?`, ms(at), sendErr, id)
	return err
}
