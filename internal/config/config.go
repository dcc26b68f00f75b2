// Package config holds Cam2Drive's settings and binds them to command-line
// flags, with CAM2DRIVE_* environment variables as defaults.
package config

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
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
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--public-url %q is not an http(s) URL", c.PublicURL)
		}
	}
	return nil
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
