package app

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/vendor"
)

// Export is a namespace written as a seed document.
type Export struct {
	// JSON is the document, vendors in serving order.
	JSON []byte
	// Omitted names the vendors that the document leaves out: those that
	// cannot export (no vendor.Exporter). Every vendor served today can.
	Omitted []string
}

// ExportNamespace writes a namespace's data as a seed document that, loaded
// into a namespace seeded "empty", reproduces it. It reads one consistent
// state.
func (a *App) ExportNamespace(ctx context.Context, id string) (*Export, error) {
	out := &Export{}
	var buf bytes.Buffer
	buf.WriteByte('{')
	err := a.snapshotTx(ctx, func(tx *sql.Tx) error {
		ns, err := namespace.Get(ctx, tx, id)
		if err != nil {
			return err
		}
		ns.Clock = a.clock
		first := true
		for _, v := range a.vendors {
			ex, ok := v.(vendor.Exporter)
			if !ok {
				out.Omitted = append(out.Omitted, v.Name())
				continue
			}
			section, err := ex.Export(ctx, tx, ns)
			if err != nil {
				return fmt.Errorf("export %s: %w", v.Name(), err)
			}
			if section == nil {
				continue
			}
			b, err := json.Marshal(section)
			if err != nil {
				return fmt.Errorf("export %s: %w", v.Name(), err)
			}
			if !first {
				buf.WriteByte(',')
			}
			first = false
			name, _ := json.Marshal(v.Name())
			buf.Write(name)
			buf.WriteByte(':')
			buf.Write(b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	buf.WriteByte('}')
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, buf.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	pretty.WriteByte('\n')
	out.JSON = pretty.Bytes()
	return out, nil
}

// YAML turns a JSON document into block-style YAML, keeping key order.
func YAML(doc []byte) ([]byte, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(doc, &n); err != nil {
		return nil, err
	}
	plain(&n)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// plain drops the flow and quoting styles that JSON gave the nodes; the
// encoder quotes what needs it (strings that read as numbers) by their tag.
func plain(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		plain(c)
	}
}
