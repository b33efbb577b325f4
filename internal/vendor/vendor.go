// Package vendor defines what every emulated vendor plugs into: its routes,
// its schema, its seeds and its entry in the control plane.
package vendor

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io/fs"
	"net/http"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// Vendor is one emulated API. Its Handler serves one namespace at a time:
// the app resolves the namespace from the URL, strips its prefix, and puts it
// in the request context (namespace.FromContext). The handler answers every
// path, unknown ones with the vendor's own JSON 404.
type Vendor interface {
	// Name is the vendor's key: "klipfolio", "clinked", "worksection", "workdrive".
	Name() string
	// Migrations holds the vendor's goose migrations; tables carry an "ns" column.
	Migrations() fs.FS
	Handler() http.Handler
	// WriteError writes an error in the vendor's envelope; the app uses it
	// for requests that never reach Handler (an unknown namespace).
	WriteError(w http.ResponseWriter, r *http.Request, status int, msg string)
	// Seed fills a fresh namespace with "empty", "demo" or "docs" data,
	// including the namespace's credentials (derived with ns.Credential).
	Seed(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, seed string) error
	// LoadFixture loads the vendor's section of a seed document (JSON; YAML
	// documents are converted first). Errors are the client's fault: 400.
	LoadFixture(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, doc json.RawMessage) error
	// Clear deletes every row that the vendor keeps for the namespace.
	Clear(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error
	// Credentials is the vendor's entry in the control plane's namespace
	// response: base_url plus whatever a client needs to authenticate.
	Credentials(ctx context.Context, ns *namespace.Namespace, baseURL string) (map[string]any, error)
}

// Controller is implemented by vendors that offer control-plane actions of
// their own. The handler is mounted at /_standin/namespaces/{id}/{vendor}/
// with that prefix stripped and the namespace in the context.
type Controller interface {
	Control() http.Handler
}

// FixtureError marks a seed document that the vendor cannot load; the
// control plane answers it with 400.
type FixtureError struct{ Msg string }

func (e *FixtureError) Error() string { return e.Msg }

// DecodeFixture decodes a vendor's fixture document into f, strictly: a
// field the format does not know is a FixtureError, so a misspelt key never
// loads as nothing.
func DecodeFixture(doc []byte, f any) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		return &FixtureError{Msg: err.Error()}
	}
	return nil
}

// Base is what every vendor's Service does the same way: its name, its
// embedded migrations, its routes, and a Clear that deletes the
// namespace's rows of its tables (children first). A Service embeds it and
// so implements Name, Migrations, Handler and Clear; a vendor with more to
// clear (blobs, several table lists) defines its own Clear.
type Base struct {
	VendorName string
	FS         fs.FS
	Routes     http.Handler
	Tables     []string
}

// Name implements Vendor.
func (b *Base) Name() string { return b.VendorName }

// Migrations implements Vendor.
func (b *Base) Migrations() fs.FS { return b.FS }

// Handler implements Vendor.
func (b *Base) Handler() http.Handler { return b.Routes }

// Clear implements Vendor.
func (b *Base) Clear(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	return store.DeleteNamespace(ctx, tx, ns.ID, b.Tables...)
}
