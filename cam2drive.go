// Package cam2drive holds the domain types, identifiers and error codes shared
// by every part of the product. It depends on the standard library only.
package cam2drive

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Version is set at build time with -ldflags "-X github.com/cam2drive/cam2drive.Version=…".
var Version = "dev"

// Code classifies an error for the protocol adapters (HTTP, FTP, SFTP).
type Code string

const (
	CodeInvalid            Code = "invalid"
	CodeUnauthenticated    Code = "unauthenticated"
	CodeInvalidCredentials Code = "invalid_credentials"
	CodeForbidden          Code = "forbidden"
	CodeNotFound           Code = "not_found"
	CodeConflict           Code = "conflict"
	CodeThrottled          Code = "throttled"
	CodeQuota              Code = "quota"
	CodeUnavailable        Code = "unavailable"
	CodeInternal           Code = "internal"
)

// Error is a classified error. Key names a translatable message for users;
// Detail is for logs only.
type Error struct {
	Code   Code
	Key    string            // message key, e.g. "site_has_recorders"; defaults to the code
	Fields map[string]string // per-field message keys for invalid input
	Retry  time.Duration     // for throttled errors
	Err    error             // wrapped cause, never shown to users
}

func (e *Error) Error() string {
	msg := string(e.Code)
	if e.Key != "" && e.Key != string(e.Code) {
		msg += ": " + e.Key
	}
	if len(e.Fields) > 0 {
		msg += fmt.Sprintf(" %v", e.Fields)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds a classified error with a message key.
func Errorf(code Code, key string) *Error { return &Error{Code: code, Key: key} }

// Invalid reports invalid input on named fields (field → message key).
func Invalid(fields map[string]string) *Error {
	return &Error{Code: CodeInvalid, Key: "invalid", Fields: fields}
}

// ErrNotFound is the generic not-found error.
var ErrNotFound = &Error{Code: CodeNotFound, Key: "not_found"}

// ErrorCode returns the code of err, CodeInternal when it is not classified.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// IsNotFound tells whether err is a not-found error.
func IsNotFound(err error) bool { return ErrorCode(err) == CodeNotFound }

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns a new opaque, time-sortable identifier (26 characters):
// 48 bits of milliseconds then 80 random bits, Crockford base32.
func NewID() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return idEncoding.EncodeToString(b[:])
}

// ValidID tells whether s has the shape of an id made by NewID.
func ValidID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefghjkmnpqrstvwxyz", c) {
			return false
		}
	}
	return true
}

// OrgKind is the level of an organisation in the hierarchy.
type OrgKind string

const (
	KindPlatform    OrgKind = "platform"
	KindDistributor OrgKind = "distributor"
	KindInstaller   OrgKind = "installer"
	KindClient      OrgKind = "client"
)

// ChildKind is the kind of organisation that k creates ("" for clients).
func (k OrgKind) ChildKind() OrgKind {
	switch k {
	case KindPlatform:
		return KindDistributor
	case KindDistributor:
		return KindInstaller
	case KindInstaller:
		return KindClient
	}
	return ""
}

// Valid tells whether k is a known kind.
func (k OrgKind) Valid() bool {
	switch k {
	case KindPlatform, KindDistributor, KindInstaller, KindClient:
		return true
	}
	return false
}

// Org is an organisation. Path lists the ids from the root down to the org,
// each followed by "/", so descendants share the prefix.
type Org struct {
	ID        string
	ParentID  string
	Kind      OrgKind
	Name      string
	Email     string
	Address   string
	Phone     string
	Path      string
	CreatedAt time.Time
}

// IsAncestorOrSelf tells whether o is other or one of its ancestors.
func (o Org) IsAncestorOrSelf(other Org) bool {
	return o.Path != "" && strings.HasPrefix(other.Path, o.Path)
}

// UserStatus is the state of an account.
type UserStatus string

const (
	UserInvited UserStatus = "invited"
	UserActive  UserStatus = "active"
)

// Preferences are a user's display settings.
type Preferences struct {
	Theme       string `json:"theme"`
	Language    string `json:"language"`
	Density     string `json:"density"`
	RowsPerPage int    `json:"rows_per_page"`
}

// DefaultPreferences are used until a user changes them.
func DefaultPreferences(lang string) Preferences {
	if lang != "fr" {
		lang = "en"
	}
	return Preferences{Theme: "system", Language: lang, Density: "comfortable", RowsPerPage: 10}
}

// User is a person's account in one organisation.
type User struct {
	ID           string
	OrgID        string
	Email        string
	Name         string
	RoleID       string
	RoleName     string
	Status       UserStatus
	PasswordHash string
	Preferences  Preferences
	CreatedAt    time.Time
	LastLoginAt  time.Time
}

// Role is a named set of permissions in an organisation.
type Role struct {
	ID          string
	OrgID       string
	Name        string
	Builtin     string // "admin", "technician", "viewer" or ""
	Permissions []string
	UserCount   int
	CreatedAt   time.Time
}

// Site is a physical place with recorders.
type Site struct {
	ID            string
	OrgID         string
	Name          string
	Timezone      string
	Address       string
	RecorderCount int
	CreatedAt     time.Time
}

// AuditEvent is one security-relevant event.
type AuditEvent struct {
	ID         string
	OrgID      string
	ActorID    string
	ActorEmail string
	Action     string
	Target     string
	IP         string
	Detail     string
	CreatedAt  time.Time
}

// Page asks for one page of a list: either after Cursor or at Offset.
type Page struct {
	Limit  int
	Offset int
	Cursor string
}

// Manufacturers a recorder can be declared with.
var Manufacturers = []string{"dahua", "hikvision", "uniview", "axis", "reolink", "other"}

// RecorderKinds are the types of recorder.
var RecorderKinds = []string{"nvr", "dvr", "ip_camera"}

// Recorder is an NVR, DVR or IP camera that uploads to the cloud.
type Recorder struct {
	ID            string
	OrgID         string
	SiteID        string
	SiteName      string
	Name          string
	Manufacturer  string
	Kind          string
	CameraCount   int
	RetentionDays int
	Username      string
	SecretEnc     string // password encrypted with the server key
	SecretMAC     string // keyed hash of the password, to check logins quickly
	DiskID        string // attached virtual disk, "" when none
	CreatedAt     time.Time
}

// Camera is one channel of a recorder.
type Camera struct {
	ID             string
	OrgID          string
	RecorderID     string
	RecorderName   string
	SiteID         string
	SiteName       string
	Number         int
	Name           string
	CloudRecording bool
	AIEnabled      bool
	// HOLO4 is set when the camera joined the HOLO4 beta; Algorithms are the
	// HOLO4 algorithm ids chosen for it (kept while it is out of the beta).
	HOLO4        bool
	Algorithms   []string
	AllowedUsers []string // user ids; empty: everyone with the permission
	CreatedAt    time.Time
}

// AISubscription lets a client turn AI on for up to CameraLimit cameras and
// choose HOLO4 algorithms from Packages. A client has at most one active
// subscription; a cancelled one stays listed.
type AISubscription struct {
	ID          string
	OrgID       string
	CameraLimit int
	Packages    []string // HOLO4 package ids
	CamerasUsed int      // cameras with AI on (0 once cancelled)
	CreatedAt   time.Time
	CancelledAt time.Time // zero while active
}

// Active tells whether the subscription still runs.
func (s AISubscription) Active() bool { return s.CancelledAt.IsZero() }

// VirtualDisk is a client's cloud storage for one recorder.
type VirtualDisk struct {
	ID            string
	OrgID         string
	RecorderID    string
	CapacityBytes int64
	CameraLimit   int
	Overwrite     bool
	UsedBytes     int64
	CreatedAt     time.Time
}

// GB is the unit virtual disks are sold in.
const GB = int64(1_000_000_000)

// Recording is one snapshot or clip received from a recorder.
type Recording struct {
	ID           string
	OrgID        string
	SiteID       string
	RecorderID   string
	CameraID     string
	DiskID       string
	Start, End   time.Time
	Timed        bool
	Kind         string // "snapshot" | "clip"
	EventType    string
	EventCode    string
	Status       string // "processing" | "ready" | "failed"
	StatusReason string
	ObjectKey    string
	Size         int64
	SHA256       string
	SourcePath   string
	Duration     time.Duration
	Codec        string
	Width        int
	Height       int
	Container    string // what the first bytes say: "mp4", "dhav", "mpegps", "mkv", "jpeg"…
	// Objects derived by the media pipeline, beside the untouched original:
	// a browser-playable MP4 (clips), a small thumbnail, a full-size poster
	// and a strip of preview frames (clips). "" until produced.
	MediaKey, ThumbKey, PosterKey, StripKey string
	// ParentID is the clip a snapshot of the same event was folded into.
	ParentID  string
	CreatedAt time.Time
}

// Objects lists every stored object of the recording: the original and
// what was derived from it, each once.
func (r Recording) Objects() []string {
	out := []string{r.ObjectKey}
	for _, k := range []string{r.MediaKey, r.ThumbKey, r.PosterKey, r.StripKey} {
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// Detection is something seen in a recording: by the recorder itself (its
// event type), by a model, or by a rule over model outputs.
type Detection struct {
	ID          string
	RecordingID string
	Source      string // "recorder" | "model" | "rule"
	Type        string // "motion" | "person" | "vehicle" | "animal" | a HOLO4 algorithm id
	Label       string // e.g. "dog", "car"; the recorder's event type for Source "recorder"
	Score       float64
	Box         [4]float64    // x, y, w, h as fractions of the frame; zero when not located
	Start, End  time.Duration // offsets from the recording's start
}

// RecorderHealth sums up how a recorder's uploads go.
type RecorderHealth struct {
	LastUploadAt   time.Time
	LastLoginAt    time.Time
	Uploads        int64
	FailedLogins   int64
	RefusedUploads int64
	Recent         []RecorderEvent
}

// RecorderEvent is a failed login or a refused upload.
type RecorderEvent struct {
	Kind      string // "login_failed" | "refused"
	Reason    string
	Path      string
	IP        string
	CreatedAt time.Time
}
