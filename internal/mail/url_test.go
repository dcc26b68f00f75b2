package mail

import (
	"strings"
	"testing"
)

func TestNewSMTPParsesURL(t *testing.T) {
	tests := []struct {
		url         string
		addr, from  string
		implicitTLS bool
		startTLS    tlsMode
		user        string
		skipVerify  bool
	}{
		{url: "smtp://mail.example.com", addr: "mail.example.com:587",
			from: `"Cam2Drive" <no-reply@mail.example.com>`, startTLS: startTLSAuto},
		{url: "smtp://mail.example.com:25?starttls=never", addr: "mail.example.com:25",
			from: `"Cam2Drive" <no-reply@mail.example.com>`, startTLS: startTLSNever},
		{url: "smtps://u%40x:p@mail.example.com", addr: "mail.example.com:465", implicitTLS: true,
			from: `"Cam2Drive" <no-reply@mail.example.com>`, startTLS: startTLSAuto, user: "u@x"},
		{url: "smtp://mail.example.com:2525?from=alerts%40cam.example.com&starttls=always&insecure_skip_verify=1",
			addr: "mail.example.com:2525", from: "<alerts@cam.example.com>", startTLS: startTLSAlways, skipVerify: true},
		{url: "smtp://[::1]:25?from=Vid%C3%A9o+%3Cv%40example.com%3E", addr: "[::1]:25",
			from: "=?utf-8?q?Vid=C3=A9o?= <v@example.com>", startTLS: startTLSAuto},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			s, err := NewSMTP(tt.url, nil)
			if err != nil {
				t.Fatalf("NewSMTP: %v", err)
			}
			if s.addr != tt.addr || s.from.String() != tt.from || s.implicitTLS != tt.implicitTLS ||
				s.startTLS != tt.startTLS || s.user != tt.user || s.tlsConfig.InsecureSkipVerify != tt.skipVerify {
				t.Errorf("got addr=%s from=%s implicitTLS=%v starttls=%s user=%q skip=%v",
					s.addr, s.from, s.implicitTLS, s.startTLS, s.user, s.tlsConfig.InsecureSkipVerify)
			}
		})
	}
}

func TestNewSMTPRejectsBadURL(t *testing.T) {
	for _, u := range []string{
		"http://mail.example.com",
		"smtp://",
		"smtp://mail.example.com?starttls=maybe",
		"smtp://mail.example.com?insecure_skip_verify=perhaps",
		"smtp://mail.example.com?form=a%40b.c", // typo must not pass silently
		"smtp://mail.example.com?from=not-an-address",
		"smtp://mail.example.com:notaport",
	} {
		if _, err := NewSMTP(u, nil); err == nil {
			t.Errorf("NewSMTP(%q) accepted a bad URL", u)
		}
	}
}

func TestSMTPStringRedactsPassword(t *testing.T) {
	s, err := NewSMTP("smtps://relay:hunter2@mail.example.com?from=a%40b.c", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := s.String()
	if strings.Contains(got, "hunter2") || !strings.Contains(got, "relay:") || !strings.Contains(got, "mail.example.com") {
		t.Errorf("String() = %q, want the URL without the password", got)
	}
	if _, err := NewSMTP("smtp://relay:hunter2@mail.example.com?starttls=oops", nil); err == nil ||
		strings.Contains(err.Error(), "hunter2") {
		t.Errorf("parse error leaks the password: %v", err)
	}
}
