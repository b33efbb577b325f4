package worksection

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
)

// signatureWindow is how far an HMAC timestamp may be from the clock.
const signatureWindow = 5 * time.Minute

// creds are the namespace's Worksection credentials, derived from its
// secret so that reset keeps them.
type creds struct {
	apiKey, accessToken, clientID, clientSecret string
}

func accountCredentials(ns *namespace.Namespace) creds {
	return creds{
		apiKey:       ns.Credential("worksection.api_key", 32),
		accessToken:  ns.Credential("worksection.access_token", 64),
		clientID:     ns.Credential("worksection.client_id", 32),
		clientSecret: ns.Credential("worksection.client_secret", 64),
	}
}

// caller is who makes a request: the account owner for admin signatures,
// the token's user for OAuth2 tokens.
type caller struct {
	ns    *namespace.Namespace
	user  *user
	token bool // authenticated by an OAuth2 access token
}

// params reads the query and body parameters (the body wins) as text:
// Worksection, a PHP service, takes every parameter as a string.
func params(w http.ResponseWriter, r *http.Request) (*httpx.Body, error) {
	p, err := httpx.Params(w, r)
	if errors.Is(err, httpx.ErrBodyTooLarge) {
		e := appErr(codeBadBody, "Request body is too large", err.Error())
		e.Status = http.StatusRequestEntityTooLarge
		return nil, e
	}
	if err != nil {
		e := appErr(codeBadBody, "Request body is malformed", err.Error())
		e.Status = http.StatusBadRequest
		return nil, e
	}
	return httpx.ValuesBody(p, httpx.Lenient), nil
}

// adminAPI serves the admin roots (GET and POST /api/admin/v2/): it checks
// the request's signature with the account's API key and runs the action as
// the account owner.
func (s *Service) adminAPI(w http.ResponseWriter, r *http.Request) error {
	p, err := params(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	ns := namespace.FromContext(ctx)
	a, err := accountByNS(ctx, s.db, ns.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return appErr(codeHash, msgHash, "the account has no API key")
	}
	if err != nil {
		return err
	}
	// Both SDKs sign with the wall clock, and tests move the namespace's
	// clock: a timestamp near either is current.
	if err := verifyAdmin(r, param(p, "action"), a.apiKey, ns.Now(), time.Now()); err != nil {
		return err
	}
	owner, err := userByID(ctx, s.db, ns.ID, a.ownerID)
	if err != nil {
		return err
	}
	return s.dispatch(w, r, &caller{ns: ns, user: owner}, p)
}

// verifyAdmin accepts any of the three schemes that clients sign with:
//
//   - Authorization: Admin {ts}_{hex(HMAC-SHA256(api_key, "{action}:{ts}"))}
//   - ?…&hash=md5(Q + api_key), Q the raw query up to "&hash=" (PHP SDK)
//   - ?…&hash=hex(HMAC-SHA256(api_key, "{action}:{time}"))&time={ts} (v2.1)
func verifyAdmin(r *http.Request, action, key string, clocks ...time.Time) error {
	if h := r.Header.Get("Authorization"); len(h) > 6 && strings.EqualFold(h[:6], "admin ") {
		ts, sig, found := strings.Cut(strings.TrimSpace(h[6:]), "_")
		if !found {
			return appErr(codeHash, msgHash, `the Admin authorization must be "{ts}_{signature}"`)
		}
		return checkHMAC(key, action, ts, sig, clocks)
	}
	raw := r.URL.RawQuery
	if md5QueryValid(raw, key) {
		return nil
	}
	q, _ := url.ParseQuery(raw) // what parses; a stray '%' elsewhere must not hide hash
	if hash, ts := q.Get("hash"), q.Get("time"); hash != "" && ts != "" {
		return checkHMAC(key, action, ts, hash, clocks)
	}
	return appErr(codeHash, msgHash, "")
}

// md5QueryValid checks the PHP SDK's scheme on the raw query as received:
// nothing is decoded, re-encoded or sorted.
func md5QueryValid(raw, key string) bool {
	var signed, hash string
	if rest, ok := strings.CutPrefix(raw, "hash="); ok {
		hash = rest
	} else if i := strings.LastIndex(raw, "&hash="); i >= 0 {
		signed, hash = raw[:i], raw[i+len("&hash="):]
	} else {
		return false
	}
	if hash == "" || strings.Contains(hash, "&") { // hash must be the last parameter
		return false
	}
	sum := md5.Sum([]byte(signed + key))
	return auth.Equal(strings.ToLower(hash), hex.EncodeToString(sum[:]))
}

// checkHMAC checks an HMAC signature and that its timestamp lies within
// signatureWindow of one of clocks.
func checkHMAC(key, action, ts, sig string, clocks []time.Time) error {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return appErr(codeHash, msgHash, "the timestamp must be Unix seconds")
	}
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(action + ":" + ts))
	if !auth.Equal(strings.ToLower(sig), hex.EncodeToString(m.Sum(nil))) {
		return appErr(codeHash, msgHash, "")
	}
	for _, now := range clocks {
		if d := now.Sub(time.Unix(sec, 0)); d <= signatureWindow && d >= -signatureWindow {
			return nil
		}
	}
	return appErr(codeHash, msgHash, "the timestamp is more than 5 minutes from the server's time")
}

// tokenAPI serves /api/oauth2: an access token from "Authorization: Bearer"
// or the access_token parameter, checked against the namespace's clock.
func (s *Service) tokenAPI(w http.ResponseWriter, r *http.Request) error {
	p, err := params(w, r)
	if err != nil {
		return err
	}
	tok := auth.Bearer(r)
	if tok == "" {
		tok = param(p, "access_token")
	}
	if tok == "" {
		return tokenErr(msgTokenMissing)
	}
	ctx := r.Context()
	ns := namespace.FromContext(ctx)
	// An unknown token and a token whose user is gone are both invalid.
	t, err := tokenByValue(ctx, s.db, ns.ID, kindAccess, tok)
	if err == nil && !ns.Now().Before(t.expiresAt) {
		return tokenErr(msgTokenExpired)
	}
	var u *user
	if err == nil {
		u, err = userByID(ctx, s.db, ns.ID, t.userID)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return tokenErr(msgTokenInvalid)
	}
	if err != nil {
		return err
	}
	return s.dispatch(w, r, &caller{ns: ns, user: u, token: true}, p)
}
