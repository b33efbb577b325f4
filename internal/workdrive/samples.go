package workdrive

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"sync"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// fillSeededFiles gives every seeded file (uploaded, but with no blob) the
// size of its generated content: a small picture for PNG, JPEG and GIF
// images, a one-page PDF, a text. The bytes themselves are not stored: the
// download serves the same generated content (see download), so seeding
// writes no blobs. Other types keep their size and have no content (their
// url answers 404 NoSuchKey).
func fillSeededFiles(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, mime FROM workdrive_files
		WHERE ns = $1 AND status = 'uploaded' ORDER BY id`, ns.ID)
	type seeded struct{ id, name, mime string }
	list, err := store.Collect(rows, err, func(r store.Scanner) (seeded, error) {
		var f seeded
		err := r.Scan(&f.id, &f.name, &f.mime) // before f is returned: operand order is unspecified
		return f, err
	})
	if err != nil {
		return err
	}
	for _, f := range list {
		content, err := sampleContent(f.mime, f.name)
		if err != nil {
			return err
		}
		if content == nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE workdrive_files SET size = $3 WHERE ns = $1 AND id = $2`,
			ns.ID, f.id, len(content)); err != nil {
			return err
		}
	}
	return nil
}

// sampleContent makes a small file of the given type, or nil when standin
// cannot make one.
func sampleContent(mimeType, name string) ([]byte, error) {
	key := mimeType + "\x00" + name
	if b, ok := samples.Load(key); ok {
		return b.([]byte), nil
	}
	b, err := makeSample(mimeType, name)
	if err == nil {
		samples.Store(key, b)
	}
	return b, err
}

// samples memoises sampleContent: seeds name the same few files in every
// namespace, and drawing and encoding them each time would cost every
// namespace creation milliseconds.
var samples sync.Map // mime + NUL + name -> []byte

// makeSample draws a sample file's bytes (see sampleContent).
func makeSample(mimeType, name string) ([]byte, error) {
	h := fnv.New32a()
	h.Write([]byte(name))
	sum := h.Sum32()
	fill := color.RGBA{R: byte(sum), G: byte(sum >> 8), B: byte(sum >> 16), A: 255}
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			c := fill
			if (x/8+y/8)%2 == 0 { // a checkerboard, so the picture is visibly one
				c = color.RGBA{R: 255 - fill.R, G: 255 - fill.G, B: 255 - fill.B, A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	var err error
	switch mimeType {
	case "image/png":
		err = png.Encode(&buf, img)
	case "image/jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "image/gif":
		err = gif.Encode(&buf, img, nil)
	case "application/pdf":
		return samplePDF(name), nil
	case "text/plain":
		return []byte(name + "\n\nA sample file seeded by standin.\n"), nil
	default:
		return nil, nil
	}
	return buf.Bytes(), err
}

// samplePDF is a minimal one-page PDF showing a title.
func samplePDF(title string) []byte {
	title = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(title)
	stream := fmt.Sprintf("BT /F1 18 Tf 72 720 Td (%s) Tj ET", title)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
