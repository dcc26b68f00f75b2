package mail

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"time"
)

// errHeaderInjection is returned when a header value would smuggle in
// extra headers (or recipients) through CR/LF.
var errHeaderInjection = errors.New("mail: line break in header")

// compose builds the RFC 5322 message for m: multipart/alternative with a
// text/plain and a text/html part, both UTF-8 and quoted-printable so the
// message is 7-bit clean for any relay. It returns the envelope recipient.
func compose(m Message, from *netmail.Address, now time.Time) (data []byte, rcpt string, err error) {
	if strings.ContainsAny(m.To, "\r\n") || strings.ContainsAny(m.Subject, "\r\n") {
		return nil, "", errHeaderInjection
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return nil, "", fmt.Errorf("mail: recipient %q: %w", m.To, err)
	}
	var buf bytes.Buffer
	body := multipart.NewWriter(&buf)
	writeHeaders(&buf, []string{
		"From", from.String(),
		"To", to.String(),
		"Subject", encodeSubject(m.Subject),
		"Date", now.Format(time.RFC1123Z),
		"Message-ID", "<" + rand.Text() + "@" + domainOf(from.Address) + ">",
		"MIME-Version", "1.0",
		// Tells auto-responders (vacation replies) not to answer a robot.
		"Auto-Submitted", "auto-generated",
		"Content-Type", `multipart/alternative; boundary="` + body.Boundary() + `"`,
	})
	if err := writePart(body, "text/plain", m.Text); err != nil {
		return nil, "", err
	}
	if err := writePart(body, "text/html", m.HTML); err != nil {
		return nil, "", err
	}
	if err := body.Close(); err != nil {
		return nil, "", fmt.Errorf("mail: close multipart: %w", err)
	}
	return buf.Bytes(), to.Address, nil
}

// writeHeaders writes key/value pairs in order (order matters to humans
// reading raw mail, so no map) followed by the blank line ending the header.
func writeHeaders(buf *bytes.Buffer, kv []string) {
	for i := 0; i+1 < len(kv); i += 2 {
		buf.WriteString(kv[i] + ": " + kv[i+1] + "\r\n")
	}
	buf.WriteString("\r\n")
}

func writePart(w *multipart.Writer, contentType, content string) error {
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", contentType+"; charset=utf-8")
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	part, err := w.CreatePart(h)
	if err != nil {
		return fmt.Errorf("mail: %s part: %w", contentType, err)
	}
	qp := quotedprintable.NewWriter(part)
	if _, err := qp.Write([]byte(content)); err != nil {
		return fmt.Errorf("mail: %s part: %w", contentType, err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("mail: %s part: %w", contentType, err)
	}
	return nil
}

// encodeSubject Q-encodes a non-ASCII subject and folds the encoded words
// onto separate lines so no header line grows past what relays accept.
func encodeSubject(s string) string {
	encoded := mime.QEncoding.Encode("utf-8", s)
	if encoded == s {
		return s
	}
	return strings.ReplaceAll(encoded, "?= =?", "?=\r\n =?")
}

// domainOf returns what follows the last "@" of an address.
func domainOf(addr string) string {
	return addr[strings.LastIndex(addr, "@")+1:]
}
