package httpapi_test

import (
	"slices"
	"testing"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

type aiSubOut struct {
	ID          string   `json:"id"`
	OrgID       string   `json:"org_id"`
	Status      string   `json:"status"`
	CameraLimit int      `json:"camera_limit"`
	CamerasUsed int      `json:"cameras_used"`
	Packages    []string `json:"packages"`
	CancelledAt string   `json:"cancelled_at"`
}

// TestAISubscriptions: the installer sells its client an AI subscription
// (the client can't give itself one), changes and cancels it; the client
// reads it with the cameras it uses.
func TestAISubscriptions(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			c2 := "/orgs/" + f.C2.Org.ID + "/ai-subscriptions"
			// C2 starts with the fixture's subscription: a second is refused.
			e := f.as(t, f.I1.Admin, "POST", c2, map[string]any{"camera_limit": 2}).wantErr(t, 409, "ai_subscription_exists", "second subscription")
			if e.Message != "This client already has an active AI subscription: change it, or cancel it first." {
				t.Errorf("message %q", e.Message)
			}
			f.as(t, f.I1.Admin, "POST", c2+"/"+f.C2.AISubID+"/cancel", nil).want(t, 200, "I1 cancels C2's subscription")

			// Refusals: from the client itself, for a non-client, bad values.
			e = f.as(t, f.C2.Admin, "POST", c2, map[string]any{"camera_limit": 2}).wantErr(t, 403, "forbidden", "client sells itself AI")
			if e.Message != "AI subscriptions are provided by your reseller." {
				t.Errorf("client's own subscription: %q", e.Message)
			}
			e = f.as(t, f.D1.Admin, "POST", "/orgs/"+f.I1.Org.ID+"/ai-subscriptions", map[string]any{"camera_limit": 2}).
				wantErr(t, 400, "invalid", "subscription for an installer")
			if e.Fields["org_id"] == "" {
				t.Errorf("subscription for an installer: %+v", e)
			}
			e = f.as(t, f.I1.Admin, "POST", c2, map[string]any{"camera_limit": 0, "packages": []string{"no_helmet"}}).
				wantErr(t, 400, "invalid", "bad limit and package")
			if e.Fields["camera_limit"] == "" || e.Fields["packages"] != "Choose packages of the HOLO4 catalogue." {
				t.Errorf("bad values: %+v", e)
			}

			var sub aiSubOut
			f.as(t, f.D1.Admin, "POST", c2, map[string]any{"camera_limit": 1, "packages": []string{"urban", "construction_site"}}).
				want(t, 201, "D1 sells C2 a subscription").decode(t, &sub)
			if sub.Status != "active" || sub.CameraLimit != 1 || sub.OrgID != f.C2.Org.ID || !slices.Equal(sub.Packages, []string{"construction_site", "urban"}) {
				t.Errorf("created subscription = %+v", sub)
			}
			cam := "/orgs/" + f.C2.Org.ID + "/cameras/"
			other := f.cameraID(t, f.C2.Org.ID, f.C2.RecorderID, 2)
			f.as(t, f.C2.Admin, "PATCH", cam+f.C2.CameraID, map[string]any{"ai_enabled": true}).want(t, 200, "AI on camera 1")
			e = f.as(t, f.C2.Admin, "PATCH", cam+other, map[string]any{"ai_enabled": true}).wantErr(t, 409, "ai_camera_limit", "AI on camera 2")
			if e.Message != "Your AI subscription's camera limit is reached: turn AI off on another camera first, or ask your reseller for a larger subscription." {
				t.Errorf("limit message %q", e.Message)
			}

			var list listOf[aiSubOut]
			f.as(t, f.C2.Viewer(t, f), "GET", c2, nil).wantErr(t, 403, "forbidden", "viewer lists subscriptions")
			f.as(t, f.C2.Admin, "GET", c2, nil).want(t, 200, "C2 lists its subscriptions").decode(t, &list)
			if list.Total != 2 || list.Items[0].ID != sub.ID || list.Items[0].CamerasUsed != 1 || list.Items[1].Status != "cancelled" || list.Items[1].CancelledAt == "" {
				t.Errorf("C2's subscriptions = %+v", list)
			}

			// Changing: not under what is used, not by the client; raising the limit lets camera 2 on.
			f.as(t, f.I1.Admin, "PATCH", c2+"/"+sub.ID, map[string]any{"camera_limit": 0}).wantErr(t, 400, "invalid", "limit 0")
			f.as(t, f.C2.Admin, "PATCH", c2+"/"+sub.ID, map[string]any{"camera_limit": 5}).wantErr(t, 403, "forbidden", "client raises its limit")
			f.as(t, f.I1.Admin, "PATCH", c2+"/"+sub.ID, map[string]any{"camera_limit": 2}).want(t, 200, "I1 raises the limit").decode(t, &sub)
			if sub.CameraLimit != 2 || !slices.Equal(sub.Packages, []string{"construction_site", "urban"}) {
				t.Errorf("after raising the limit: %+v", sub)
			}
			f.as(t, f.C2.Admin, "PATCH", cam+other, map[string]any{"ai_enabled": true}).want(t, 200, "AI on camera 2 under the raised limit")
			f.as(t, f.I1.Admin, "PATCH", c2+"/"+sub.ID, map[string]any{"camera_limit": 1}).wantErr(t, 409, "ai_limit_below_used", "limit under use")

			// Cancelling turns AI off on the client's cameras.
			f.as(t, f.I1.Admin, "POST", c2+"/"+sub.ID+"/cancel", nil).want(t, 200, "cancel").decode(t, &sub)
			if sub.Status != "cancelled" || sub.CamerasUsed != 0 {
				t.Errorf("cancelled subscription = %+v", sub)
			}
			f.as(t, f.I1.Admin, "POST", c2+"/"+sub.ID+"/cancel", nil).wantErr(t, 409, "ai_subscription_cancelled", "cancel twice")
			var c cameraOut
			f.as(t, f.C2.Admin, "GET", cam+other, nil).want(t, 200, "camera 2").decode(t, &c)
			if c.AIEnabled {
				t.Errorf("AI still on after the cancellation: %+v", c)
			}
			f.as(t, f.C2.Admin, "PATCH", "/me/preferences", map[string]any{"language": "fr"}).want(t, 200, "C2 admin reads French")
			e = f.as(t, f.C2.Admin, "PATCH", cam+other, map[string]any{"ai_enabled": true}).
				wantErr(t, 409, "no_ai_subscription", "AI without a subscription")
			if e.Message != "Ce client n'a pas d'abonnement IA actif. Contactez votre revendeur pour en obtenir un." {
				t.Errorf("French message %q", e.Message)
			}
		})
	}
}

// Viewer gives the tenant a person with the Viewer role.
func (tn *tenant) Viewer(t testing.TB, f *fixture) account {
	t.Helper()
	return f.addPerson(t, tn, "viewer-"+cam2drive.NewID()+"@"+tn.Org.ID+".test", tn.Roles[authz.Viewer])
}

// TestHOLO4Camera: a camera joins the beta with AI on and chooses
// algorithms of the catalogue in its subscription's packages; recordings
// are then filtered on those algorithms.
func TestHOLO4Camera(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			c1 := "/orgs/" + f.C1.Org.ID
			cam := c1 + "/cameras/" + f.C1.CameraID
			var c cameraOut
			f.as(t, f.C1.Admin, "GET", cam, nil).want(t, 200, "camera").decode(t, &c)
			if c.HOLO4 || c.Algorithms == nil || len(c.Algorithms) != 0 {
				t.Errorf("a new camera = %+v, want out of HOLO4 with algorithms []", c)
			}
			f.as(t, f.C1.Admin, "PATCH", cam, map[string]any{"holo4": true}).wantErr(t, 409, "holo4_needs_ai", "HOLO4 without AI")
			f.as(t, f.C1.Admin, "PATCH", cam, map[string]any{"ai_enabled": true, "holo4": true, "algorithms": []string{"yellow_taxi", " no_helmet", "no_helmet"}}).
				want(t, 200, "join HOLO4").decode(t, &c)
			if !c.AIEnabled || !c.HOLO4 || !slices.Equal(c.Algorithms, []string{"no_helmet", "yellow_taxi"}) {
				t.Errorf("after joining = %+v, want no_helmet and yellow_taxi in catalogue order", c)
			}
			e := f.as(t, f.C1.Admin, "PATCH", cam, map[string]any{"algorithms": []string{"person"}}).wantErr(t, 400, "invalid", "a basic type as algorithm")
			if e.Fields["algorithms"] != "Choose algorithms of the HOLO4 catalogue." {
				t.Errorf("unknown algorithm: %+v", e)
			}
			// A subscription without the urban package refuses the taxi.
			f.as(t, f.I1.Admin, "PATCH", c1+"/ai-subscriptions/"+f.C1.AISubID, map[string]any{"packages": []string{"construction_site"}}).want(t, 200, "drop urban")
			f.as(t, f.C1.Admin, "GET", cam, nil).want(t, 200, "camera").decode(t, &c)
			if !slices.Equal(c.Algorithms, []string{"no_helmet"}) || !c.HOLO4 {
				t.Errorf("after urban was taken away = %+v", c)
			}
			e = f.as(t, f.C1.Admin, "PATCH", cam, map[string]any{"algorithms": []string{"no_helmet", "yellow_taxi"}}).wantErr(t, 400, "invalid", "taxi unsubscribed")
			if e.Fields["algorithms"] != "This algorithm's package is not part of the AI subscription." {
				t.Errorf("unsubscribed algorithm: %+v", e)
			}
			// AI off leaves the beta, keeping the choice.
			f.as(t, f.C1.Admin, "PATCH", cam, map[string]any{"ai_enabled": false}).want(t, 200, "AI off").decode(t, &c)
			if c.HOLO4 || !slices.Equal(c.Algorithms, []string{"no_helmet"}) {
				t.Errorf("after AI off = %+v", c)
			}

			// detections= takes algorithm ids: C1's recording gets a no_helmet detection.
			if err := f.DB.ReplaceDetections(t.Context(), f.C1.Org.ID, f.C1.RecordingID, "rule", []cam2drive.Detection{{Source: "rule", Type: "no_helmet", Score: 0.8}}); err != nil {
				t.Fatal(err)
			}
			for q, want := range map[string]int{"no_helmet": 1, "no_vest": 0, "person,no_helmet": 1, "yellow_taxi,vehicle": 0} {
				var l listOf[map[string]any]
				f.as(t, f.C1.Admin, "GET", c1+"/recordings?detections="+q, nil).want(t, 200, q).decode(t, &l)
				if l.Total != want {
					t.Errorf("detections=%s: %d recordings, want %d", q, l.Total, want)
				}
			}
		})
	}
}

// TestAICatalogueAndStatus: the catalogue in the caller's language, and the
// runtime's availability as the injected function says (none: unavailable).
func TestAICatalogueAndStatus(t *testing.T) {
	f := newFixture(t, storetest.Dialects(t)[0])
	var cat struct {
		Version  string `json:"version"`
		Packages []struct {
			ID         string            `json:"id"`
			Name       string            `json:"name"`
			Names      map[string]string `json:"names"`
			Algorithms []struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"algorithms"`
		} `json:"packages"`
	}
	f.as(t, f.Viewer, "PATCH", "/me/preferences", map[string]any{"language": "fr"}).want(t, 200, "the viewer reads French")
	f.as(t, f.Viewer, "GET", "/ai/packages", nil).want(t, 200, "catalogue").decode(t, &cat)
	if cat.Version == "" || len(cat.Packages) != 3 || cat.Packages[0].Name != "Chantier de construction" || cat.Packages[0].Names["en"] != "Construction site" ||
		cat.Packages[1].Algorithms[0].ID != "coffee" || cat.Packages[2].Names["fr"] != "Environnement urbain" {
		t.Errorf("catalogue = %+v", cat)
	}
	f.do(t, "GET", "/ai/packages", nil).wantErr(t, 401, "unauthenticated", "catalogue without signing in")

	type status struct {
		Available  bool   `json:"available"`
		ReasonCode string `json:"reason_code"`
		Reason     string `json:"reason"`
		Install    string `json:"install"`
	}
	var s status
	f.as(t, f.Viewer, "GET", "/ai/status", nil).want(t, 200, "status").decode(t, &s)
	if !s.Available || s.Reason != "" {
		t.Errorf("status with the runtime up = %+v", s)
	}
	f.aiDown.Store(&cam2drive.Error{Code: cam2drive.CodeUnavailable, Key: "ai_models_missing"})
	f.as(t, f.Viewer, "GET", "/ai/status", nil).want(t, 200, "status").decode(t, &s)
	if s.Available || s.ReasonCode != "ai_models_missing" || s.Reason != "Les modèles d'IA ne sont pas installés sur ce serveur." || s.Install == "" {
		t.Errorf("status without models = %+v", s)
	}
	f.Server.AIStatus = nil
	f.as(t, f.Viewer, "GET", "/ai/status", nil).want(t, 200, "status").decode(t, &s)
	if s.Available || s.ReasonCode != "ai_runtime_missing" || s.Install == "" {
		t.Errorf("status of a server without a runtime = %+v", s)
	}
}
