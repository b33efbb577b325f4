package clinked

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
)

// The invitation mail links to {base}/invitation/{inviteKey}, a page of
// Clinked's web app. standin serves that page on the Clinked port, with
// Accept and Decline buttons, so that an invitation flow can be tested end
// to end in a browser. The buttons go through the same accept and decline
// as the control plane (Control), so both behave alike.

// invitationRoutes registers the invitation page.
func (s *Service) invitationRoutes(mux *httpx.Router) {
	mux.HandleFunc("GET /invitation/{key}", s.invitationPage)
	mux.HandleFunc("POST /invitation/{key}", s.answerInvitation)
}

// invitationView is what the page shows.
type invitationView struct {
	Key, Email, Where, Status, Message string
	Kind                               string
	Pending                            bool
	Result, Error                      string
}

var invitationTmpl = template.Must(template.New("invitation").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Invitation to {{.Where}} · Clinked (standin)</title>
<style>
 body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f3f5f8; }
 main { max-width: 30rem; margin: 2rem auto; background: #fff; padding: 1.2rem 1.4rem; border-radius: 8px; border: 1px solid #dde1e8; }
 h1 { font-size: 1.3rem; margin-top: 0; } label { display: block; margin: .5rem 0 .2rem; }
 input { width: 100%; padding: .4rem; font: inherit; box-sizing: border-box; }
 .row { display: flex; gap: .6rem; margin-top: 1rem; flex-wrap: wrap; }
 button { font: inherit; padding: .45rem 1rem; border-radius: 4px; border: 1px solid #b9c0cc; background: #fff; cursor: pointer; }
 button.accept { background: #2856c8; color: #fff; border-color: #2856c8; }
 .err { color: #b3261e; background: #fdecea; padding: .4rem .6rem; border-radius: 4px; }
 .ok { color: #1e6b2a; background: #e6f4e8; padding: .4rem .6rem; border-radius: 4px; }
 .muted { color: #5b6475; font-size: .9rem; }
</style></head>
<body><main>
<h1>You are invited to {{.Where}}</h1>
<p>Invitation for <b id="email">{{.Email}}</b> ({{.Kind}} invitation).</p>
{{if .Message}}<blockquote>{{.Message}}</blockquote>{{end}}
{{if .Error}}<p class="err" id="error" role="alert">{{.Error}}</p>{{end}}
{{if .Result}}<p class="ok" id="result">{{.Result}}</p>{{end}}
{{if .Pending}}
<form method="post">
 <p class="muted">New to Clinked? Choose a username, name and password; leave them empty to be made one from your address, or if you have an account.</p>
 <label for="username">Username</label><input id="username" name="username" autocomplete="username">
 <label for="name">Name</label><input id="name" name="name" autocomplete="name">
 <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password">
 <div class="row">
  <button class="accept" name="answer" value="accept" id="accept">Accept</button>
  <button name="answer" value="decline" id="decline" formnovalidate>Decline</button>
 </div>
</form>
{{else}}<p id="status">This invitation is {{.Status}}.</p>{{end}}
<p class="muted">Served by standin, standing in for Clinked's web app.</p>
</main></body></html>
`))

// loadInvitation reads the invite that a mail's key names, with where it
// invites to.
func (s *Service) loadInvitation(r *http.Request) (*invitationView, int64, error) {
	ns := namespace.FromContext(r.Context())
	key := r.PathValue("key")
	v := &invitationView{Key: key}
	var id, accountID int64
	var groupID sql.NullInt64
	err := s.db.QueryRowContext(r.Context(), `SELECT id, kind, account_id, group_id, email, status, message
		FROM clinked_invites WHERE ns = $1 AND invite_key = $2`, ns.ID, key).
		Scan(&id, &v.Kind, &accountID, &groupID, &v.Email, &v.Status, &v.Message)
	if err != nil {
		return nil, 0, err
	}
	var where string
	if groupID.Valid {
		err = s.db.QueryRowContext(r.Context(), `SELECT friendly_name FROM clinked_groups WHERE ns = $1 AND id = $2`, ns.ID, groupID.Int64).Scan(&where)
	} else {
		err = s.db.QueryRowContext(r.Context(), `SELECT friendly_name FROM clinked_accounts WHERE ns = $1 AND id = $2`, ns.ID, accountID).Scan(&where)
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, 0, err
	}
	if where == "" {
		where = "Clinked"
	}
	v.Where = where
	v.Pending = v.Status == invitePending
	return v, id, nil
}

// invitationPage serves GET /invitation/{key}.
func (s *Service) invitationPage(w http.ResponseWriter, r *http.Request) {
	v, _, err := s.loadInvitation(r)
	s.renderInvitation(w, r, v, err)
}

// answerInvitation serves POST /invitation/{key}: the Accept or Decline
// button, with the form's username, name and password for accepting.
func (s *Service) answerInvitation(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	v, id, err := s.loadInvitation(r)
	if err != nil {
		s.renderInvitation(w, r, v, err)
		return
	}
	answer := r.PostForm.Get("answer")
	if answer != "accept" && answer != "decline" {
		v.Error = "Choose Accept or Decline."
		s.renderInvitation(w, r, v, nil)
		return
	}
	body := map[string]string{}
	if answer == "accept" {
		for _, k := range []string{"username", "name", "password"} {
			if x := strings.TrimSpace(r.PostForm.Get(k)); x != "" {
				body[k] = x
			}
		}
	}
	b, _ := json.Marshal(body)
	// The control plane's accept and decline do the work.
	creq := httptest.NewRequestWithContext(r.Context(), "POST",
		"/invites/"+strconv.FormatInt(id, 10)+"/"+answer+"?kind="+v.Kind, bytes.NewReader(b))
	creq.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.Control().ServeHTTP(rec, creq)
	if rec.Code != http.StatusOK {
		var e struct {
			Message string `json:"message"`
			Error   string `json:"error"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		v.Error = e.Message
		if v.Error == "" {
			v.Error = e.Error
		}
		w.WriteHeader(rec.Code)
		s.renderInvitation(w, r, v, nil)
		return
	}
	v, _, err = s.loadInvitation(r)
	if err == nil {
		if answer == "accept" {
			v.Result = "Welcome to " + v.Where + "! The invitation is accepted."
		} else {
			v.Result = "The invitation is declined."
		}
	}
	s.renderInvitation(w, r, v, err)
}

func (s *Service) renderInvitation(w http.ResponseWriter, r *http.Request, v *invitationView, err error) {
	if errors.Is(err, sql.ErrNoRows) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`<!doctype html><meta charset="utf-8"><title>Invitation not found</title><p id="error">This invitation does not exist, or it was withdrawn.</p>`))
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := invitationTmpl.Execute(&buf, v); err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = buf.WriteTo(w)
}
