package mail

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestLogSenderLogsTheLink(t *testing.T) {
	var buf bytes.Buffer
	var s Sender = LogSender{Logger: slog.New(slog.NewTextHandler(&buf, nil))}
	if err := s.Send(context.Background(), testInvitation("fr", "Acme")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	for _, want := range []string{"level=INFO", "alice@example.org", testLink, "Bienvenue sur Cam2Drive"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestLogSenderWithoutLoggerFails(t *testing.T) {
	if err := (LogSender{}).Send(context.Background(), Message{To: "a@b.c"}); err == nil {
		t.Error("a LogSender without logger dropped the mail silently")
	}
}
