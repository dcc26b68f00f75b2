package pretrained

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

//go:embed tfjs2onnx.py
var converterScript []byte

// Installer fills a models dir. Every download is checked against the
// catalogue's pinned checksums before it is used; what is already there and
// still matches is kept.
type Installer struct {
	Dir      string
	Registry string       // npm registry; "" = https://registry.npmjs.org
	Client   *http.Client // nil = a client with a 10-minute timeout
	Python   string       // "" = /usr/bin/python3 when present (Debian's, with python3-onnx), else python3
	Progress io.Writer    // steps and bytes downloaded; nil = quiet
	// Downloads, when set, keeps each tarball for the next model from the
	// same package (the HOLO4 models share the detector's) until its Remove;
	// nil = each install downloads and removes its own.
	Downloads *Downloads
}

// Downloads is the tarballs one run of installs fetched, by integrity.
type Downloads struct {
	mu    sync.Mutex
	paths map[string]string
}

// Remove deletes the kept tarballs.
func (d *Downloads) Remove() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, p := range d.paths {
		os.Remove(p)
		os.Remove(filepath.Dir(p)) // only when empty
		delete(d.paths, k)
	}
}

// fetch is download, through the kept tarballs when there are; done
// removes the tarball unless it is kept.
func (in Installer) fetch(ctx context.Context, p Package) (tgz string, done func(), err error) {
	drop := func(tgz string) func() {
		return func() {
			os.Remove(tgz)
			os.Remove(filepath.Dir(tgz)) // only when empty
		}
	}
	d := in.Downloads
	if d == nil {
		tgz, err := in.download(ctx, p)
		if err != nil {
			return "", nil, err
		}
		return tgz, drop(tgz), nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if tgz, ok := d.paths[p.Integrity]; ok {
		in.logf("%s@%s: already downloaded", p.Name, p.Version)
		return tgz, func() {}, nil
	}
	if tgz, err = in.download(ctx, p); err != nil {
		return "", nil, err
	}
	if d.paths == nil {
		d.paths = map[string]string{}
	}
	d.paths[p.Integrity] = tgz
	return tgz, func() {}, nil
}

func (in Installer) logf(format string, args ...any) {
	if in.Progress != nil {
		fmt.Fprintf(in.Progress, format+"\n", args...)
	}
}

// InstallLibrary puts the ONNX Runtime library at lib.File in the models dir.
func (in Installer) InstallLibrary(ctx context.Context, lib Library) error {
	dst := filepath.Join(in.Dir, filepath.FromSlash(lib.File))
	if err := checkFile(dst, lib.Member.SHA256); err == nil {
		in.logf("library %s: present, checksum ok", dst)
		return nil
	}
	if lib.Source == nil {
		return fmt.Errorf("library %s is missing and the catalogue names no source", dst)
	}
	return in.extract(ctx, *lib.Source, map[string]string{lib.Member.Path: dst}, map[string]string{lib.Member.Path: lib.Member.SHA256})
}

// stamp records how a converted model was made, so that a later install
// knows the file is whole and current.
type stamp struct {
	SHA256    string `json:"sha256"`    // of the ONNX file
	Source    string `json:"source"`    // integrity of the package it came from
	Converter string `json:"converter"` // sha256 of the converter script
	Args      string `json:"args"`      // what the catalogue asked of it (outputs, input)
}

// InstallModel puts m's ONNX file in the models dir, converting it when
// its source is not ONNX.
func (in Installer) InstallModel(ctx context.Context, m Model) error {
	dst := filepath.Join(in.Dir, filepath.FromSlash(m.File))
	if in.current(m, dst) {
		in.logf("model %s: present, checksum ok (%s)", m.Name, dst)
		return nil
	}
	if m.Source == nil {
		if _, err := os.Stat(dst); err != nil {
			return fmt.Errorf("model %s: %s is missing and the catalogue names no source to fetch it from", m.Name, dst)
		}
		return fmt.Errorf("model %s: %s does not match the catalogue's sha256 %s", m.Name, dst, m.SHA256)
	}
	// A folder of its own, so that two installs into one models dir at once
	// (two checkouts sharing the cache) do not pull files from each other.
	if err := os.MkdirAll(filepath.Join(in.Dir, "src"), 0o755); err != nil {
		return err
	}
	src, err := os.MkdirTemp(filepath.Join(in.Dir, "src"), m.Name+"-")
	if err != nil {
		return err
	}
	defer func() {
		os.RemoveAll(src)
		os.Remove(filepath.Dir(src)) // only when empty
	}()
	files, sums := map[string]string{}, map[string]string{}
	for _, mb := range m.Members {
		files[mb.Path] = filepath.Join(src, path.Base(mb.Path))
		sums[mb.Path] = mb.SHA256
	}
	if m.Convert == "" {
		files[m.Members[0].Path] = dst
	}
	if err := in.extract(ctx, *m.Source, files, sums); err != nil {
		return fmt.Errorf("model %s: %w", m.Name, err)
	}
	switch m.Convert {
	case "":
		return nil // extract checked it against its pinned sha256
	case "tfjs":
	default:
		return fmt.Errorf("model %s: unknown conversion %q", m.Name, m.Convert)
	}
	start := time.Now()
	in.logf("model %s: converting TF.js → ONNX", m.Name)
	out := filepath.Join(src, "model.onnx")
	if err := in.convertTFJS(ctx, files[m.Members[0].Path], out, m); err != nil {
		return fmt.Errorf("model %s: %w", m.Name, err)
	}
	sum, err := fileSHA256(out)
	if err != nil {
		return err
	}
	if err := os.Rename(out, dst); err != nil {
		return err
	}
	st, _ := json.Marshal(stamp{SHA256: sum, Source: m.Source.Integrity, Converter: converterSum(), Args: stampArgs(m)})
	if err := os.WriteFile(dst+".stamp", st, 0o644); err != nil {
		return err
	}
	in.logf("model %s: converted in %.1fs → %s (sha256 %s)", m.Name, time.Since(start).Seconds(), dst, sum[:16])
	return nil
}

// current tells whether dst is m's file, whole: its pinned sha256 matches,
// or for a converted model, its stamp matches the file, the source and the
// converter.
func (in Installer) current(m Model, dst string) bool {
	if m.Convert == "" {
		want := m.SHA256
		if want == "" && m.Source != nil {
			want = m.Members[0].SHA256
		}
		if want == "" { // the operator's own file, unpinned
			return exists(dst)
		}
		return checkFile(dst, want) == nil
	}
	b, err := os.ReadFile(dst + ".stamp")
	if err != nil {
		return false
	}
	var st stamp
	if json.Unmarshal(b, &st) != nil || st.Source != m.Source.Integrity || st.Converter != converterSum() || st.Args != stampArgs(m) {
		return false
	}
	return checkFile(dst, st.SHA256) == nil
}

func (in Installer) convertTFJS(ctx context.Context, modelJSON, dst string, m Model) error {
	py := in.Python
	if py == "" {
		py = "python3"
		if exists("/usr/bin/python3") {
			py = "/usr/bin/python3"
		}
	}
	script := filepath.Join(filepath.Dir(modelJSON), "tfjs2onnx.py")
	if err := os.WriteFile(script, converterScript, 0o644); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, py, converterArgs(script, modelJSON, dst, m)...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "No module named") {
			msg += " (install Debian's python3-onnx and python3-numpy: scripts/install-deps.sh does)"
		}
		return fmt.Errorf("converting with %s: %v: %s", py, err, msg)
	}
	return nil
}

// converterArgs is the argv of the TF.js → ONNX converter for m.
func converterArgs(script, modelJSON, dst string, m Model) []string {
	args := []string{script, modelJSON, dst, "--outputs", strings.Join(m.Outputs, ","), "--input-name", m.Input.Name, "--input-layout", m.Input.Layout}
	if m.Input.Stride > 0 {
		args = append(args, "--dynamic-hw")
	}
	return args
}

// stampArgs is the part of the converter's argv that the catalogue decides.
func stampArgs(m Model) string {
	return strings.Join(converterArgs("", "", "", m)[3:], " ")
}

func converterSum() string {
	s := sha256.Sum256(converterScript)
	return hex.EncodeToString(s[:])
}

// TarballURL is where the npm registry serves a package's tarball.
func (in Installer) TarballURL(p Package) string {
	reg := strings.TrimRight(in.Registry, "/")
	if reg == "" {
		reg = "https://registry.npmjs.org"
	}
	base := p.Name[strings.LastIndex(p.Name, "/")+1:]
	return fmt.Sprintf("%s/%s/-/%s-%s.tgz", reg, p.Name, base, p.Version)
}

// extract downloads p (checking its integrity), and writes the tarball's
// members named in files to their destinations, each checked against its
// sha256 before it takes its place.
func (in Installer) extract(ctx context.Context, p Package, files, sums map[string]string) error {
	tgz, done, err := in.fetch(ctx, p)
	if err != nil {
		return err
	}
	defer done()
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s@%s: %w", p.Name, p.Version, err)
	}
	tr := tar.NewReader(gz)
	left := len(files)
	for left > 0 {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s@%s: %w", p.Name, p.Version, err)
		}
		dst, ok := files[h.Name]
		if !ok || h.Typeflag != tar.TypeReg {
			continue
		}
		if err := writeChecked(tr, dst, sums[h.Name]); err != nil {
			return fmt.Errorf("%s@%s %s: %w", p.Name, p.Version, h.Name, err)
		}
		in.logf("  %s → %s (sha256 ok)", h.Name, dst)
		left--
	}
	if left > 0 {
		return fmt.Errorf("%s@%s lacks %d of the files the catalogue names", p.Name, p.Version, left)
	}
	return nil
}

// writeChecked writes r to dst through a temporary file that is renamed
// into place only when its sha256 is want.
func writeChecked(r io.Reader, dst, want string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".part-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), r); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("sha256 %s, the catalogue pins %s", got, want)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// download fetches p's tarball into the models dir's downloads folder and
// checks it against p.Integrity.
func (in Installer) download(ctx context.Context, p Package) (string, error) {
	dir := filepath.Join(in.Dir, "downloads")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	url := in.TarballURL(p)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	client := in.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Minute}
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("downloading %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("downloading %s: %s", url, resp.Status)
	}
	h, want, err := sriHash(p.Integrity)
	if err != nil {
		return "", fmt.Errorf("%s@%s: %w", p.Name, p.Version, err)
	}
	tmp, err := os.CreateTemp(dir, ".part-*")
	if err != nil {
		return "", err
	}
	total := resp.ContentLength
	if total <= 0 {
		total = p.Size
	}
	pr := &progress{label: p.Name + "@" + p.Version, total: total, in: in}
	_, err = io.Copy(io.MultiWriter(tmp, h, pr), resp.Body)
	pr.done()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("downloading %s: %w", url, err)
	}
	if got := base64.StdEncoding.EncodeToString(h.Sum(nil)); got != want {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("%s: integrity %s, the catalogue pins %s", url, got, want)
	}
	return tmp.Name(), nil
}

// sriHash parses a Subresource Integrity string ("sha512-BASE64").
func sriHash(sri string) (hash.Hash, string, error) {
	alg, sum, ok := strings.Cut(sri, "-")
	switch {
	case !ok:
	case alg == "sha512":
		return sha512.New(), sum, nil
	case alg == "sha256":
		return sha256.New(), sum, nil
	}
	return nil, "", fmt.Errorf("integrity %q: want sha512-… or sha256-…", sri)
}

// progress prints bytes downloaded at most twice a second.
type progress struct {
	label string
	total int64
	n     int64
	last  time.Time
	in    Installer
}

func (p *progress) Write(b []byte) (int, error) {
	p.n += int64(len(b))
	if time.Since(p.last) > 500*time.Millisecond {
		p.last = time.Now()
		p.print()
	}
	return len(b), nil
}

func (p *progress) print() {
	if p.total > 0 {
		p.in.logf("downloading %s: %.1f / %.1f MB (%d%%)", p.label, mb(p.n), mb(p.total), p.n*100/p.total)
	} else {
		p.in.logf("downloading %s: %.1f MB", p.label, mb(p.n))
	}
}

func (p *progress) done() { p.print() }

func mb(n int64) float64 { return float64(n) / 1e6 }

func checkFile(p, want string) error {
	got, err := fileSHA256(p)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%s: sha256 %s, want %s", p, got, want)
	}
	return nil
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return !errors.Is(err, fs.ErrNotExist)
}
