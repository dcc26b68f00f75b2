// Package config holds Cam2Drive's settings and binds them to command-line
// flags, with CAM2DRIVE_* environment variables as defaults.
package config

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive/internal/vlm"
)

// Config is every setting of the binary.
type Config struct {
	DataDir     string
	DatabaseURL string
	HTTPAddr    string
	FTPAddr     string
	SFTPAddr    string
	PublicHost  string
	PublicURL   string
	Roles       string
	SMTPURL     string
	LogFormat   string
	LogLevel    string
	Workers     int
	ShutdownIn  time.Duration
	// TranscodeHEVC makes H.265 clips H.264 for browsers that lack it
	// (otherwise they are only remuxed, tagged hvc1).
	TranscodeHEVC bool

	StorageURL     string // "" = local directory <data-dir>/media; s3://…
	SecretKey      string // base64 32 bytes; "" = <data-dir>/secret.key, generated once
	PassivePorts   string // "30000-30100"; "" = any
	FTPSCert       string
	FTPSKey        string
	LegacyFTPAddr  string
	LegacySFTPAddr string
	PublicFTPPort  int // announced to recorders when a NAT maps another port; 0 = the listening port
	PublicSFTPPort int
	OfflineAfter   time.Duration
	MaxConnsPerIP  int
	MediaURLTTL    time.Duration // life of the signed URLs of recordings' media

	// AI: pretrained models run by ONNX Runtime on the worker role.
	ModelsDir  string // where `cam2drive models install` puts the library and models
	ORTLibrary string // "" = <models-dir>/lib/libonnxruntime.so
	AIThreads  int    // intra-op threads of each model session

	// Optional open-vocabulary engines (docs/ai/open-vocabulary.md), off
	// unless configured: a CLIP-style model an operator exports to ONNX,
	// and a vision-language model behind an OpenAI-compatible API.
	CLIPImageModel string // ONNX image encoder
	CLIPTextModel  string // ONNX text encoder
	CLIPVocab      string // BPE merges file; "" = CLIP's own, built in
	VLMURL         string // e.g. http://localhost:11434/v1 (Ollama)
	VLMModel       string
	VLMKey         string // secret; CAM2DRIVE_VLM_KEY rather than the flag
	VLMTimeout     time.Duration
	vlmKeyEnv      string // the key as the environment gave it, to tell a flag apart
}

// AllRoles are the parts one process can run.
var AllRoles = []string{"web", "ftp", "sftp", "worker"}

// BindCommon registers the flags every subcommand takes.
func BindCommon(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DataDir, "data-dir", env("DATA_DIR", "./data"), "directory for the SQLite database and local media")
	fs.StringVar(&c.DatabaseURL, "database-url", env("DATABASE_URL", ""), "empty for SQLite in the data dir, or postgres://user:pass@host/db")
	fs.StringVar(&c.LogFormat, "log-format", env("LOG_FORMAT", "text"), "text or json")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error")
}

// BindServe registers the flags of `serve`.
func BindServe(fs *flag.FlagSet, c *Config) {
	BindCommon(fs, c)
	fs.StringVar(&c.HTTPAddr, "http-addr", env("HTTP_ADDR", ":8080"), "address of the web app and API")
	fs.StringVar(&c.FTPAddr, "ftp-addr", env("FTP_ADDR", ":2121"), "address of the FTP/FTPS ingest server")
	fs.StringVar(&c.SFTPAddr, "sftp-addr", env("SFTP_ADDR", ":2222"), "address of the SFTP ingest server")
	fs.StringVar(&c.PublicHost, "public-host", env("PUBLIC_HOST", ""), "host name recorders and browsers use to reach this server")
	fs.StringVar(&c.PublicURL, "public-url", env("PUBLIC_URL", ""), "base URL of the web app in e-mails (default from --public-host and --http-addr)")
	fs.StringVar(&c.Roles, "roles", env("ROLES", strings.Join(AllRoles, ",")), "comma-separated roles to run: web, ftp, sftp, worker")
	fs.StringVar(&c.SMTPURL, "smtp-url", env("SMTP_URL", ""), "smtp://user:pass@host:587?from=… (empty: mails are logged and kept in the outbox)")
	fs.IntVar(&c.Workers, "workers", envInt("WORKERS", 4), "jobs worked at once by the worker role")
	fs.DurationVar(&c.ShutdownIn, "shutdown-timeout", envDuration("SHUTDOWN_TIMEOUT", 15*time.Second), "time given to running requests on SIGTERM")
	fs.BoolVar(&c.TranscodeHEVC, "transcode-hevc", env("TRANSCODE_HEVC", "true") == "true", "transcode H.265 clips to H.264 so every browser plays them (false: remux only)")
	bindIngest(fs, c)
	BindAI(fs, c)
	bindOpenVocabulary(fs, c)
}

// BindAI registers the flags that say where the AI runtime and models live;
// `serve` and `models install` take them.
func BindAI(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.ModelsDir, "models-dir", env("MODELS_DIR", DefaultModelsDir()), "directory of the ONNX Runtime library and the pretrained models, filled by \"cam2drive models install\"")
	fs.StringVar(&c.ORTLibrary, "onnxruntime-lib", env("ONNXRUNTIME_LIB", ""), "path of libonnxruntime.so (default: the one in --models-dir)")
	fs.IntVar(&c.AIThreads, "ai-threads", envInt("AI_THREADS", 1), "CPU threads each model session uses per frame")
}

// bindOpenVocabulary registers the flags of the optional open-vocabulary
// engines, all off by default.
func bindOpenVocabulary(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.CLIPImageModel, "clip-image-model", env("CLIP_IMAGE_MODEL", ""), "ONNX image encoder of a CLIP-style model, for searching pictures by text (empty: off; see docs/ai/open-vocabulary.md)")
	fs.StringVar(&c.CLIPTextModel, "clip-text-model", env("CLIP_TEXT_MODEL", ""), "ONNX text encoder of the same CLIP model as --clip-image-model")
	fs.StringVar(&c.CLIPVocab, "clip-vocab", env("CLIP_VOCAB", ""), "BPE merges file of the CLIP model's tokenizer (default: CLIP's own vocabulary, built in)")
	fs.StringVar(&c.VLMURL, "vlm-url", env("VLM_URL", ""), "base URL of an OpenAI-compatible API serving a vision-language model, e.g. http://localhost:11434/v1 (empty: off); pictures are sent there")
	fs.StringVar(&c.VLMModel, "vlm-model", env("VLM_MODEL", ""), "model name at --vlm-url, e.g. qwen2.5vl:7b")
	c.vlmKeyEnv = env("VLM_KEY", "")
	c.VLMKey = c.vlmKeyEnv
	fs.Var(secret{&c.VLMKey}, "vlm-key", "API key for --vlm-url; prefer the CAM2DRIVE_VLM_KEY environment variable, as other users of the machine can read flags in the process list")
	fs.DurationVar(&c.VLMTimeout, "vlm-timeout", envDuration("VLM_TIMEOUT", 2*time.Minute), "longest wait for one answer of the vision-language model")
}

// secret is a string flag whose value the usage text never shows (as the
// default it would otherwise print).
type secret struct{ p *string }

func (s secret) String() string { return "" }
func (s secret) Set(v string) error {
	*s.p = v
	return nil
}

// CLIPEnabled tells whether a CLIP model is configured.
func (c Config) CLIPEnabled() bool { return c.CLIPImageModel != "" || c.CLIPTextModel != "" }

// VLMEnabled tells whether a vision-language model is configured.
func (c Config) VLMEnabled() bool { return c.VLMURL != "" }

// Warnings are things about the settings an operator should know, to log
// at start.
func (c Config) Warnings() []string {
	var w []string
	if c.VLMKey != "" && c.VLMKey != c.vlmKeyEnv {
		w = append(w, "the VLM API key was given with --vlm-key: other users of this machine can read it in the process list; set CAM2DRIVE_VLM_KEY instead")
	}
	if u, err := url.Parse(c.VLMURL); err == nil && c.VLMURL != "" && !isLoopback(u.Hostname()) {
		w = append(w, fmt.Sprintf("--vlm-url points to %s, not this machine: the pictures asked about are sent there", u.Hostname()))
	}
	return w
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c Config) validateOpenVocabulary() error {
	if (c.CLIPImageModel == "") != (c.CLIPTextModel == "") {
		return fmt.Errorf("--clip-image-model and --clip-text-model go together: give both encoders of one CLIP model")
	}
	if c.CLIPVocab != "" && !c.CLIPEnabled() {
		return fmt.Errorf("--clip-vocab is set without --clip-image-model and --clip-text-model")
	}
	if c.VLMURL == "" {
		if c.VLMModel != "" || c.VLMKey != "" {
			return fmt.Errorf("--vlm-model and --vlm-key need --vlm-url")
		}
		return nil
	}
	if err := vlm.CheckSettings(c.VLMURL, c.VLMModel); err != nil {
		return err
	}
	if c.VLMTimeout <= 0 {
		return fmt.Errorf("--vlm-timeout %v: want a positive duration", c.VLMTimeout)
	}
	return nil
}

// DefaultModelsDir is outside the data dir and the repository so that every
// checkout and data dir of one user share one download:
// ${XDG_CACHE_HOME:-$HOME/.cache}/cam2drive/models.
func DefaultModelsDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "cam2drive", "models")
	}
	return filepath.Join(os.TempDir(), "cam2drive", "models")
}

// ORTLibraryPath is the ONNX Runtime library to load.
func (c Config) ORTLibraryPath() string {
	if c.ORTLibrary != "" {
		return c.ORTLibrary
	}
	return filepath.Join(c.ModelsDir, "lib", "libonnxruntime.so")
}

func bindIngest(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.StorageURL, "storage-url", env("STORAGE_URL", ""), "media storage: empty for <data-dir>/media, or s3://ACCESS:SECRET@host:port/bucket/prefix?region=…&secure=true")
	fs.StringVar(&c.SecretKey, "secret-key", env("SECRET_KEY", ""), "base64 32-byte key encrypting recorder passwords (default: <data-dir>/secret.key, generated once; share it between nodes)")
	fs.StringVar(&c.PassivePorts, "ftp-passive-ports", env("FTP_PASSIVE_PORTS", ""), "FTP passive data port range, e.g. 30000-30100 (default: any free port)")
	fs.StringVar(&c.FTPSCert, "ftps-cert", env("FTPS_CERT", ""), "PEM certificate for FTPS (default: self-signed, generated once in the data dir)")
	fs.StringVar(&c.FTPSKey, "ftps-key", env("FTPS_KEY", ""), "PEM key of --ftps-cert")
	fs.StringVar(&c.LegacyFTPAddr, "legacy-ftp-addr", env("LEGACY_FTP_ADDR", ""), "opt-in FTP listener accepting old TLS versions for old firmware (empty: off)")
	fs.StringVar(&c.LegacySFTPAddr, "legacy-sftp-addr", env("LEGACY_SFTP_ADDR", ""), "opt-in SFTP listener accepting old SSH algorithms for old firmware (empty: off)")
	fs.IntVar(&c.PublicFTPPort, "public-ftp-port", envInt("PUBLIC_FTP_PORT", 0), "FTP port shown to recorders when a NAT maps another one (default: the listening port)")
	fs.IntVar(&c.PublicSFTPPort, "public-sftp-port", envInt("PUBLIC_SFTP_PORT", 0), "SFTP port shown to recorders (default: the listening port)")
	fs.DurationVar(&c.OfflineAfter, "recorder-offline-after", envDuration("RECORDER_OFFLINE_AFTER", 2*time.Hour), "a recorder that uploaded before shows offline after this long without uploads")
	fs.DurationVar(&c.MediaURLTTL, "media-url-ttl", envDuration("MEDIA_URL_TTL", time.Hour), "how long the signed URLs of recordings' videos, pictures and downloads work")
	fs.IntVar(&c.MaxConnsPerIP, "max-conns-per-ip", envInt("MAX_CONNS_PER_IP", 200), "FTP/SFTP connections one address may hold")
}

// PortRange parses PassivePorts ("" → 0, 0).
func (c Config) PortRange() (int, int, error) {
	if c.PassivePorts == "" {
		return 0, 0, nil
	}
	lo, hi, ok := strings.Cut(c.PassivePorts, "-")
	a, err1 := strconv.Atoi(strings.TrimSpace(lo))
	b, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if !ok || err1 != nil || err2 != nil || a < 1 || b > 65535 || a > b {
		return 0, 0, fmt.Errorf("--ftp-passive-ports %q: want FIRST-LAST, e.g. 30000-30100", c.PassivePorts)
	}
	return a, b, nil
}

// IngestHost is the host name recorders are told to connect to.
func (c Config) IngestHost() string {
	if c.PublicHost != "" {
		return c.PublicHost
	}
	if u, err := url.Parse(c.BaseURL()); err == nil {
		return u.Hostname()
	}
	return "localhost"
}

// ListenPort is the port of a listen address (":2121" → 2121).
func ListenPort(addr string) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(p)
	return n
}

// HasRole tells whether role is among the configured roles.
func (c Config) HasRole(role string) bool {
	return slices.Contains(c.RoleList(), role)
}

// RoleList is the configured roles, trimmed.
func (c Config) RoleList() []string {
	var out []string
	for _, r := range strings.Split(c.Roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// Validate checks the settings that can be checked without I/O.
func (c Config) Validate() error {
	for _, r := range c.RoleList() {
		if !slices.Contains(AllRoles, r) {
			return fmt.Errorf("unknown role %q (want some of %s)", r, strings.Join(AllRoles, ", "))
		}
	}
	if _, _, err := c.PortRange(); err != nil {
		return err
	}
	if c.AIThreads < 0 {
		return fmt.Errorf("--ai-threads %d: want 1 or more", c.AIThreads)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--public-url %q is not an http(s) URL", c.PublicURL)
		}
	}
	return c.validateOpenVocabulary()
}

// BaseURL is the web app's address as users reach it.
func (c Config) BaseURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	host, port, err := net.SplitHostPort(c.HTTPAddr)
	if err != nil {
		host, port = "", "8080"
	}
	if c.PublicHost != "" {
		host = c.PublicHost
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Redacted is the config as it may be logged: secrets in URLs are hidden.
func (c Config) Redacted() Config {
	c.DatabaseURL = redactURL(c.DatabaseURL)
	c.SMTPURL = redactURL(c.SMTPURL)
	c.StorageURL = redactURL(c.StorageURL)
	if c.SecretKey != "" {
		c.SecretKey = "xxxxx"
	}
	if c.VLMKey != "" {
		c.VLMKey = "xxxxx"
	}
	c.vlmKeyEnv = ""
	return c
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func env(name, def string) string {
	if v, ok := os.LookupEnv("CAM2DRIVE_" + name); ok {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(env(name, "")); err == nil {
		return n
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env(name, "")); err == nil {
		return d
	}
	return def
}
