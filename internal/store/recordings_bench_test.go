package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// Browsing benchmarks on a large seeded index (PLAY2: "fast on millions of
// recordings"). Targets: the first page of 50 for a site, 4 cameras, one
// day and 2 detection types, and the calendar of a month, each under 30 ms
// at p99 with 1 M recordings on SQLite and 10 M on PostgreSQL.
//
//	go test ./internal/store -run '^$' -bench RecordingsBrowse -benchtime 400x
//
// Sizes: CAM2DRIVE_BENCH_RECORDINGS (SQLite, default 1000000) and
// CAM2DRIVE_BENCH_PG_RECORDINGS (PostgreSQL, default 10000000; PostgreSQL
// runs when CAM2DRIVE_TEST_POSTGRES_URL is set). Seeded databases are kept
// for the next run: SQLite under CAM2DRIVE_BENCH_DIR (default the system
// temp dir), PostgreSQL as database c2d_bench_recordings_<n> (drop it to
// reseed). Seeding 10 M rows on PostgreSQL takes minutes.
//
// The data: 8 client organisations with one site (Europe/Paris) and one
// recorder of 64 cameras each, over one year. The benchmarked organisation
// holds half of the recordings (so on PostgreSQL each of its cameras
// records every ~7 minutes), the seven others share the rest; 20% of the
// recordings have detections (1 or 2 of motion, person, vehicle, animal);
// one camera is restricted to a user, and the queries run as a viewer.

const (
	benchOrgs    = 8
	benchCameras = 64
)

var benchTypes = []string{"motion", "person", "vehicle", "animal"}

// benchStart is the first instant of the seeded year.
var benchStart = time.Date(2025, 11, 23, 0, 0, 0, 0, time.UTC)

const benchYear = 365 * 24 * time.Hour

// benchSet is a seeded database and the benchmarked organisation.
type benchSet struct {
	db      *store.DB
	n       int
	org     string
	site    string
	viewer  string
	cameras []string // the organisation's cameras, by number
	paris   *time.Location
}

func BenchmarkRecordingsBrowse(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		set := openBenchSet(b, d)
		name := fmt.Sprintf("%s-%dk", d, set.n/1000)
		b.Run(name+"/list", func(b *testing.B) { benchList(b, set) })
		b.Run(name+"/calendar", func(b *testing.B) { benchCalendar(b, set) })
		b.Run(name+"/count-all-site-day", func(b *testing.B) { benchSiteDay(b, set) })
	}
}

// benchFilter picks a random day of the year and 4 random cameras.
func (s *benchSet) benchFilter(rng *rand.Rand) (store.RecordingFilter, time.Time) {
	day := benchStart.In(s.paris).AddDate(0, 0, 1+rng.IntN(360))
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, s.paris)
	var cams []string
	for _, i := range rng.Perm(benchCameras - 1)[:4] { // camera 64 is restricted
		cams = append(cams, s.cameras[i])
	}
	return store.RecordingFilter{SiteID: s.site, CameraIDs: cams, From: from, To: from.AddDate(0, 0, 1),
		Types: []string{"person", "vehicle"}, TopLevel: true, ViewerID: s.viewer}, from
}

// benchList is what GET …/recordings does for the first page: the page with
// its total, the detection types and detections of its items and their
// camera and site names.
func benchList(b *testing.B, s *benchSet) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	timed(b, func() {
		f, _ := s.benchFilter(rng)
		recs, total, err := s.db.Recordings(ctx, s.org, f, cam2drive.Page{Limit: 50})
		if err != nil || total < len(recs) {
			b.Fatalf("list: %v", err)
		}
		ids, cams := make([]string, len(recs)), map[string]bool{}
		for i, r := range recs {
			ids[i], cams[r.CameraID] = r.ID, true
		}
		if _, err := s.db.Detections(ctx, s.org, ids); err != nil { // every item carries its detections
			b.Fatal(err)
		}
		if _, _, err := s.db.RecordingPlaces(ctx, s.org, slices.Collect(mapKeys(cams)), []string{s.site}); err != nil {
			b.Fatal(err)
		}
	})
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func benchCalendar(b *testing.B, s *benchSet) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	timed(b, func() {
		f, day := s.benchFilter(rng)
		f.From, f.To = time.Time{}, time.Time{}
		days, err := s.db.RecordingDays(ctx, s.org, f, day.Year(), day.Month(), s.paris)
		if err != nil || len(days) == 0 {
			b.Fatalf("calendar of %s: %v %v", day.Format("2006-01"), days, err)
		}
	})
}

// benchSiteDay lists a whole site for a day without other filters: the
// page that opens by default.
func benchSiteDay(b *testing.B, s *benchSet) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 6))
	timed(b, func() {
		f, _ := s.benchFilter(rng)
		f.CameraIDs, f.Types = nil, nil
		if _, _, err := s.db.Recordings(ctx, s.org, f, cam2drive.Page{Limit: 50}); err != nil {
			b.Fatal(err)
		}
	})
}

// timed runs op b.N times and reports the median and 99th percentile.
func timed(b *testing.B, op func()) {
	op() // warm the connection pool
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t := time.Now()
		op()
		d = append(d, time.Since(t))
	}
	b.StopTimer()
	slices.Sort(d)
	pct := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}

// ---- seeding ----

func benchSize(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func openBenchSet(b *testing.B, d store.Dialect) *benchSet {
	b.Helper()
	s := &benchSet{n: benchSize("CAM2DRIVE_BENCH_RECORDINGS", 1_000_000)}
	if d == store.Postgres {
		s.n = benchSize("CAM2DRIVE_BENCH_PG_RECORDINGS", 10_000_000)
	}
	var err error
	if s.paris, err = time.LoadLocation("Europe/Paris"); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	s.db = openBenchDB(b, d, s.n, false)
	if err := s.load(ctx); err != nil {
		b.Logf("seeding %d recordings on %s (%v)…", s.n, d, err)
		s.db.Close()
		s.db = openBenchDB(b, d, s.n, true)
		start := time.Now()
		if err := s.seed(ctx); err != nil {
			b.Fatalf("seed: %v", err)
		}
		b.Logf("seeded in %s", time.Since(start).Round(time.Second))
	}
	b.Cleanup(s.db.Close)
	return s
}

// openBenchDB opens the kept, migrated benchmark database of n recordings;
// fresh empties it first.
func openBenchDB(b *testing.B, d store.Dialect, n int, fresh bool) *store.DB {
	ctx := context.Background()
	url, dir := "", ""
	if d == store.Postgres {
		url = benchPostgres(b, n, fresh)
	} else {
		root := os.Getenv("CAM2DRIVE_BENCH_DIR")
		if root == "" {
			root = filepath.Join(os.TempDir(), "cam2drive-bench")
		}
		dir = filepath.Join(root, fmt.Sprintf("recordings-%d", n))
		if fresh {
			if err := os.RemoveAll(dir); err != nil {
				b.Fatal(err)
			}
		}
	}
	db, err := store.Open(ctx, url, dir)
	if err != nil {
		b.Fatalf("open bench database: %v", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		b.Fatalf("migrate: %v", err)
	}
	return db
}

// benchPostgres returns the URL of the kept benchmark database of n
// recordings, creating it (again, when fresh) if needed.
func benchPostgres(b *testing.B, n int, fresh bool) string {
	base := os.Getenv(storetest.EnvPostgres)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		b.Fatalf("connect: %v", err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("c2d_bench_recordings_%d", n)
	if fresh {
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
			b.Fatalf("drop database: %v", err)
		}
	}
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			b.Fatalf("create database: %v", err)
		}
	}
	u := strings.SplitN(base, "?", 2)
	i := strings.LastIndex(u[0], "/")
	out := u[0][:i+1] + name
	if len(u) == 2 {
		out += "?" + u[1]
	}
	return out
}

// exec runs a statement on the bench database, with ? placeholders.
func (s *benchSet) exec(ctx context.Context, query string, args ...any) error {
	if s.db.Dialect() == store.Postgres {
		_, err := s.db.Pool().Exec(ctx, pgPlaceholders(query), args...)
		return err
	}
	_, err := s.db.SQLWriter().ExecContext(ctx, query, args...)
	return err
}

func (s *benchSet) queryRow(ctx context.Context, query string, args []any, dest ...any) error {
	if s.db.Dialect() == store.Postgres {
		return s.db.Pool().QueryRow(ctx, pgPlaceholders(query), args...).Scan(dest...)
	}
	return s.db.SQLWriter().QueryRowContext(ctx, query, args...).Scan(dest...)
}

func pgPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// load finds the benchmarked organisation of a completely seeded database.
func (s *benchSet) load(ctx context.Context) error {
	var meta string
	if err := s.queryRow(ctx, `SELECT address FROM sites WHERE name = 'bench seeded'`, nil, &meta); err != nil {
		return err
	}
	parts := strings.Split(meta, " ")
	if len(parts) != 3 {
		return fmt.Errorf("bad marker %q", meta)
	}
	s.org, s.site, s.viewer = parts[0], parts[1], parts[2]
	cams, _, err := s.db.Cameras(ctx, s.org, store.CameraFilter{}, cam2drive.Page{Limit: 500})
	if err != nil {
		return err
	}
	for _, c := range cams {
		s.cameras = append(s.cameras, c.ID)
	}
	if len(s.cameras) != benchCameras {
		return fmt.Errorf("%d cameras", len(s.cameras))
	}
	return nil
}

// benchCamera is where seeded recordings go: one camera of one organisation.
type benchCamera struct{ org, site, recorder, camera string }

// seed creates the organisations and devices with the store, then the
// recordings and detections in bulk, and marks the database complete.
func (s *benchSet) seed(ctx context.Context) error {
	cams := make([][]benchCamera, benchOrgs)
	for o := range benchOrgs {
		var err error
		if cams[o], err = s.seedOrg(ctx, o); err != nil {
			return err
		}
	}
	s.org, s.site = cams[0][0].org, cams[0][0].site
	if err := s.seedViewer(ctx, cams[0][benchCameras-1].camera); err != nil {
		return err
	}
	var err error
	if s.db.Dialect() == store.Postgres {
		err = s.seedPostgres(ctx, cams)
	} else {
		err = s.seedSQLite(ctx, cams)
	}
	if err != nil {
		return err
	}
	// The detection bits ReplaceDetections keeps (as migration 0005 backfills).
	if err := s.exec(ctx, `UPDATE recordings SET detection_mask = (SELECT SUM(DISTINCT CASE d.type WHEN 'motion' THEN 1
		WHEN 'person' THEN 2 WHEN 'vehicle' THEN 4 WHEN 'animal' THEN 8 ELSE 0 END) FROM detections d WHERE d.recording_id = recordings.id)
		WHERE EXISTS (SELECT 1 FROM detections d WHERE d.recording_id = recordings.id)`); err != nil {
		return err
	}
	if s.db.Dialect() == store.Postgres {
		// Autovacuum would soon do this after such a load; index-only scans need it.
		if _, err := s.db.Pool().Exec(ctx, "VACUUM ANALYZE recordings"); err != nil {
			return err
		}
	}
	mark := cam2drive.Site{OrgID: s.org, Name: "bench seeded", Timezone: "UTC", Address: s.org + " " + s.site + " " + s.viewer}
	if err := s.db.CreateSite(ctx, &mark); err != nil {
		return err
	}
	return s.load(ctx)
}

func (s *benchSet) seedOrg(ctx context.Context, o int) ([]benchCamera, error) {
	var org cam2drive.Org
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		org = cam2drive.Org{Kind: cam2drive.KindClient, Name: fmt.Sprintf("Bench client %d", o), Email: fmt.Sprintf("bench%d@example.com", o)}
		return tx.CreateOrg(ctx, &org)
	})
	if err != nil {
		return nil, err
	}
	site := cam2drive.Site{OrgID: org.ID, Name: "Warehouse", Timezone: "Europe/Paris", Address: "1 quai de la Gare"}
	if err := s.db.CreateSite(ctx, &site); err != nil {
		return nil, err
	}
	rec := cam2drive.Recorder{OrgID: org.ID, SiteID: site.ID, Name: "NVR", Manufacturer: "dahua", Kind: "nvr", CameraCount: benchCameras}
	if err := s.db.AddRecorder(ctx, &rec); err != nil {
		return nil, err
	}
	list, _, err := s.db.Cameras(ctx, org.ID, store.CameraFilter{}, cam2drive.Page{Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []benchCamera
	for _, c := range list {
		out = append(out, benchCamera{org: org.ID, site: site.ID, recorder: rec.ID, camera: c.ID})
	}
	return out, nil
}

// seedViewer adds the viewer the queries run as, and restricts one camera
// to someone else.
func (s *benchSet) seedViewer(ctx context.Context, restricted string) error {
	role := cam2drive.Role{OrgID: s.org, Name: "Guard", Permissions: []string{"recordings.view"}}
	if err := s.db.CreateRole(ctx, &role); err != nil {
		return err
	}
	var users [2]cam2drive.User
	for i := range users {
		users[i] = cam2drive.User{OrgID: s.org, RoleID: role.ID, Email: fmt.Sprintf("guard%d@bench.example.com", i), Name: "Guard",
			Status: cam2drive.UserActive, PasswordHash: "x", Preferences: cam2drive.DefaultPreferences("fr")}
		if err := s.db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, &users[i]) }); err != nil {
			return err
		}
	}
	s.viewer = users[0].ID
	cam, err := s.db.Camera(ctx, s.org, restricted)
	if err != nil {
		return err
	}
	cam.AllowedUsers = []string{users[1].ID}
	return s.db.UpdateCamera(ctx, cam)
}

// benchRow is recording i of n: the same formulas as the PostgreSQL seed.
// Even rows belong to organisation 0, odd rows to the seven others; rows
// are spread evenly over the year and the cameras.
func benchRow(i, n int64) (org, camera int64, startMS int64, hash int64) {
	spacing := benchYear.Milliseconds() / (n / 2)
	j := i / 2
	if i%2 == 0 {
		org, camera = 0, j%benchCameras
	} else {
		org, camera = 1+j%(benchOrgs-1), (j/(benchOrgs-1))%benchCameras
	}
	startMS = benchStart.UnixMilli() + j*spacing + (i%2)*(spacing/2)
	return org, camera, startMS, (i * 2654435761) % 4294967296
}

func benchID(i int64) string { return fmt.Sprintf("%026x", i) }

func (s *benchSet) seedSQLite(ctx context.Context, cams [][]benchCamera) error {
	const perStmt, perTx = 400, 50_000
	n := int64(s.n)
	recRow := "(" + strings.Repeat("?, ", 28) + "?)"
	detRow := "(?, ?, ?, ?, ?, ?, ?)"
	for lo := int64(0); lo < n; lo += perTx {
		tx, err := s.db.SQLWriter().BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		var recArgs, detArgs []any
		flush := func(force bool) error {
			force = force || len(detArgs) >= perStmt*7 // a detection's recording goes first
			if len(recArgs) > 0 && (force || len(recArgs) >= perStmt*29) {
				q := `INSERT INTO recordings (` + benchRecordingCols + `) VALUES ` + strings.TrimSuffix(strings.Repeat(recRow+", ", len(recArgs)/29), ", ")
				if _, err := tx.ExecContext(ctx, q, recArgs...); err != nil {
					return err
				}
				recArgs = recArgs[:0]
			}
			if len(detArgs) > 0 && force {
				q := `INSERT INTO detections (id, org_id, recording_id, source, type, label, score) VALUES ` +
					strings.TrimSuffix(strings.Repeat(detRow+", ", len(detArgs)/7), ", ")
				if _, err := tx.ExecContext(ctx, q, detArgs...); err != nil {
					return err
				}
				detArgs = detArgs[:0]
			}
			return nil
		}
		for i := lo; i < min(lo+perTx, n); i++ {
			o, c, start, h := benchRow(i, n)
			cam := cams[o][c]
			recArgs = append(recArgs, benchRecording(i, cam, start)...)
			for k, typ := range benchDetections(h) {
				detArgs = append(detArgs, benchID(i*2+int64(k)), cam.org, benchID(i), "model", typ, typ, 0.8)
			}
			if err := flush(false); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := flush(true); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

const benchRecordingCols = `id, org_id, site_id, recorder_id, camera_id, disk_id, start_ms, end_ms, timed, kind, event_type, event_code,
	status, status_reason, object_key, size, sha256, source_path, duration_ms, codec, width, height, container,
	media_key, thumb_key, poster_key, strip_key, parent_id, created_at`

func benchRecording(i int64, c benchCamera, start int64) []any {
	id := benchID(i)
	day := time.UnixMilli(start).UTC().Format("2006-01-02/15/04/05")
	return []any{id, c.org, c.site, c.recorder, c.camera, "bench-disk", start, start + 30_000, 1, "clip", "motion", "",
		"ready", "", c.org + "/" + c.recorder + "/" + id + ".dav", 2_000_000 + i%1000*1000, fmt.Sprintf("%064x", i*7919),
		"SN/" + day + "[M][0@0][0].dav", 30_000, "h264", 1920, 1080, "dhav",
		c.org + "/" + c.recorder + "/" + id + ".mp4", c.org + "/" + c.recorder + "/" + id + ".thumb.jpg", "", "", "", start + 60_000}
}

// benchDetections are the detection types of a recording with hash h:
// 20% have one or two.
func benchDetections(h int64) []string {
	if h%5 != 0 {
		return nil
	}
	first := (h / 5) % 4
	out := []string{benchTypes[first]}
	if (h/20)%2 == 0 {
		out = append(out, benchTypes[(first+1)%4])
	}
	return out
}

// seedPostgres generates the rows in the server with generate_series and
// the same formulas as benchRow, a million at a time.
func (s *benchSet) seedPostgres(ctx context.Context, cams [][]benchCamera) error {
	pool := s.db.Pool()
	var rows [][]any
	for o, list := range cams {
		for c, bc := range list {
			rows = append(rows, []any{o, c, bc.org, bc.site, bc.recorder, bc.camera})
		}
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	// The temporary table lives on this one connection.
	c := conn.Conn()
	if _, err := c.Exec(ctx, `CREATE TEMP TABLE bench_cams (o BIGINT, n BIGINT, org TEXT, site TEXT, rec TEXT, cam TEXT)`); err != nil {
		return err
	}
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"bench_cams"}, []string{"o", "n", "org", "site", "rec", "cam"}, pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	n := int64(s.n)
	spacing := benchYear.Milliseconds() / (n / 2)
	t0 := benchStart.UnixMilli()
	const chunk = 1_000_000
	for lo := int64(0); lo < n; lo += chunk {
		hi := min(lo+chunk, n) - 1
		q := `INSERT INTO recordings (` + benchRecordingCols + `)
			SELECT lpad(to_hex(g), 26, '0'), c.org, c.site, c.rec, c.cam, 'bench-disk', t, t + 30000, 1, 'clip', 'motion', '',
				'ready', '', c.org || '/' || c.rec || '/' || lpad(to_hex(g), 26, '0') || '.dav', 2000000 + g % 1000 * 1000, lpad(to_hex(g * 7919), 64, '0'),
				'SN/' || to_char(to_timestamp(t / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD/HH24/MI/SS') || '[M][0@0][0].dav', 30000, 'h264', 1920, 1080, 'dhav',
				c.org || '/' || c.rec || '/' || lpad(to_hex(g), 26, '0') || '.mp4', c.org || '/' || c.rec || '/' || lpad(to_hex(g), 26, '0') || '.thumb.jpg', '', '', '', t + 60000
			FROM (SELECT g,
					CASE WHEN g % 2 = 0 THEN 0 ELSE 1 + (g / 2) % 7 END AS o,
					CASE WHEN g % 2 = 0 THEN (g / 2) % 64 ELSE ((g / 2) / 7) % 64 END AS n,
					$3::bigint + (g / 2) * $4::bigint + (g % 2) * ($4::bigint / 2) AS t
				FROM generate_series($1::bigint, $2::bigint) g) x
			JOIN bench_cams c ON c.o = x.o AND c.n = x.n`
		if _, err := c.Exec(ctx, q, lo, hi, t0, spacing); err != nil {
			return fmt.Errorf("recordings %d…%d: %w", lo, hi, err)
		}
		det := `INSERT INTO detections (id, org_id, recording_id, source, type, label, score)
			SELECT lpad(to_hex(g * 2 + k), 26, '0'), c.org, lpad(to_hex(g), 26, '0'), 'model', ty, ty, 0.8
			FROM (SELECT g, (g * 2654435761) % 4294967296 AS h,
					CASE WHEN g % 2 = 0 THEN 0 ELSE 1 + (g / 2) % 7 END AS o,
					CASE WHEN g % 2 = 0 THEN (g / 2) % 64 ELSE ((g / 2) / 7) % 64 END AS n
				FROM generate_series($1::bigint, $2::bigint) g) x
			JOIN bench_cams c ON c.o = x.o AND c.n = x.n
			CROSS JOIN LATERAL (VALUES (0, (ARRAY['motion','person','vehicle','animal'])[(h / 5) % 4 + 1]),
				(1, CASE WHEN (h / 20) % 2 = 0 THEN (ARRAY['motion','person','vehicle','animal'])[((h / 5) % 4 + 1) % 4 + 1] END)) AS d(k, ty)
			WHERE h % 5 = 0 AND ty IS NOT NULL`
		if _, err := c.Exec(ctx, det, lo, hi); err != nil {
			return fmt.Errorf("detections %d…%d: %w", lo, hi, err)
		}
	}
	// Autovacuum would analyse the tables soon after such a load.
	for _, t := range []string{"recordings", "detections", "camera_users"} {
		if _, err := c.Exec(ctx, "ANALYZE "+t); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkRecordingInsert measures what migration 0005's indexes cost an
// upload: indexing recordings (100 per transaction, like a busy ingest
// batch) into a table of 200 k, on an organisation's 64 cameras, with the indexes as migrated and with
// 0005's indexes taken away.
//
//	go test ./internal/store -run '^$' -bench RecordingInsert -benchtime 20000x
func BenchmarkRecordingInsert(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		for _, variant := range []string{"with-0005", "without-0005"} {
			b.Run(string(d)+"/"+variant, func(b *testing.B) {
				db := storetest.Open(b, d)
				s := &benchSet{db: db, n: 200_000}
				ctx := context.Background()
				all := make([][]benchCamera, benchOrgs)
				for o := range all {
					var err error
					if all[o], err = s.seedOrg(ctx, o); err != nil {
						b.Fatal(err)
					}
				}
				cams := all[0]
				if variant == "without-0005" {
					for _, q := range []string{"DROP INDEX recordings_browse", "DROP INDEX recordings_org_site_start",
						"CREATE INDEX recordings_org_site_start ON recordings(org_id, site_id, start_ms)"} {
						if err := s.exec(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
				}
				seed := s.seedSQLite
				if d == store.Postgres {
					seed = s.seedPostgres
				}
				if err := seed(ctx, all); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for lo := 0; lo < b.N; lo += 100 {
					err := db.InTx(ctx, func(tx *store.Tx) error {
						for i := lo; i < min(lo+100, b.N); i++ {
							k := int64(200_000 + i)
							_, c, start, _ := benchRow(k, int64(s.n))
							start += benchYear.Milliseconds() // after the seeded year
							r := cam2drive.Recording{ID: benchID(k), OrgID: cams[c].org, SiteID: cams[c].site, RecorderID: cams[c].recorder,
								CameraID: cams[c].camera, DiskID: "d", Start: time.UnixMilli(start), End: time.UnixMilli(start + 30_000),
								Kind: "clip", EventType: "motion", Status: "processing", ObjectKey: benchID(k) + ".dav", Size: 1,
								SHA256: benchID(k), SourcePath: benchID(k) + ".dav"}
							if err := tx.InsertRecording(ctx, &r); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
