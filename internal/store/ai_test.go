package store_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

func mustAISub(t *testing.T, db *store.DB, orgID string, limit int, packages ...string) cam2drive.AISubscription {
	t.Helper()
	s := cam2drive.AISubscription{OrgID: orgID, CameraLimit: limit, Packages: packages}
	if err := db.CreateAISubscription(t.Context(), &s); err != nil {
		t.Fatalf("AI subscription: %v", err)
	}
	return s
}

func camera(t *testing.T, db *store.DB, c cam2drive.Camera) cam2drive.Camera {
	t.Helper()
	got, err := db.Camera(t.Context(), c.OrgID, c.ID)
	if err != nil {
		t.Fatalf("camera: %v", err)
	}
	return got
}

// TestAICameraRules: AI on needs an active subscription with room; HOLO4
// needs AI and algorithms of the subscription's packages; cancelling turns
// AI off everywhere and keeps the chosen algorithms.
func TestAICameraRules(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		w := newBrowseWorld(t, db)
		on := func(c cam2drive.Camera) cam2drive.Camera { c.AIEnabled = true; return c }

		wantCode(t, db.UpdateCamera(ctx, on(w.cams[0])), cam2drive.CodeConflict, "no_ai_subscription")
		sub := mustAISub(t, db, w.a.org.ID, 2, "construction_site")
		wantCode(t, db.CreateAISubscription(ctx, &cam2drive.AISubscription{OrgID: w.a.org.ID, CameraLimit: 5}),
			cam2drive.CodeConflict, "ai_subscription_exists")
		// Another client's subscription is no use to this one, and the other way round.
		wantCode(t, db.UpdateCamera(ctx, on(w.bCam)), cam2drive.CodeConflict, "no_ai_subscription")

		for _, c := range w.cams[:2] {
			if err := db.UpdateCamera(ctx, on(c)); err != nil {
				t.Fatalf("AI on camera %d: %v", c.Number, err)
			}
		}
		wantCode(t, db.UpdateCamera(ctx, on(w.cams[2])), cam2drive.CodeConflict, "ai_camera_limit")
		// A camera already counted saves again (rename) under a full limit.
		again := on(w.cams[1])
		again.Name = "Gate"
		if err := db.UpdateCamera(ctx, again); err != nil {
			t.Fatalf("saving a camera already using AI: %v", err)
		}
		got, err := db.AISubscription(ctx, w.a.org.ID, sub.ID)
		if err != nil || got.CamerasUsed != 2 || !got.Active() || !slices.Equal(got.Packages, []string{"construction_site"}) {
			t.Fatalf("subscription = %+v, %v; want 2 cameras used, active", got, err)
		}

		h := on(w.cams[0])
		h.HOLO4, h.Algorithms = true, []string{"no_helmet", "no_vest"}
		if err := db.UpdateCamera(ctx, h); err != nil {
			t.Fatalf("join HOLO4: %v", err)
		}
		if c := camera(t, db, h); !c.HOLO4 || !slices.Equal(c.Algorithms, []string{"no_helmet", "no_vest"}) {
			t.Fatalf("camera after joining HOLO4 = %+v", c)
		}
		bad := h
		bad.Algorithms = []string{"yellow_taxi"}
		if e := wantCode(t, db.UpdateCamera(ctx, bad), cam2drive.CodeInvalid, ""); e.Fields["algorithms"] != "algorithm_not_subscribed" {
			t.Errorf("algorithm of a package not subscribed: %+v", e)
		}
		noAI := w.cams[3]
		noAI.HOLO4 = true
		wantCode(t, db.UpdateCamera(ctx, noAI), cam2drive.CodeConflict, "holo4_needs_ai")

		// The limit can't go under what is used; packages taken away take
		// their algorithms off the cameras.
		wantCode(t, db.UpdateAISubscription(ctx, cam2drive.AISubscription{ID: sub.ID, OrgID: w.a.org.ID, CameraLimit: 1}),
			cam2drive.CodeConflict, "ai_limit_below_used")
		wantNotFound(t, db.UpdateAISubscription(ctx, cam2drive.AISubscription{ID: sub.ID, OrgID: w.b.org.ID, CameraLimit: 9}))
		if err := db.UpdateAISubscription(ctx, cam2drive.AISubscription{ID: sub.ID, OrgID: w.a.org.ID, CameraLimit: 3, Packages: []string{"urban"}}); err != nil {
			t.Fatalf("change the subscription: %v", err)
		}
		if c := camera(t, db, h); c.HOLO4 || len(c.Algorithms) != 0 || !c.AIEnabled {
			t.Errorf("camera after its package was taken away = %+v, want AI on, out of HOLO4, no algorithms", c)
		}
		if err := db.UpdateCamera(ctx, on(w.cams[2])); err != nil {
			t.Errorf("a third camera under the raised limit: %v", err)
		}

		// Cancelling: another client can't; AI goes off; the row stays listed.
		wantNotFound(t, db.CancelAISubscription(ctx, w.b.org.ID, sub.ID, time.Now()))
		h.Algorithms = []string{"yellow_taxi"}
		if err := db.UpdateCamera(ctx, h); err != nil {
			t.Fatalf("choose an urban algorithm: %v", err)
		}
		if err := db.CancelAISubscription(ctx, w.a.org.ID, sub.ID, time.Now()); err != nil {
			t.Fatalf("cancel: %v", err)
		}
		wantCode(t, db.CancelAISubscription(ctx, w.a.org.ID, sub.ID, time.Now()), cam2drive.CodeConflict, "ai_subscription_cancelled")
		wantCode(t, db.UpdateAISubscription(ctx, cam2drive.AISubscription{ID: sub.ID, OrgID: w.a.org.ID, CameraLimit: 3}),
			cam2drive.CodeConflict, "ai_subscription_cancelled")
		cams, _, err := db.Cameras(ctx, w.a.org.ID, store.CameraFilter{}, cam2drive.Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cams {
			if c.AIEnabled || c.HOLO4 {
				t.Errorf("camera %d still uses AI after the cancellation: %+v", c.Number, c)
			}
		}
		if c := camera(t, db, h); !slices.Equal(c.Algorithms, []string{"yellow_taxi"}) {
			t.Errorf("chosen algorithms lost on cancellation: %+v", c)
		}
		wantNotFound(t, func() error { _, err := db.ActiveAISubscription(ctx, w.a.org.ID); return err }())
		list, err := db.AISubscriptions(ctx, w.a.org.ID)
		if err != nil || len(list) != 1 || list[0].Active() || list[0].CamerasUsed != 0 {
			t.Fatalf("subscriptions after cancelling = %+v, %v", list, err)
		}
		// A new one can be sold after the cancellation.
		next := mustAISub(t, db, w.a.org.ID, 1)
		if list, _ := db.AISubscriptions(ctx, w.a.org.ID); len(list) != 2 || list[0].ID != next.ID {
			t.Errorf("subscriptions, newest first = %+v", list)
		}
		// Tenant isolation: b sees none of a's subscriptions.
		if list, err := db.AISubscriptions(ctx, w.b.org.ID); err != nil || len(list) != 0 {
			t.Errorf("b's subscriptions = %+v, %v", list, err)
		}
		_, err = db.AISubscription(ctx, w.b.org.ID, next.ID)
		wantNotFound(t, err)
	})
}

// TestAISubscriptionRace: two sellers creating a client's subscription at
// once get one subscription and one "ai_subscription_exists".
func TestAISubscriptionRace(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		tn := newTenant(t, db, "racer")
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.CreateAISubscription(t.Context(), &cam2drive.AISubscription{OrgID: tn.org.ID, CameraLimit: 1})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else {
				wantCode(t, err, cam2drive.CodeConflict, "ai_subscription_exists")
			}
		}
		if ok != 1 {
			t.Errorf("%d subscriptions created at once, want 1", ok)
		}
	})
}

// TestAILimitRace: cameras turned on at once never exceed the limit.
func TestAILimitRace(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		w := newBrowseWorld(t, db)
		mustAISub(t, db, w.a.org.ID, 1)
		var wg sync.WaitGroup
		errs := make([]error, len(w.cams))
		for i, c := range w.cams {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.AIEnabled = true
				errs[i] = db.UpdateCamera(t.Context(), c)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if cam2drive.ErrorCode(err) != cam2drive.CodeConflict {
				t.Errorf("concurrent AI on: %v", err)
			}
		}
		sub, err := db.ActiveAISubscription(t.Context(), w.a.org.ID)
		if ok != 1 || err != nil || sub.CamerasUsed != 1 {
			t.Errorf("%d cameras turned on at once under a limit of 1 (used %d, %v)", ok, sub.CamerasUsed, err)
		}
	})
}
