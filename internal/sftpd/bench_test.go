package sftpd_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/sftpd"
)

// Run with: go test ./internal/sftpd -run '^$' -bench . -benchtime 5x
// (a few iterations: every one is a full burst of uploads).

// uniquePath names the k-th upload of a benchmark: a Dahua path with its
// own time, so no upload is a duplicate of another.
func uniquePath(k int, ext string) string {
	t := time.Date(2019, 5, 9, 0, 0, 0, 0, time.UTC).Add(time.Duration(k) * time.Second)
	if ext == "dav" {
		return fmt.Sprintf("bench/%s/001/dav/%02d/%s-%s[M][0@0][0].dav", t.Format("2006-01-02"), t.Hour(),
			t.Format("15.04.05"), t.Add(time.Minute).Format("15.04.05"))
	}
	return fmt.Sprintf("bench/%s/001/jpg/%02d/%s[M][0@0][0].jpg", t.Format("2006-01-02"), t.Hour(), t.Format("15.04.05"))
}

func benchFixture(b *testing.B) (*ingesttest.Fixture, *server) {
	f := ingesttest.New(b, ingesttest.Options{DiskBytes: 10_000 * cam2drive.GB})
	return f, start(b, f, sftpd.Config{})
}

// parallel runs n workers at once, each told its index.
func parallel(b *testing.B, n int, work func(worker int) error) {
	var g errgroup.Group
	for w := range n {
		g.Go(func() error { return work(w) })
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
}

// 64 recorders each connect, log in and upload one 4 MiB clip at once.
func BenchmarkParallel64x4MiB(b *testing.B) {
	const sessions, size = 64, 4 << 20
	f, s := benchFixture(b)
	data := clip(1, size)
	b.SetBytes(sessions * size)
	k := 0
	for b.Loop() {
		parallel(b, sessions, func(w int) error {
			c, err := dialConfig(s.Addr().String(), clientConfig(f.Username, f.Password))
			if err != nil {
				return err
			}
			defer c.Close()
			return c.put(uniquePath(k+w, "dav"), data)
		})
		k += sessions
	}
}

// 32 recorders, logged in once, upload 200 KB snapshots in a loop.
func BenchmarkSnapshots32Sessions(b *testing.B) {
	benchSnapshots(b, false)
}

// The same with a new connection and login for every file, as many
// recorders do.
func BenchmarkSnapshots32NewConnectionEach(b *testing.B) {
	benchSnapshots(b, true)
}

func benchSnapshots(b *testing.B, reconnect bool) {
	const sessions, perSession = 32, 32
	f, s := benchFixture(b)
	data := snapshot(b, 1, 200_000)
	clients := make([]*client, sessions)
	for i := range clients {
		if !reconnect {
			clients[i] = dial(b, s, f)
		}
	}
	b.SetBytes(int64(sessions * perSession * len(data)))
	k, began := 0, time.Now()
	for b.Loop() {
		parallel(b, sessions, func(w int) error {
			c := clients[w]
			for i := range perSession {
				if reconnect {
					var err error
					if c, err = dialConfig(s.Addr().String(), clientConfig(f.Username, f.Password)); err != nil {
						return err
					}
				}
				err := c.put(uniquePath(k+w*perSession+i, "jpg"), data)
				if reconnect {
					c.Close()
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		k += sessions * perSession
	}
	b.ReportMetric(float64(k)/time.Since(began).Seconds(), "files/s")
	if n := len(f.Recordings(b)); n < min(k, 500) {
		b.Fatalf("%d recordings for %d uploads", n, k)
	}
}

// The same 200 KB snapshots straight into ingest, without SFTP: the
// baseline that shows what the protocol costs.
func BenchmarkSnapshots32IngestOnly(b *testing.B) {
	const sessions, perSession = 32, 32
	f, _ := benchFixture(b)
	data := snapshot(b, 1, 200_000)
	ctx := context.Background()
	b.SetBytes(int64(sessions * perSession * len(data)))
	k, began := 0, time.Now()
	for b.Loop() {
		parallel(b, sessions, func(w int) error {
			se, err := f.Service.Login(ctx, f.Username, f.Password, "127.0.0.1")
			if err != nil {
				return err
			}
			defer se.Close()
			for i := range perSession {
				up, err := se.Create(ctx, uniquePath(k+w*perSession+i, "jpg"), 0, false)
				if err != nil {
					return err
				}
				if _, err := up.Write(data); err != nil {
					return err
				}
				if err := up.Commit(ctx); err != nil {
					return err
				}
			}
			return nil
		})
		k += sessions * perSession
	}
	b.ReportMetric(float64(k)/time.Since(began).Seconds(), "files/s")
}
