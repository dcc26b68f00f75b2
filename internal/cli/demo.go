package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jlaffaye/ftp"
	"golang.org/x/sync/errgroup"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/auth"
	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/config"
	"github.com/cam2drive/cam2drive/internal/holo4"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/tenancy"
)

// `cam2drive demo` gives a newcomer something to look at: a demo client
// under a demo distributor and installer, with a site in Paris, a Dahua NVR
// of four cameras and a Hikvision NVR of two, each with a virtual disk and
// cloud recording on, and a day and a half of generated footage uploaded
// through the real FTP server under the names those recorders use. The
// client has an AI subscription and AI on for every camera, and some of the
// footage shows real pictures (Debian's darknet test images: a dog, a
// bicycle and a truck; a person with a dog and a horse; horses), so that
// with the models installed the analysis finds people, vehicles and animals
// and the player draws their boxes; without models it finds motion only.
// The processing and analysis jobs it queues are worked by `serve`.

// Demo organisation names and the reserved-domain addresses of the demo
// reseller levels' first admins (their invitations are never delivered).
const (
	demoDistributor      = "Demo Distribution"
	demoDistributorEmail = "distributor@demo.cam2drive.invalid"
	demoInstaller        = "Demo Installations"
	demoInstallerEmail   = "installer@demo.cam2drive.invalid"
	demoClient           = "Demo – Boulangerie Martin"
	demoSite             = "Paris – Magasin"
	demoTimezone         = "Europe/Paris"
	demoAddress          = "12 rue de Rivoli, 75004 Paris"
	demoConns            = 4 // FTP connections uploading at once
	// darknetData is where Debian's darknet package puts its test pictures.
	darknetData = "/usr/share/darknet/data"
)

// demoOptions is what the command was asked.
type demoOptions struct {
	Email    string
	Password string // "" = generate one
	Events   int    // per camera
	FTPAddr  string // "" = an FTP listener of this process on 127.0.0.1
	Now      time.Time
	AI       bool   // an AI subscription for the client, AI on for its cameras
	Pictures string // a folder holding demoPictures; without them, drawn scenes only
}

func (o demoOptions) validate() error {
	if !tenancy.ValidEmail(o.Email) {
		return fmt.Errorf("--email %q is not an e-mail address", o.Email)
	}
	if o.Events < 1 || o.Events > 500 {
		return fmt.Errorf("--events %d: want 1 to 500 events per camera", o.Events)
	}
	return nil
}

func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config.Config
	o := demoOptions{Now: time.Now()}
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	config.BindServe(fs, &cfg) // the storage, key and FTP settings of the `serve` it feeds
	fs.StringVar(&o.Email, "email", "demo@cam2drive.local", "e-mail of the demo client's administrator")
	fs.StringVar(&o.Password, "password", "", "its password (default: a generated one, printed once)")
	fs.IntVar(&o.Events, "events", 30, "events per camera")
	fs.BoolVar(&o.AI, "ai", true, "give the demo client an AI subscription and turn AI on for its cameras")
	fs.StringVar(&o.Pictures, "pictures", darknetData, "folder of "+strings.Join(demoPictures, ", ")+" shown in some clips (Debian's darknet package)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: cam2drive demo [--email E] [--password P] [--events N] [--ai=false] [--pictures DIR] [--ftp-addr HOST:PORT of a running serve]")
		fs.PrintDefaults()
	}
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "ftp-addr" {
			o.FTPAddr = dialAddr(cfg.FTPAddr)
		}
	})
	if err := o.validate(); err != nil {
		return err
	}
	a, err := build(ctx, cfg, quietLogger(cfg), false)
	if err != nil {
		return err
	}
	defer a.close()
	return a.runDemo(ctx, o, stdout, stderr)
}

// dialAddr turns a listen address (":2121") into one to connect to.
func dialAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// runDemo creates the demo client and uploads its footage, once: when the
// client exists, it prints the login and changes nothing.
func (a *app) runDemo(ctx context.Context, o demoOptions, stdout, stderr io.Writer) error {
	if s, ok, err := a.unfinishedDemo(o.Email); err != nil {
		return err
	} else if ok {
		return a.resumeDemo(ctx, s, o, stdout, stderr)
	}
	if done, err := a.demoExists(ctx, o.Email, stdout); done || err != nil {
		return err
	}
	generated := o.Password == ""
	if generated {
		o.Password = auth.NewSecret()[:20]
	}
	if err := a.auth.Policy().Check("password", o.Password, o.Email); err != nil {
		return err
	}
	loc, err := time.LoadLocation(demoTimezone)
	if err != nil {
		return err
	}
	plan := demoPlan(o.Now, loc, o.Events)
	// Footage first: without ffmpeg nothing is created.
	media, err := a.demoFootage(ctx, o.Pictures, stderr)
	if err != nil {
		return err
	}
	client, recs, err := a.demoSetup(ctx, o)
	if err != nil {
		return err
	}
	state := demoState{Email: o.Email, Password: o.Password, Now: o.Now, Events: o.Events, Pictures: o.Pictures, AI: o.AI}
	if err := writeDemoState(a.cfg.DataDir, state); err != nil {
		return err
	}
	if err := a.demoUpload(ctx, o.FTPAddr, recs, plan, media, stderr); err != nil {
		return fmt.Errorf("demo client %q created, but its upload failed (run `cam2drive demo` again to finish it): %w", client.Name, err)
	}
	state.Done = true
	if err := writeDemoState(a.cfg.DataDir, state); err != nil {
		return err
	}
	cams := demoCameraCount()
	fmt.Fprintf(stdout, "demo client created: %s (site %s, %s; %d recorders, %d cameras)\n", client.Name, demoSite, demoTimezone, len(recs), cams)
	fmt.Fprintf(stdout, "uploaded %d files over FTP; `cam2drive serve` processes them\n", len(plan))
	if o.AI {
		fmt.Fprintf(stdout, "AI is on for the %d cameras: `serve` analyses each recording (people, vehicles, animals with the models of `make models`; motion only without them)\n", cams)
	}
	printDemoLogin(stdout, o.Email, o.Password)
	return nil
}

func printDemoLogin(w io.Writer, email, password string) {
	fmt.Fprintf(w, "e-mail: %s\npassword: %s\n", email, password)
}

// demoExists reports (and prints) an existing demo client.
func (a *app) demoExists(ctx context.Context, email string, stdout io.Writer) (bool, error) {
	u, err := a.db.UserByEmail(ctx, email)
	if cam2drive.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	org, err := a.db.Org(ctx, u.OrgID)
	if err != nil {
		return false, err
	}
	if org.Kind != cam2drive.KindClient {
		return false, fmt.Errorf("%s is the account of %q, not of a demo client: choose another --email", email, org.Name)
	}
	fmt.Fprintf(stdout, "demo client %s already exists; nothing uploaded\n", org.Name)
	printDemoLogin(stdout, u.Email, "(unchanged)")
	return true, nil
}

// demoMedia is the generated footage by recorder index, channel and
// variant (day, night, pictures).
type demoMedia map[[3]int]footage

// The variants of a camera's footage.
const (
	dayScene = iota
	nightScene
	pictureScene // the real pictures, when there are some
)

func mediaKey(ri, ch, variant int) [3]int { return [3]int{ri, ch, variant} }

// demoFootage draws (or finds in the cache) each camera's day and night
// scenes, and its clip of the pictures when pictures holds them, two at a time.
func (a *app) demoFootage(ctx context.Context, pictures string, stderr io.Writer) (demoMedia, error) {
	cache := footageCache{dir: filepath.Join(a.cfg.DataDir, "cache", "demo")}
	out := demoMedia{}
	variants := []int{dayScene, nightScene}
	if havePictures(pictures) {
		variants = append(variants, pictureScene)
	} else {
		fmt.Fprintf(stderr, "no %s in %q (apt-get install darknet): the demo shows drawn scenes only\n", strings.Join(demoPictures, ", "), pictures)
	}
	var mu sync.Mutex
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for ri, rec := range demoRecorders {
		for _, cam := range rec.Cameras {
			for _, v := range variants {
				g.Go(func() error {
					spec := sceneSpec(ri, cam, v == nightScene)
					if v == pictureScene {
						spec.Pictures = pictures
					}
					f, err := cache.get(gctx, spec)
					if err != nil {
						return fmt.Errorf("demo footage (is ffmpeg installed?): %w", err)
					}
					mu.Lock()
					defer mu.Unlock()
					out[mediaKey(ri, cam.Number, v)] = f
					return nil
				})
			}
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "demo footage ready in %s (%s)\n", time.Since(start).Round(time.Millisecond), cache.dir)
	return out, nil
}

// demoSetup creates the organisations, the demo user, the site, the
// recorders with their disks and cameras, through the services the API uses.
func (a *app) demoSetup(ctx context.Context, o demoOptions) (cam2drive.Org, []cam2drive.Recorder, error) {
	actor, err := a.platformActor(ctx)
	if err != nil {
		return cam2drive.Org{}, nil, err
	}
	client, err := a.demoOrgs(ctx, actor, o.Email)
	if err != nil {
		return client, nil, err
	}
	if err := a.demoUser(ctx, client, o); err != nil {
		return client, nil, err
	}
	site, err := a.demoSite(ctx, client)
	if err != nil {
		return client, nil, err
	}
	if o.AI {
		if err := a.demoAISubscription(ctx, actor, client); err != nil {
			return client, nil, err
		}
	}
	var recs []cam2drive.Recorder
	for _, dr := range demoRecorders {
		r, err := a.demoRecorder(ctx, site, dr, o.AI)
		if err != nil {
			return client, nil, fmt.Errorf("recorder %s: %w", dr.Name, err)
		}
		recs = append(recs, r)
	}
	return client, recs, nil
}

// platformActor is the platform's administrator, who creates the demo levels.
func (a *app) platformActor(ctx context.Context) (store.Principal, error) {
	platform, err := a.db.PlatformOrg(ctx)
	if cam2drive.IsNotFound(err) {
		return store.Principal{}, errors.New("no platform yet: run `cam2drive admin bootstrap --email E` first")
	}
	if err != nil {
		return store.Principal{}, err
	}
	var admin cam2drive.Role
	err = a.db.InTx(ctx, func(tx *store.Tx) error {
		admin, err = tx.RoleByBuiltin(ctx, platform.ID, authz.Admin)
		return err
	})
	if err != nil {
		return store.Principal{}, err
	}
	users, _, err := a.db.Users(ctx, platform.ID, store.UserFilter{RoleID: admin.ID}, cam2drive.Page{Limit: 1})
	if err != nil {
		return store.Principal{}, err
	}
	if len(users) == 0 {
		return store.Principal{}, errors.New("the platform has no administrator: run `cam2drive admin bootstrap --email E` first")
	}
	return store.Principal{User: users[0], Org: platform, Role: admin}, nil
}

// demoOrgs finds or creates the demo distributor and installer, then
// creates the demo client with email as its first admin.
func (a *app) demoOrgs(ctx context.Context, actor store.Principal, email string) (cam2drive.Org, error) {
	dist, err := a.childOrg(ctx, actor, actor.Org, cam2drive.KindDistributor, demoDistributor, demoDistributorEmail)
	if err != nil {
		return dist, err
	}
	inst, err := a.childOrg(ctx, actor, dist, cam2drive.KindInstaller, demoInstaller, demoInstallerEmail)
	if err != nil {
		return inst, err
	}
	return a.tenancy.CreateOrg(ctx, actor, tenancy.NewOrg{ParentID: inst.ID, Kind: cam2drive.KindClient, Name: demoClient,
		Email: email, Address: demoAddress}, "cli")
}

// childOrg returns parent's child of that kind and name, creating it if needed.
func (a *app) childOrg(ctx context.Context, actor store.Principal, parent cam2drive.Org, kind cam2drive.OrgKind, name, email string) (cam2drive.Org, error) {
	orgs, _, err := a.db.ChildOrgs(ctx, parent.ID, store.OrgFilter{Kind: kind, Query: name}, cam2drive.Page{Limit: 50})
	if err != nil {
		return cam2drive.Org{}, err
	}
	for _, o := range orgs {
		if o.Name == name {
			return o, nil
		}
	}
	return a.tenancy.CreateOrg(ctx, actor, tenancy.NewOrg{ParentID: parent.ID, Kind: kind, Name: name, Email: email}, "cli")
}

// demoUser gives the client's invited admin a name and the password,
// hashed like every password; the account becomes active.
func (a *app) demoUser(ctx context.Context, client cam2drive.Org, o demoOptions) error {
	u, err := a.db.UserByEmail(ctx, o.Email)
	if err != nil {
		return err
	}
	hash, err := a.auth.Hash(ctx, o.Password)
	if err != nil {
		return err
	}
	if err := a.db.InTx(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, u.ID, hash) }); err != nil {
		return err
	}
	return a.db.SetUserName(ctx, client.ID, u.ID, "Demo")
}

// demoSite turns the client's default site into the demo shop in Paris.
func (a *app) demoSite(ctx context.Context, client cam2drive.Org) (cam2drive.Site, error) {
	sites, _, err := a.db.Sites(ctx, client.ID, store.SiteFilter{}, cam2drive.Page{Limit: 1})
	if err != nil {
		return cam2drive.Site{}, err
	}
	var site cam2drive.Site
	if len(sites) > 0 {
		site = sites[0]
	}
	site.OrgID, site.Name, site.Timezone, site.Address = client.ID, demoSite, demoTimezone, demoAddress
	if site.ID == "" {
		return site, a.db.CreateSite(ctx, &site)
	}
	return site, a.db.UpdateSite(ctx, site)
}

// demoAISubscription sells the client, as its installer would through the
// API, an AI subscription for every demo camera with every HOLO4 package.
func (a *app) demoAISubscription(ctx context.Context, actor store.Principal, client cam2drive.Org) error {
	sub := cam2drive.AISubscription{OrgID: client.ID, CameraLimit: demoCameraCount(), Packages: holo4.Current().PackageIDs()}
	if err := a.db.CreateAISubscription(ctx, &sub); err != nil {
		return fmt.Errorf("AI subscription: %w", err)
	}
	return a.db.AddAudit(ctx, cam2drive.AuditEvent{OrgID: client.ID, ActorID: actor.User.ID, ActorEmail: actor.User.Email,
		Action: "ai_subscription.created", Target: sub.ID, IP: "cli"})
}

// demoCameraCount is how many cameras the demo recorders have.
func demoCameraCount() int {
	n := 0
	for _, r := range demoRecorders {
		n += len(r.Cameras)
	}
	return n
}

// demoRecorder creates a recorder with generated credentials, a virtual
// disk for all its cameras, and cloud recording (and AI when ai) on for
// each named camera.
func (a *app) demoRecorder(ctx context.Context, site cam2drive.Site, dr demoRecorder, ai bool) (cam2drive.Recorder, error) {
	r := cam2drive.Recorder{OrgID: site.OrgID, SiteID: site.ID, Name: dr.Name, Manufacturer: dr.Manufacturer, Kind: "nvr",
		CameraCount: len(dr.Cameras), RetentionDays: 30}
	if err := a.ingest.CreateRecorder(ctx, &r); err != nil {
		return r, err
	}
	disk := cam2drive.VirtualDisk{OrgID: site.OrgID, RecorderID: r.ID, CapacityBytes: 100 * cam2drive.GB,
		CameraLimit: len(dr.Cameras), Overwrite: true}
	if err := a.db.CreateDisk(ctx, &disk); err != nil {
		return r, err
	}
	cams, _, err := a.db.Cameras(ctx, site.OrgID, store.CameraFilter{RecorderID: r.ID}, cam2drive.Page{Limit: 256})
	if err != nil {
		return r, err
	}
	for _, c := range cams {
		for _, dc := range dr.Cameras {
			if dc.Number == c.Number {
				c.Name, c.CloudRecording, c.AIEnabled = dc.Name, true, ai
				if err := a.db.UpdateCamera(ctx, c); err != nil {
					return r, err
				}
			}
		}
	}
	return a.db.Recorder(ctx, site.OrgID, r.ID)
}

// demoUpload sends the plan's files over FTP with each recorder's
// credentials: to addr, or to an FTP listener of this process when addr is "".
func (a *app) demoUpload(ctx context.Context, addr string, recs []cam2drive.Recorder, plan []demoFile, media demoMedia, stderr io.Writer) error {
	if addr == "" {
		stop, local, err := a.localFTP(ctx)
		if err != nil {
			return err
		}
		defer stop()
		addr = local
	}
	var done atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	for ri, r := range recs {
		user, pass, err := a.ingest.Credentials(r)
		if err != nil {
			return err
		}
		work := make(chan demoFile, len(plan))
		for _, f := range plan {
			if f.Recorder == ri {
				work <- f
			}
		}
		close(work)
		for range max(1, demoConns/len(recs)) {
			g.Go(func() error {
				return uploadConn(gctx, addr, [2]string{user, pass}, work, media, &done, len(plan), stderr)
			})
		}
	}
	return g.Wait()
}

// localFTP starts this process's FTP server, built like serve's, on a free
// loopback port; stop ends it once the uploads are answered.
func (a *app) localFTP(ctx context.Context) (stop func(), addr string, err error) {
	a.cfg.FTPAddr, a.cfg.LegacyFTPAddr, a.cfg.PublicHost, a.cfg.PassivePorts = "127.0.0.1:0", "", "", ""
	srv, err := a.ftpServer()
	if err != nil {
		return nil, "", err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := srv.Run(ctx); err != nil {
			a.log.Warn("demo FTP server", "err", err)
		}
	}()
	return func() { cancel(); wg.Wait() }, srv.Addr().String(), nil
}

// uploadConn is one recorder connection: it logs in, then uploads files
// of its recorder until there are none left.
func uploadConn(ctx context.Context, addr string, cred [2]string, work <-chan demoFile, media demoMedia,
	done *atomic.Int64, total int, stderr io.Writer) error {
	c, err := ftpLogin(ctx, addr, cred)
	if err != nil {
		return err
	}
	defer c.Quit() //nolint:errcheck // every upload was answered already
	made := map[string]bool{}
	for f := range work {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := storeFile(c, f, media, made); err != nil {
			return err
		}
		if n := done.Add(1); n%25 == 0 || int(n) == total {
			fmt.Fprintf(stderr, "uploaded %d/%d\n", n, total)
		}
	}
	return nil
}

// ftpLogin connects and logs in as a recorder.
func ftpLogin(ctx context.Context, addr string, cred [2]string) (*ftp.ServerConn, error) {
	c, err := ftp.Dial(addr, ftp.DialWithContext(ctx), ftp.DialWithTimeout(15*time.Second))
	if err != nil {
		return nil, fmt.Errorf("ftp %s: %w", addr, err)
	}
	if err := c.Login(cred[0], cred[1]); err != nil {
		c.Quit() //nolint:errcheck // refused anyway
		return nil, fmt.Errorf("ftp login: %w", err)
	}
	return c, nil
}

// storeFile uploads one file like a recorder: MKD of each level not made
// yet on this connection (recorders ignore its answer), then STOR.
func storeFile(c *ftp.ServerConn, f demoFile, media demoMedia, made map[string]bool) error {
	var missing []string
	for dir := path.Dir(f.Path); dir != "." && !made[dir]; dir = path.Dir(dir) {
		missing = append(missing, dir)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		made[missing[i]] = true
		c.MakeDir(missing[i]) //nolint:errcheck // like a recorder: STOR tells
	}
	file, err := os.Open(localFile(f, media))
	if err != nil {
		return err
	}
	defer file.Close()
	if err := c.Stor(f.Path, file); err != nil {
		return fmt.Errorf("STOR %s: %w", f.Path, err)
	}
	return nil
}

// localFile is the generated file uploaded under f's path: the pictures
// when the plan shows them there and they were found, else the drawn scene.
func localFile(f demoFile, media demoMedia) string {
	m, ok := media[mediaKey(f.Recorder, f.Camera, pictureScene)]
	if !f.Pictures || !ok {
		v := dayScene
		if f.Night {
			v = nightScene
		}
		m = media[mediaKey(f.Recorder, f.Camera, v)]
	}
	if f.Kind == "clip" {
		return m.Clip
	}
	return m.Snaps[f.Snap%len(m.Snaps)]
}
