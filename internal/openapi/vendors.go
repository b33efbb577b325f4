package openapi

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// vendorInfo is what the catalog does not say about a vendor: its title,
// authentication and error envelope, written here once.
type vendorInfo struct {
	title, description string
	schemes            map[string]*openapi3.SecurityScheme
	// requirements lists the alternatives for an authenticated call.
	requirements []string
	errorProps   map[string]*openapi3.Schema
	// publicPaths need no credentials (token endpoints).
	publicPaths map[string]bool
	// pages are paths that serve HTML for people, not the API: their
	// description.
	pages map[string]string
	// actions: one path serves many calls, chosen by ?action= (Worksection).
	actions bool
	// extra describes the action-style paths.
	extra   map[string]actionPath
	tagSkip int // path segments to skip before the tag (/v3, /api/1)
	// fix corrects a documented example response in place where the
	// vendor's own catalog says the example is wrong.
	fix func(id string, m map[string]any)
}

// fixed returns the example v with the vendor's corrections applied.
func (v *vendorInfo) fixed(id string, x any) any {
	if x != nil && v.fix != nil {
		walk(x, func(m map[string]any) { v.fix(id, m) })
	}
	return x
}

// walk calls f on every object in x.
func walk(x any, f func(map[string]any)) {
	switch t := x.(type) {
	case map[string]any:
		f(t)
		for _, c := range t {
			walk(c, f)
		}
	case []any:
		for _, c := range t {
			walk(c, f)
		}
	}
}

// fixWorkDrive applies the catalog's own corrections to its examples: a
// User's picture is an object (the examples show the number 20); a
// document's and a FAQ kb's name is a string (the examples show {}); and a
// sent message's mention, kbExperts, kbDocs, kbFaqs and linkPreviews may be
// an object or an array.
func fixWorkDrive(id string, m map[string]any) {
	if p, ok := m["picture"].(float64); ok && p == 20 {
		m["picture"] = map[string]any{}
	}
	switch id {
	case "workdrive.documents.list", "workdrive.documents.update", "workdrive.faqs.create", "workdrive.faqs.update":
		if _, ok := m["name"].(map[string]any); ok {
			m["name"] = "string"
		}
	case "workdrive.messages.send":
		for _, k := range []string{"mention", "kbExperts", "kbDocs", "kbFaqs", "linkPreviews"} {
			if _, ok := m[k]; ok {
				m[k] = nil
			}
		}
	}
}

type actionPath struct {
	summary, description, tag string
	actions, public           bool
	response                  *openapi3.Schema
}

func str() *openapi3.Schema { return openapi3.NewStringSchema() }
func num() *openapi3.Schema { return openapi3.NewFloat64Schema() }

func (v *vendorInfo) security() openapi3.SecuritySchemes {
	out := openapi3.SecuritySchemes{}
	for k, s := range v.schemes {
		out[k] = &openapi3.SecuritySchemeRef{Value: s}
	}
	return out
}

func (v *vendorInfo) securityRequirements() openapi3.SecurityRequirements {
	var out openapi3.SecurityRequirements
	for _, r := range v.requirements {
		out = append(out, openapi3.SecurityRequirement{r: []string{}})
	}
	return out
}

func (v *vendorInfo) errorSchema() *openapi3.Schema {
	s := openapi3.NewObjectSchema()
	for k, p := range v.errorProps {
		s.WithProperty(k, p)
	}
	return s
}

func (v *vendorInfo) public(r Route) bool { return v.publicPaths[r.Path] }

const worksectionSigning = `Sign admin calls one of three ways with the account's admin API key:

- **MD5 query hash** (the PHP SDK's): append ` + "`&hash=md5(QUERY + API_KEY)`" + ` as the last parameter, QUERY being the raw query before it. Example: ` + "`?action=get_users&hash=` + md5(`action=get_users` + key)" + `.
- **Admin header**: ` + "`Authorization: Admin {ts}_{hex(HMAC-SHA256(API_KEY, \"{action}:{ts}\"))}`" + `, ts in Unix seconds.
- **v2.1 query**: ` + "`&hash=hex(HMAC-SHA256(API_KEY, \"{action}:{time}\"))&time={ts}`" + `.

The console and ` + "`standin serve`" + ` print a ready-signed example.`

var vendors = map[string]*vendorInfo{
	"clinked": {
		title:       "Clinked API v3",
		description: "Clinked's identity and access API as standin serves it. Get a token from `POST /oauth/token` (password grant with `client_id=clinked-mobile`, or client_credentials with an application's id and secret), then send `Authorization: Bearer TOKEN`.",
		schemes: map[string]*openapi3.SecurityScheme{
			"oauth2": {Type: "oauth2", Description: "OAuth2 password or client credentials grant at /oauth/token.",
				Flows: &openapi3.OAuthFlows{
					Password:          &openapi3.OAuthFlow{TokenURL: "/oauth/token", RefreshURL: "/oauth/token", Scopes: map[string]string{}},
					ClientCredentials: &openapi3.OAuthFlow{TokenURL: "/oauth/token", Scopes: map[string]string{}},
				}},
		},
		requirements: []string{"oauth2"},
		errorProps: map[string]*openapi3.Schema{
			"status": num(), "error": str(), "message": str(), "path": str(), "error_description": str(),
		},
		publicPaths: map[string]bool{"/oauth/token": true, "/invitation/{key}": true},
		pages: map[string]string{"/invitation/{key}": "The invitation page that Clinked's invitation mail links to (its web app, not the API): " +
			"GET shows the invitation with Accept and Decline buttons; POST takes the form (answer=accept|decline, and username, name, password for a new user)."},
		tagSkip: 1,
	},
	"klipfolio": {
		title:       "Klipfolio API 1.0",
		description: "Klipfolio's groups and memberships API as standin serves it, under `/api/1` and `/api/1.0`. Authenticate with the `kf-api-key` header, or HTTP Basic with the user's email and password.",
		schemes: map[string]*openapi3.SecurityScheme{
			"kfApiKey": {Type: "apiKey", In: "header", Name: "kf-api-key", Description: "the user's API key"},
			"basic":    {Type: "http", Scheme: "basic", Description: "the user's email and password"},
		},
		requirements: []string{"kfApiKey", "basic"},
		errorProps: map[string]*openapi3.Schema{
			"meta": openapi3.NewObjectSchema().
				WithProperty("success", openapi3.NewBoolSchema()).WithProperty("status", num()).
				WithProperty("error_code", str()).WithProperty("error_desc", str()),
		},
		tagSkip: 2,
	},
	"worksection": {
		title:       "Worksection admin API",
		description: "Worksection's admin API as standin serves it: one URL, the call chosen by `?action=`, parameters in the query or a form body. " + worksectionSigning,
		schemes: map[string]*openapi3.SecurityScheme{
			"md5Hash":     {Type: "apiKey", In: "query", Name: "hash", Description: "md5(QUERY + API_KEY), the last query parameter"},
			"adminHeader": {Type: "apiKey", In: "header", Name: "Authorization", Description: `Admin {ts}_{hex(HMAC-SHA256(API_KEY, "{action}:{ts}"))}`},
			"oauth2":      {Type: "http", Scheme: "bearer", Description: "an access token from /oauth2/token, for /api/oauth2"},
		},
		requirements: []string{"md5Hash", "adminHeader"},
		errorProps: map[string]*openapi3.Schema{
			"status": str(), "status_code": num(), "message": str(), "message_details": str(),
			"error": str(), "error_description": str(),
		},
		actions: true,
		extra:   worksectionPaths(),
	},
	"workdrive": {
		title:       "WorkDrive API Access",
		description: "WorkDrive's API as standin serves it, under `/api`. Authenticate with the `X-API-KEY` header. Files are uploaded S3-style: `GET /api/media?mime=…&name=…&moduleCode=…` returns a presigned POST (a URL and form fields); POST those fields and the file as multipart form data to that URL (`/media`), then refer to the file by the returned key; `GET /media/{key}` downloads it.",
		schemes: map[string]*openapi3.SecurityScheme{
			"apiKey": {Type: "apiKey", In: "header", Name: "X-API-KEY", Description: "the organisation's API key"},
		},
		requirements: []string{"apiKey"},
		publicPaths:  map[string]bool{"/media": true, "/media/{key}": true},
		fix:          fixWorkDrive,
		errorProps: map[string]*openapi3.Schema{
			"statusCode": num(), "message": str(), "error": str(),
		},
		tagSkip: 1,
	},
}

func worksectionPaths() map[string]actionPath {
	out := map[string]actionPath{}
	for _, p := range []string{"/api/admin/v2/", "/api/admin/v2", "/api/admin/v2.1", "/api/admin/v2.1/"} {
		out[p] = actionPath{summary: "admin API (" + strings.Trim(p, "/") + ")", description: "Runs the admin action named by `action`.\n\n" + worksectionSigning, tag: "admin", actions: true}
	}
	for _, p := range []string{"/api/oauth2", "/api/oauth2/"} {
		out[p] = actionPath{summary: "API with an OAuth2 access token", description: "Runs the action named by `action` as the token's user; `Authorization: Bearer TOKEN`.", tag: "oauth2", actions: true}
	}
	token := openapi3.NewObjectSchema().WithProperty("access_token", str()).WithProperty("refresh_token", str()).
		WithProperty("token_type", str()).WithProperty("expires_in", num())
	out["/oauth2/token"] = actionPath{summary: "OAuth2 token", description: "Exchanges client credentials (and an authorization code or grant) for an access token.", tag: "oauth2", public: true, response: token}
	out["/oauth2/refresh"] = actionPath{summary: "OAuth2 refresh", description: "Exchanges a refresh token for a new access token.", tag: "oauth2", public: true, response: token}
	return out
}
