package klipfolio

import "github.com/standin-dev/standin/internal/httpx"

// apiPrefixes are the two spellings of the API root that clients use.
var apiPrefixes = []string{"/api/1", "/api/1.0"}

// routes lists every Klipfolio route. GET /groups needs only
// authentication; the rest needs the user.manage permission.
func (s *Service) routes(mux *httpx.Router) {
	for _, p := range apiPrefixes {
		mux.Handle("GET "+p+"/groups", s.authed(false, s.listGroups))
		mux.Handle("POST "+p+"/groups", s.authed(true, s.createGroup))
		mux.Handle("GET "+p+"/groups/{id}", s.authed(true, s.getGroup))
		mux.Handle("PUT "+p+"/groups/{id}", s.authed(true, s.updateGroup))
		mux.Handle("DELETE "+p+"/groups/{id}", s.authed(true, s.deleteGroup))

		mux.Handle("GET "+p+"/groups/{id}/users", s.authed(true, s.listGroupUsers))
		mux.Handle("PUT "+p+"/users/{uid}/groups/{gid}", s.authed(true, s.addUserToGroup))
		mux.Handle("DELETE "+p+"/users/{uid}/groups/{gid}", s.authed(true, s.removeUserFromGroup))
	}
}
