package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/cam2drive/cam2drive/internal/storetest"
)

// REC4: a camera with an allowed-users list shows its recordings to those
// users only (and to the people who manage cameras, who set the list).
func TestCameraRestrictionHidesRecordings(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			c1 := f.C1
			base := "/api/v1/orgs/" + c1.Org.ID
			restrict := func(users ...string) {
				f.as(t, c1.Admin, "PATCH", base+"/cameras/"+c1.CameraID, map[string]any{"allowed_users": append([]string{}, users...)}).
					want(t, http.StatusOK, "restrict the camera")
			}
			count := func(a account) int {
				var l listOf[map[string]any]
				f.as(t, a, "GET", base+"/recordings", nil).want(t, http.StatusOK, "list recordings").decode(t, &l)
				return l.Total
			}
			one := base + "/recordings/" + c1.RecordingID

			restrict(f.Viewer.User.ID)
			if n := count(f.Viewer); n != 1 {
				t.Fatalf("an allowed viewer sees %d recordings, want 1", n)
			}
			f.as(t, f.Viewer, "GET", one, nil).want(t, http.StatusOK, "allowed viewer opens the recording")

			restrict(f.Tech.User.ID)
			if n := count(f.Viewer); n != 0 {
				t.Fatalf("a viewer not on the list sees %d recordings, want 0", n)
			}
			f.as(t, f.Viewer, "GET", one, nil).wantErr(t, http.StatusNotFound, "not_found", "viewer not on the list")
			if n := count(c1.Admin); n != 1 {
				t.Fatalf("the admin (manages cameras) sees %d recordings, want 1", n)
			}

			restrict() // an empty list: every user with the permission again
			if n := count(f.Viewer); n != 1 {
				t.Fatalf("after clearing the list the viewer sees %d, want 1", n)
			}
		})
	}
}
