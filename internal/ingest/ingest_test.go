package ingest_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// JPEG returns a real JPEG of about n bytes or more.
func JPEG(t testing.TB, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(i*seed + seed)
	}
	img.Set(0, 0, color.RGBA{R: byte(seed), A: 255})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func upload(t testing.TB, se *ingest.Session, path string, data []byte) error {
	t.Helper()
	u, err := se.Create(context.Background(), path, 0, false)
	if err != nil {
		return err
	}
	if _, err := u.Write(data); err != nil {
		return err
	}
	return u.Commit(context.Background())
}

func login(t testing.TB, f *ingesttest.Fixture) *ingest.Session {
	t.Helper()
	se, err := f.Service.Login(context.Background(), f.Username, f.Password, "127.0.0.1")
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	t.Cleanup(se.Close)
	return se
}

const dahuaSnap = "cam2drive/4K0A5B3PAG12345/2019-05-09/002/jpg/06/07/27[M][0@0][0].jpg"

func TestUploadBecomesOneRecording(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := ingesttest.New(t, ingesttest.Options{Dialect: d})
			se := login(t, f)
			data := JPEG(t, 3)
			if err := upload(t, se, "/"+dahuaSnap, data); err != nil {
				t.Fatalf("upload: %v", err)
			}
			// The same file again (a recorder that lost the reply) is no duplicate.
			if err := upload(t, se, dahuaSnap, data); err != nil {
				t.Fatalf("re-upload: %v", err)
			}
			recs := f.Recordings(t)
			if len(recs) != 1 {
				t.Fatalf("got %d recordings, want 1", len(recs))
			}
			r := recs[0]
			paris, _ := time.LoadLocation("Europe/Paris")
			if want := time.Date(2019, 5, 9, 6, 7, 27, 0, paris); !r.Start.Equal(want) {
				t.Errorf("start = %v, want %v", r.Start, want)
			}
			if r.Kind != "snapshot" || r.EventType != "motion" || r.Status != "processing" {
				t.Errorf("kind/event/status = %s/%s/%s", r.Kind, r.EventType, r.Status)
			}
			cam, err := f.DB.Camera(context.Background(), f.Org.ID, r.CameraID)
			if err != nil || cam.Number != 2 {
				t.Errorf("camera = %+v, %v; want number 2", cam, err)
			}
			if got := f.Object(t, r.ObjectKey); !bytes.Equal(got, data) {
				t.Errorf("stored %d bytes, want the %d uploaded", len(got), len(data))
			}
			if objs, err := f.Blobs.List(context.Background(), "org/"); err != nil || len(objs) != 1 {
				t.Errorf("%d objects stored (%v), want 1: the re-sent copy must not stay", len(objs), err)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{CloudOff: []int{3}})
	se := login(t, f)
	good := JPEG(t, 5)
	cases := []struct {
		name, path string
		data       []byte
		key        string
	}{
		{"disabled channel", "SN/2019-05-09/003/jpg/06/07/27[M][0@0][0].jpg", good, "channel_disabled"},
		{"unknown channel", "SN/2019-05-09/009/jpg/06/07/27[M][0@0][0].jpg", good, "unknown_channel"},
		{"escaping the root", "../../etc/2019-05-09/001/jpg/06/07/27[M][0@0][0].jpg", good, "invalid_path"},
		{"unknown path", "notes/readme.txt", good, "unknown_path"},
		{"empty file", "SN/2019-05-09/001/jpg/06/07/28[M][0@0][0].jpg", nil, "empty_file"},
		{"truncated JPEG", "SN/2019-05-09/001/jpg/06/07/29[M][0@0][0].jpg", good[:len(good)/2], "incomplete_file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := upload(t, se, c.path, c.data)
			var e *cam2drive.Error
			if err == nil || !errorAs(err, &e) || e.Key != c.key {
				t.Fatalf("err = %v, want %s", err, c.key)
			}
		})
	}
	if n := len(f.Recordings(t)); n != 0 {
		t.Errorf("%d recordings visible after refused uploads", n)
	}
	h, err := f.DB.Health(context.Background(), f.Org.ID, f.Recorder.ID)
	if err != nil || h.RefusedUploads != int64(len(cases)) {
		t.Errorf("health refused = %d (%v), want %d", h.RefusedUploads, err, len(cases))
	}
}

func TestNoDiskRefused(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{NoDisk: true})
	err := upload(t, login(t, f), dahuaSnap, JPEG(t, 1))
	if cam2drive.ErrorCode(err) != cam2drive.CodeForbidden {
		t.Fatalf("err = %v, want forbidden no_disk", err)
	}
}

func TestWrongPassword(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	_, err := f.Service.Login(context.Background(), f.Username, "nope", "127.0.0.9")
	if cam2drive.ErrorCode(err) != cam2drive.CodeInvalidCredentials {
		t.Fatalf("err = %v", err)
	}
	h, _ := f.DB.Health(context.Background(), f.Org.ID, f.Recorder.ID)
	if h.FailedLogins != 1 {
		t.Errorf("failed logins = %d, want 1", h.FailedLogins)
	}
}

func TestTemporaryNameThenRename(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	se := login(t, f)
	if err := upload(t, se, "SN/2019-05-09/001/jpg/06/07/27[M][0@0][0].jpg.tmp", JPEG(t, 2)); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Recordings(t)); n != 0 {
		t.Fatalf("temporary upload visible: %d recordings", n)
	}
	if err := se.Rename(context.Background(), "SN/2019-05-09/001/jpg/06/07/27[M][0@0][0].jpg.tmp", "SN/2019-05-09/001/jpg/06/07/27[M][0@0][0].jpg"); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Recordings(t)); n != 1 {
		t.Fatalf("after rename: %d recordings, want 1", n)
	}
}

func TestQuotaOverwritesOldest(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			one := JPEG(t, 7)
			capacity := int64(len(one))*3 + 10
			f := ingesttest.New(t, ingesttest.Options{Dialect: d, DiskBytes: capacity, Overwrite: true})
			se := login(t, f)
			for i := range 6 {
				p := "SN/2019-05-09/001/jpg/06/07/" + string(rune('a'+i)) + "0[M][0@0][0].jpg"
				p = "SN/2019-05-09/001/jpg/06/07/" + []string{"10", "11", "12", "13", "14", "15"}[i] + "[M][0@0][0].jpg"
				if err := upload(t, se, p, JPEG(t, 7+i*0)); err != nil {
					t.Fatalf("upload %d: %v", i, err)
				}
				disk, _ := f.DB.Disk(context.Background(), f.Org.ID, f.Disk.ID)
				if disk.UsedBytes > capacity {
					t.Fatalf("used %d > capacity %d", disk.UsedBytes, capacity)
				}
			}
			recs := f.Recordings(t)
			if len(recs) != 3 || recs[len(recs)-1].Start.Second() != 13 {
				t.Fatalf("kept %d recordings, oldest %v; want the 3 newest", len(recs), recs[len(recs)-1].Start)
			}
		})
	}
}

func TestQuotaRefusedWithoutOverwrite(t *testing.T) {
	one := JPEG(t, 9)
	f := ingesttest.New(t, ingesttest.Options{DiskBytes: int64(len(one)) + 1})
	se := login(t, f)
	if err := upload(t, se, "SN/2019-05-09/001/jpg/06/07/10[M][0@0][0].jpg", one); err != nil {
		t.Fatal(err)
	}
	err := upload(t, se, "SN/2019-05-09/001/jpg/06/07/11[M][0@0][0].jpg", one)
	if cam2drive.ErrorCode(err) != cam2drive.CodeQuota {
		t.Fatalf("err = %v, want quota disk_full", err)
	}
}

func TestDeleteRecorderRemovesItsRecordings(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	ctx := context.Background()
	if err := upload(t, login(t, f), dahuaSnap, JPEG(t, 4)); err != nil {
		t.Fatal(err)
	}
	key := f.Recordings(t)[0].ObjectKey
	if err := f.Service.DeleteRecorder(ctx, f.Org.ID, f.Recorder.ID); cam2drive.ErrorCode(err) != cam2drive.CodeConflict {
		t.Fatalf("delete with a disk attached: %v, want recorder_has_disk", err)
	}
	if err := f.DB.DetachDisk(ctx, f.Org.ID, f.Disk.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.Service.DeleteRecorder(ctx, f.Org.ID, f.Recorder.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Recordings(t)); n != 0 {
		t.Errorf("%d recordings left after deleting their recorder", n)
	}
	if _, err := f.Blobs.Stat(ctx, key); err == nil {
		t.Error("the recording's object is still stored")
	}
	if d, _ := f.DB.Disk(ctx, f.Org.ID, f.Disk.ID); d.UsedBytes != 0 {
		t.Errorf("disk still counts %d bytes", d.UsedBytes)
	}
}

func TestStatFoldersWithDotsAreDirectories(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	se := login(t, f)
	for _, dir := range []string{"192.168.1.64", "cam2drive/NVR.01", "SN/2019-05-09/001"} {
		if fi, err := se.Stat(dir); err != nil || !fi.Dir {
			t.Errorf("Stat(%q) = %+v, %v; want a directory", dir, fi, err)
		}
	}
	if _, err := se.Stat(dahuaSnap); !cam2drive.IsNotFound(err) {
		t.Errorf("a recording not received yet: %v, want not found", err)
	}
}

func TestSamePathOnTwoConnectionsRefused(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	first, second := login(t, f), login(t, f)
	u, err := first.Create(context.Background(), dahuaSnap, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := second.Create(context.Background(), dahuaSnap, 0, false); cam2drive.ErrorCode(err) != cam2drive.CodeUnavailable {
		t.Fatalf("second writer: %v, want upload_in_progress", err)
	}
	u.Abort()
	u2, err := second.Create(context.Background(), dahuaSnap, 0, false)
	if err != nil {
		t.Fatalf("after the first gave up: %v", err)
	}
	u2.Abort()
}

func TestRegeneratedCredentialsEndOpenSessions(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	se := login(t, f)
	if _, _, err := f.Service.RegenerateCredentials(context.Background(), f.Recorder); err != nil {
		t.Fatal(err)
	}
	err := upload(t, se, dahuaSnap, JPEG(t, 6))
	if cam2drive.ErrorCode(err) != cam2drive.CodeInvalidCredentials {
		t.Fatalf("upload on a session of the old credentials: %v, want credentials_changed", err)
	}
	if _, err := f.Service.Login(context.Background(), f.Username, f.Password, "127.0.0.1"); err == nil {
		t.Fatal("the old password still logs in")
	}
}
