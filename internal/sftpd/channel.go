package sftpd

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/cam2drive/cam2drive/internal/ingest"
)

// maxSessions bounds the SFTP sessions one connection holds at once:
// recorders use one, and each costs a few goroutines.
const maxSessions = 8

const shellRefusal = "cam2drive: this server only accepts SFTP uploads (the \"sftp\" subsystem); shell and command execution are not available.\r\n"

// serveChannels serves a connection's channels until it closes: "session"
// channels running the "sftp" subsystem; every other kind is rejected.
func serveChannels(ctx context.Context, se *ingest.Session, log *slog.Logger, chans <-chan ssh.NewChannel) {
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, maxSessions)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "only SFTP sessions are accepted")
			continue
		}
		select {
		case slots <- struct{}{}:
		default:
			_ = nc.Reject(ssh.ResourceShortage, "too many sessions on this connection")
			continue
		}
		ch, reqs, err := nc.Accept()
		if err != nil {
			<-slots
			continue
		}
		wg.Go(func() {
			defer func() { <-slots }()
			serveSession(ctx, se, log, ch, reqs)
		})
	}
}

// serveSession answers a session channel's requests until the client asks
// for the sftp subsystem, then serves SFTP on it until it closes. A shell
// or a command is answered with a clear message and exit status 1.
func serveSession(ctx context.Context, se *ingest.Session, log *slog.Logger, ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	for req := range reqs {
		switch {
		case req.Type == "subsystem" && subsystem(req.Payload) == "sftp":
			_ = req.Reply(true, nil)
			var wg sync.WaitGroup
			wg.Go(func() { ssh.DiscardRequests(reqs) }) // ends when the channel closes
			serveSFTP(ctx, se, log, ch)
			ch.Close()
			wg.Wait()
			return
		case req.Type == "shell" || req.Type == "exec":
			_ = req.Reply(true, nil)
			_, _ = io.WriteString(ch.Stderr(), shellRefusal)
			_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{1}))
			return
		default: // pty-req, env, x11-req, another subsystem…
			_ = req.Reply(false, nil)
		}
	}
}

func serveSFTP(ctx context.Context, se *ingest.Session, log *slog.Logger, ch ssh.Channel) {
	h := &handlers{ctx: ctx, se: se, log: log}
	rs := sftp.NewRequestServer(ch, h.sftpHandlers())
	err := rs.Serve()
	if err != nil && !errors.Is(err, io.EOF) {
		log.Debug("sftp session ended", "err", err)
	}
}

// subsystem reads the name in a "subsystem" request's payload.
func subsystem(payload []byte) string {
	var p struct{ Name string }
	if ssh.Unmarshal(payload, &p) != nil {
		return ""
	}
	return p.Name
}
