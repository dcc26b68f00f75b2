package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/riverqueue/river"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/analysis"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/jobs"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// enableAI subscribes the client to AI and turns it on for the cameras
// numbered.
func enableAI(t testing.TB, f *ingesttest.Fixture, numbers ...int) {
	t.Helper()
	ctx := context.Background()
	if err := f.DB.CreateAISubscription(ctx, &cam2drive.AISubscription{OrgID: f.Org.ID, CameraLimit: 4}); err != nil {
		t.Fatal(err)
	}
	cams, _, err := f.DB.Cameras(ctx, f.Org.ID, store.CameraFilter{RecorderID: f.Recorder.ID}, cam2drive.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cams {
		for _, n := range numbers {
			if c.Number == n {
				c.AIEnabled = true
				if err := f.DB.UpdateCamera(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// analysisJobs reads the analysis jobs River holds: their queue and args.
func analysisJobs(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	const q = `SELECT queue, args FROM river_job WHERE kind = 'analyze_recording'`
	out := map[string]string{}
	add := func(queue string, args []byte) {
		var a analysis.Args
		if err := json.Unmarshal(args, &a); err != nil {
			t.Fatal(err)
		}
		out[a.RecordingID] = queue
	}
	ctx := context.Background()
	if db.Dialect() == store.Postgres {
		rows, err := db.Pool().Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var queue string
			var args []byte
			if err := rows.Scan(&queue, &args); err != nil {
				t.Fatal(err)
			}
			add(queue, args)
		}
		return out
	}
	// riversqlite keeps args as SQLite's binary JSON.
	rows, err := db.SQLWriter().QueryContext(ctx, `SELECT queue, json(args) FROM river_job WHERE kind = 'analyze_recording'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var queue string
		var args []byte
		if err := rows.Scan(&queue, &args); err != nil {
			t.Fatal(err)
		}
		add(queue, args)
	}
	return out
}

// A recording that becomes ready on a camera with AI gets its analysis
// queued, in the analysis queue; one of a camera without AI, or one that
// failed, does not.
func TestReadyRecordingsOfAICamerasAreQueuedForAnalysis(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := ingesttest.New(t, ingesttest.Options{Dialect: d})
			enableAI(t, f, 1)
			clip := encode(t, "c.mp4", append(x264, "-an")...)
			upload(t, f, "SN/2024-03-01/001/dav/10/10.15.30-10.15.32[M][0@0][0].mp4", clip)
			upload(t, f, "SN/2024-03-01/001/dav/11/11.15.30-11.15.32[M][0@0][0].mp4", clip[:len(clip)/2])
			upload(t, f, "SN/2024-03-01/002/dav/10/10.15.30-10.15.32[M][0@0][0].mp4", clip)
			queue, err := jobs.New(f.DB, nil, jobs.Config{})
			if err != nil {
				t.Fatal(err)
			}
			w := worker(t, f)
			w.Analysis = queue
			process(t, f, w)
			var want string
			for _, r := range f.Recordings(t) {
				cam, err := f.DB.Camera(context.Background(), f.Org.ID, r.CameraID)
				if err != nil {
					t.Fatal(err)
				}
				if cam.Number == 1 && r.Status == "ready" {
					want = r.ID
				}
			}
			got := analysisJobs(t, f.DB)
			if len(got) != 1 || got[want] != analysis.Queue {
				t.Fatalf("analysis jobs %v, want one for %s in queue %q", got, want, analysis.Queue)
			}
			if n, err := f.DB.QueuedJobs(context.Background(), analysis.Queue); err != nil || n != 1 {
				t.Fatalf("backlog %d, %v; want 1", n, err)
			}
		})
	}
}

type failingQueue struct{}

func (failingQueue) InsertTx(context.Context, *store.Tx, river.JobArgs, *river.InsertOpts) error {
	return errors.New("queue down")
}

// The job and the ready status commit together: when the job cannot be
// queued, the recording stays "processing" for the retry.
func TestAnalysisJobCommitsWithTheStatus(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	enableAI(t, f, 1)
	upload(t, f, "SN/2024-03-01/001/dav/10/10.15.30-10.15.32[M][0@0][0].mp4", encode(t, "c.mp4", append(x264, "-an")...))
	w := worker(t, f)
	w.Analysis = failingQueue{}
	r := f.Recordings(t)[0]
	if err := w.Work(context.Background(), job(r, 1)); err == nil {
		t.Fatal("a job that could not be queued must fail the attempt")
	}
	if r = f.Recordings(t)[0]; r.Status != "processing" {
		t.Fatalf("status %s without its analysis job: it must roll back", r.Status)
	}
	queue, err := jobs.New(f.DB, nil, jobs.Config{})
	if err != nil {
		t.Fatal(err)
	}
	w.Analysis = queue
	if err := w.Work(context.Background(), job(r, 2)); err != nil {
		t.Fatal(err)
	}
	if r = f.Recordings(t)[0]; r.Status != "ready" || len(analysisJobs(t, f.DB)) != 1 {
		t.Fatalf("retry: status %s, jobs %v", r.Status, analysisJobs(t, f.DB))
	}
}
