package httpapi

import "time"

// SignMedia signs a media URL as the API does, for tests that build a
// server without the whole fixture.
func (s *Server) SignMedia(orgID, recordingID, variant, viewer string, exp time.Time) string {
	return s.Media.url(mediaLink{org: orgID, recording: recordingID, variant: variant, viewer: viewer, exp: exp.Unix()})
}
