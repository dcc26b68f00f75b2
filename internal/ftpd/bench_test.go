package ftpd_test

// Benchmarks with real FTP connections on loopback, to compare with vsftpd
// (see the product spec NVR-UPLOADS.md, "Speed"):
//
//	go test ./internal/ftpd -run '^$' -bench . -benchtime 5x
//
// MB/s comes from SetBytes; files/s is reported as a metric.

import (
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ftpd"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
)

// BenchmarkFTPUpload4MiB64Conns: 64 clients at once, each connecting,
// logging in and storing one 4 MiB JPEG-valid file.
func BenchmarkFTPUpload4MiB64Conns(b *testing.B) {
	f := ingesttest.New(b, ingesttest.Options{DiskBytes: 64 * cam2drive.GB, Overwrite: true})
	s := server(b, f, ftpd.Config{})
	data := jpegOf(b, 1, 4<<20)
	var seq atomic.Int64
	b.SetBytes(int64(64 * len(data)))
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		parallel(b, 64, func(int) error {
			c, err := benchDial(s.Addr(), f.Username, f.Password)
			if err != nil {
				return err
			}
			defer c.quit()
			return c.stor(benchPath(seq.Add(1)), data)
		})
	}
	b.ReportMetric(float64(64*b.N)/time.Since(start).Seconds(), "files/s")
	checkCount(b, f, int(seq.Load()))
}

// BenchmarkFTPSnapshots100Conns: 100 clients each storing 200 KB JPEGs,
// over connections kept open or with a new connection per file (what
// most recorders do).
func BenchmarkFTPSnapshots100Conns(b *testing.B) {
	for _, persistent := range []bool{true, false} {
		b.Run(map[bool]string{true: "persistent", false: "connection-per-file"}[persistent], func(b *testing.B) {
			f := ingesttest.New(b, ingesttest.Options{DiskBytes: 64 * cam2drive.GB, Overwrite: true})
			s := server(b, f, ftpd.Config{})
			data := jpegOf(b, 2, 200_000)
			conns := make([]*benchConn, 100)
			if persistent {
				for i := range conns {
					c, err := benchDial(s.Addr(), f.Username, f.Password)
					if err != nil {
						b.Fatal(err)
					}
					defer c.quit()
					conns[i] = c
				}
			}
			var seq atomic.Int64
			b.SetBytes(int64(100 * len(data)))
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				parallel(b, 100, func(i int) error {
					c := conns[i]
					if c == nil {
						var err error
						if c, err = benchDial(s.Addr(), f.Username, f.Password); err != nil {
							return err
						}
						defer c.quit()
					}
					return c.stor(benchPath(seq.Add(1)), data)
				})
			}
			b.ReportMetric(float64(100*b.N)/time.Since(start).Seconds(), "files/s")
			b.StopTimer()
			checkCount(b, f, int(seq.Load()))
		})
	}
}

// parallel runs fn n times at once and fails the benchmark on an error.
func parallel(b *testing.B, n int, fn func(i int) error) {
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		b.Fatal(err)
	}
}

// checkCount makes sure every upload became a recording (with overwrite
// on, none is evicted at these sizes).
func checkCount(b *testing.B, f *ingesttest.Fixture, want int) {
	b.Helper()
	if got := len(f.Recordings(b)); got != min(want, 500) {
		b.Fatalf("%d recordings, want %d", got, min(want, 500))
	}
}

// benchPath gives each upload its own Dahua path, one second apart, over
// the four channels.
func benchPath(i int64) string {
	t := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
	return fmt.Sprintf("bench/SN/%s/%03d/jpg/%s[M][0@0][0].jpg", t.Format("2006-01-02"), i%4+1, t.Format("15/04/05"))
}

// benchConn is a minimal FTP client usable from many goroutines (the test
// client of the other tests fails the test from its own goroutine).
type benchConn struct {
	c  net.Conn
	tp *textproto.Conn
}

func benchDial(addr net.Addr, user, pass string) (*benchConn, error) {
	c, err := net.DialTimeout("tcp", addr.String(), 10*time.Second)
	if err != nil {
		return nil, err
	}
	bc := &benchConn{c: c, tp: textproto.NewConn(c)}
	if _, _, err := bc.tp.ReadResponse(220); err != nil {
		c.Close()
		return nil, err
	}
	if _, err := bc.cmd(331, "USER "+user); err != nil {
		c.Close()
		return nil, err
	}
	if _, err := bc.cmd(230, "PASS "+pass); err != nil {
		c.Close()
		return nil, err
	}
	return bc, nil
}

func (bc *benchConn) cmd(want int, line string) (string, error) {
	if err := bc.tp.PrintfLine("%s", line); err != nil {
		return "", err
	}
	_, msg, err := bc.tp.ReadResponse(want)
	if err != nil {
		return "", fmt.Errorf("%s: %w", line, err)
	}
	return msg, nil
}

func (bc *benchConn) stor(path string, data []byte) error {
	msg, err := bc.cmd(227, "PASV")
	if err != nil {
		return err
	}
	f := strings.Split(msg[strings.Index(msg, "(")+1:strings.Index(msg, ")")], ",")
	p1, _ := strconv.Atoi(f[4])
	p2, _ := strconv.Atoi(f[5])
	d, err := net.DialTimeout("tcp", fmt.Sprintf("%s:%d", strings.Join(f[:4], "."), p1*256+p2), 10*time.Second)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := bc.cmd(150, "STOR "+path); err != nil {
		return err
	}
	if _, err := d.Write(data); err != nil {
		return err
	}
	d.Close()
	_, _, err = bc.tp.ReadResponse(226)
	return err
}

func (bc *benchConn) quit() {
	bc.cmd(221, "QUIT") //nolint:errcheck // closing anyway
	bc.c.Close()
}

// BenchmarkDisk64x4MiBFsync is the baseline the FTP figure is compared
// with in the same run: 64 writers at once, each writing and fsyncing one
// 4 MiB file on the disk the ingest fixture uses (the test's temp dir).
func BenchmarkDisk64x4MiBFsync(b *testing.B) {
	dir := b.TempDir()
	data := jpegOf(b, 3, 4<<20)
	var seq atomic.Int64
	b.SetBytes(int64(64 * len(data)))
	b.ResetTimer()
	for range b.N {
		parallel(b, 64, func(int) error {
			f, err := os.Create(filepath.Join(dir, strconv.FormatInt(seq.Add(1), 10)))
			if err != nil {
				return err
			}
			if _, err := f.Write(data); err != nil {
				f.Close()
				return err
			}
			return errors.Join(f.Sync(), f.Close())
		})
	}
}
