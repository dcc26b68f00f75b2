package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkIdleRecorders holds 1,000 logged-in FTP recorders on a real
// `cam2drive serve` (child process) and reports its resident memory.
// Run: go test ./internal/cli -run '^$' -bench IdleRecorders -benchtime 1x
func BenchmarkIdleRecorders(b *testing.B) {
	const conns = 1000
	w := newWorld(b)
	addr := freePortB(b)
	args, _ := json.Marshal([]string{"serve", "--data-dir", w.dir, "--roles", "ftp", "--ftp-addr", addr, "--log-level", "warn",
		"--max-conns-per-ip", strconv.Itoa(conns + 10)})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CAM2DRIVE_CLI_ARGS="+string(args))
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	waitPort(b, addr)
	for range b.N {
		held := make([]net.Conn, 0, conns)
		for i := range conns {
			c, err := idleLogin(addr, w.user, w.pass)
			if err != nil {
				b.Fatalf("connection %d: %v", i, err)
			}
			held = append(held, c)
		}
		time.Sleep(time.Second)
		b.ReportMetric(float64(rssKB(b, cmd.Process.Pid))/1024, "MB_rss")
		for _, c := range held {
			c.Close()
		}
	}
}

func freePortB(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitPort(b *testing.B, addr string) {
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
	}
	b.Fatal("server did not start")
}

// idleLogin opens a control connection and logs in, then leaves it idle.
func idleLogin(addr, user, pass string) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(c)
	for _, step := range [][2]string{{"", "220"}, {"USER " + user, "331"}, {"PASS " + pass, "230"}} {
		if step[0] != "" {
			fmt.Fprintf(c, "%s\r\n", step[0])
		}
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				c.Close()
				return nil, err
			}
			if len(l) >= 4 && l[3] == ' ' {
				if !strings.HasPrefix(l, step[1]) {
					c.Close()
					return nil, fmt.Errorf("%q", l)
				}
				break
			}
		}
	}
	return c, nil
}

func rssKB(b *testing.B, pid int) int {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
