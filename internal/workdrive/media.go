package workdrive

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/blob"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// Media upload works like the real product's S3 presigned POST: GET
// /api/media issues a fileId and a signed policy; the client POSTs the
// policy's fields and the file as multipart/form-data to signedRequest.url
// (standin's own {base}/media); the bytes are then served, unauthenticated
// as with an S3 public-read ACL, at {base}/media/{Key}.
const (
	mediaBucket    = "workdrive" // the bucket name shown in fields and File objects
	mediaRegion    = "us-east-1"
	mediaAlgorithm = "AWS4-HMAC-SHA256"
	mediaACL       = "public-read"
	// mediaTicketTTL is how long a presigned POST stays valid.
	mediaTicketTTL = time.Hour
	// defaultMaxUpload is S3's limit for a POST upload, 5 GiB; the
	// namespace setting workdrive.max_upload_bytes lowers or raises it.
	defaultMaxUpload = 5 << 30
	// maxFormField bounds each non-file form field of an upload.
	maxFormField = 64 << 10
)

// mediaSettings are the namespace's media settings, read from
// PUT /_standin/namespaces/{id}/settings/workdrive.
type mediaSettings struct {
	MaxUploadBytes int64 `json:"max_upload_bytes"`
}

func maxUpload(ns *namespace.Namespace) int64 {
	var st mediaSettings
	if err := ns.Setting("workdrive", &st); err != nil || st.MaxUploadBytes <= 0 {
		return defaultMaxUpload
	}
	return st.MaxUploadBytes
}

// docMimes are the document types the doc lists; images and videos are
// accepted by their top-level type (the doc's lists for them were lost).
var docMimes = map[string]bool{
	"text/plain":         true,
	"application/pdf":    true,
	"application/msword": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.ms-powerpoint":                                             true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
}

// normalMime validates a media type and returns it lower-cased without
// parameters.
func normalMime(s string) (string, bool) {
	mt, _, err := mime.ParseMediaType(strings.TrimSpace(s))
	if err != nil {
		return "", false
	}
	top, sub, _ := strings.Cut(mt, "/")
	if sub == "" {
		return "", false
	}
	return mt, top == "image" || top == "video" || docMimes[mt]
}

// s3Keys are the namespace's signing credentials for presigned POSTs.
type s3Keys struct{ accessKey, secret string }

func mediaKeys(ns *namespace.Namespace) s3Keys {
	return s3Keys{
		accessKey: "AKIA" + strings.ToUpper(ns.Credential("workdrive.s3_access_key", 16)),
		secret:    ns.Credential("workdrive.s3_secret", 40),
	}
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// sign is AWS Signature Version 4 for a POST policy: the policy (base64)
// signed with the key derived from the secret, the day, region and service.
func (k s3Keys) sign(day, policy string) string {
	key := hmacSHA256([]byte("AWS4"+k.secret), day)
	key = hmacSHA256(key, mediaRegion)
	key = hmacSHA256(key, "s3")
	key = hmacSHA256(key, "aws4_request")
	return hex.EncodeToString(hmacSHA256(key, policy))
}

// mediaBase is the bucket URL of the namespace: the upload target, and the
// prefix of every file's url (see fileURL).
func mediaBase(ns *namespace.Namespace) string { return ns.BaseURL + "/media" }

// requestUpload serves GET /api/media: it validates mime, name and moduleCode,
// records the file as pending and returns the presigned POST.
func (s *Service) requestUpload(w http.ResponseWriter, r *http.Request, c *caller) error {
	// The doc shows the parameters as a JSON block under a GET line, so a
	// body is read too; the query wins where both are given.
	p, err := httpx.Params(w, r)
	if err != nil {
		return httpx.BadRequest("%s", err.Error())
	}
	for k, v := range r.URL.Query() {
		p[k] = v
	}
	var msgs []string
	mimeType, ok := normalMime(p.Get("mime"))
	switch {
	case strings.TrimSpace(p.Get("mime")) == "":
		msgs = append(msgs, "mime should not be empty")
	case !ok:
		msgs = append(msgs, "mime must be an image/*, video/* or document type (text/plain, application/pdf, application/msword, .docx, application/vnd.ms-powerpoint, .pptx)")
	}
	name := strings.TrimSpace(p.Get("name"))
	if name == "" || len(name) > 1024 {
		msgs = append(msgs, "name should not be empty (at most 1024 characters)")
	}
	code, err := strconv.Atoi(strings.TrimSpace(p.Get("moduleCode")))
	if err != nil || !validModuleCode(code) {
		msgs = append(msgs, "moduleCode must be one of the codes of GET /api/module-codes")
	}
	if len(msgs) > 0 {
		return httpx.BadRequest("%s", strings.Join(msgs, "; "))
	}
	ext := strings.ToLower(path.Ext(name))
	if !validExt(ext) {
		ext = extOf(mimeType)
	}
	now := c.ns.Now()
	f := &file{
		id: ids.UUID(), orgID: c.orgID, ownerID: c.id, name: name, mime: mimeType, moduleCode: code,
		status: "pending", createdAt: now.UnixMilli(),
		// The real Key is o-<org>/m-<module>/u-<user>/<40 hex><ext>.
		blobKey: fmt.Sprintf("o-%s/m-%d/u-%s/%s%s", c.orgID, code, c.id, ids.Hex(20), ext),
	}
	if err := insertFile(r.Context(), s.db, c.ns.ID, f); err != nil {
		return err
	}
	keys := mediaKeys(c.ns)
	amzDate := now.UTC().Format("20060102T150405Z")
	credential := keys.accessKey + "/" + amzDate[:8] + "/" + mediaRegion + "/s3/aws4_request"
	policy, err := json.Marshal(struct {
		Conditions []any  `json:"conditions"`
		Expiration string `json:"expiration"`
	}{
		Expiration: now.Add(mediaTicketTTL).UTC().Format("2006-01-02T15:04:05.000Z"),
		Conditions: []any{
			map[string]string{"bucket": mediaBucket},
			map[string]string{"key": f.blobKey},
			map[string]string{"acl": mediaACL},
			map[string]string{"Content-Type": mimeType},
			[]any{"content-length-range", 0, maxUpload(c.ns)},
			map[string]string{"x-amz-algorithm": mediaAlgorithm},
			map[string]string{"x-amz-credential": credential},
			map[string]string{"x-amz-date": amzDate},
		},
	})
	if err != nil {
		return err
	}
	policyB64 := base64.StdEncoding.EncodeToString(policy)
	type signedRequest struct {
		Fields map[string]string `json:"fields"`
		URL    string            `json:"url"`
	}
	return okJSON(w, struct {
		FileID        string        `json:"fileId"`
		SignedRequest signedRequest `json:"signedRequest"`
		URL           string        `json:"url"`
	}{
		FileID: f.id,
		SignedRequest: signedRequest{
			URL: mediaBase(c.ns),
			Fields: map[string]string{
				"Key":              f.blobKey,
				"Content-Type":     mimeType,
				"ACL":              mediaACL,
				"bucket":           mediaBucket,
				"X-Amz-Algorithm":  mediaAlgorithm,
				"X-Amz-Credential": credential,
				"X-Amz-Date":       amzDate,
				"Policy":           policyB64,
				"X-Amz-Signature":  keys.sign(amzDate[:8], policyB64),
			},
		},
		URL: fileURL(c.ns, f.blobKey),
	})
}

// validExt accepts a short file extension of letters and digits, so the
// Key stays a plain URL path.
func validExt(ext string) bool {
	if len(ext) < 2 || len(ext) > 10 || ext[0] != '.' {
		return false
	}
	for _, r := range ext[1:] {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// s3Error is the XML error body S3 answers on its object endpoints.
type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Key       string   `xml:"Key,omitempty"`
	RequestID string   `xml:"RequestId"`
}

// s3Fail writes an S3-style error: the upload and download endpoints stand
// in for S3, whose clients parse this shape.
func s3Fail(w http.ResponseWriter, r *http.Request, status int, code, msg, key string) {
	body, _ := xml.Marshal(s3Error{Code: code, Message: msg, Key: key, RequestID: httpx.RequestID(r.Context())})
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header)
	_, _ = w.Write(body)
}

// uploadErr is a refused upload, answered with s3Fail.
type uploadErr struct {
	status    int
	code, msg string
}

func (e *uploadErr) Error() string { return e.code + ": " + e.msg }

func denied(format string, a ...any) error {
	return &uploadErr{http.StatusForbidden, "AccessDenied", fmt.Sprintf(format, a...)}
}

func invalidUpload(code, format string, a ...any) error {
	return &uploadErr{http.StatusBadRequest, code, fmt.Sprintf(format, a...)}
}

// policyDoc is a decoded POST policy.
type policyDoc struct {
	Expiration string            `json:"expiration"`
	Conditions []json.RawMessage `json:"conditions"`
}

// checkPolicy verifies the signature of the form's policy and the policy's
// expiry and conditions against the form fields (names lower-cased). It
// returns the content-length-range.
func checkPolicy(ns *namespace.Namespace, form map[string]string) (minSize, maxSize int64, err error) {
	policyB64, sig := form["policy"], form["x-amz-signature"]
	if policyB64 == "" || sig == "" {
		return 0, 0, invalidUpload("InvalidArgument", "Bucket POST must contain a field named 'Policy' and 'X-Amz-Signature'")
	}
	if form["x-amz-algorithm"] != mediaAlgorithm {
		return 0, 0, invalidUpload("InvalidArgument", "X-Amz-Algorithm must be %s", mediaAlgorithm)
	}
	keys := mediaKeys(ns)
	cred := strings.Split(form["x-amz-credential"], "/")
	if len(cred) != 5 || cred[0] != keys.accessKey {
		return 0, 0, denied("The AWS Access Key Id you provided does not exist in our records.")
	}
	if !auth.Equal(keys.sign(cred[1], policyB64), strings.ToLower(sig)) {
		return 0, 0, denied("The request signature we calculated does not match the signature you provided. Check your key and signing method.")
	}
	raw, err := base64.StdEncoding.DecodeString(policyB64)
	if err != nil {
		return 0, 0, invalidUpload("InvalidPolicyDocument", "Invalid Policy: Invalid 'Policy' field encoding.")
	}
	var doc policyDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return 0, 0, invalidUpload("InvalidPolicyDocument", "Invalid Policy: Invalid JSON.")
	}
	exp, err := time.Parse(time.RFC3339Nano, doc.Expiration)
	if err != nil {
		return 0, 0, invalidUpload("InvalidPolicyDocument", "Invalid Policy: Invalid 'expiration' value: '%s'", doc.Expiration)
	}
	if !ns.Now().Before(exp) {
		return 0, 0, denied("Invalid according to Policy: Policy expired.")
	}
	minSize, maxSize = 0, -1
	for _, c := range doc.Conditions {
		var obj map[string]string
		if json.Unmarshal(c, &obj) == nil {
			for k, v := range obj {
				if !fieldMatches(form, k, "eq", v) {
					return 0, 0, denied("Invalid according to Policy: Policy Condition failed: [\"eq\", \"$%s\", %q]", k, v)
				}
			}
			continue
		}
		var arr []json.RawMessage
		if json.Unmarshal(c, &arr) != nil || len(arr) != 3 {
			return 0, 0, invalidUpload("InvalidPolicyDocument", "Invalid Policy: Invalid Condition: %s", c)
		}
		var op string
		_ = json.Unmarshal(arr[0], &op)
		if strings.EqualFold(op, "content-length-range") {
			if json.Unmarshal(arr[1], &minSize) != nil || json.Unmarshal(arr[2], &maxSize) != nil {
				return 0, 0, invalidUpload("InvalidPolicyDocument", "Invalid Policy: Invalid content-length-range: %s", c)
			}
			continue
		}
		var field, val string
		if json.Unmarshal(arr[1], &field) != nil || json.Unmarshal(arr[2], &val) != nil || !strings.HasPrefix(field, "$") {
			return 0, 0, invalidUpload("InvalidPolicyDocument", "Invalid Policy: Invalid Condition: %s", c)
		}
		if !fieldMatches(form, field[1:], strings.ToLower(op), val) {
			return 0, 0, denied("Invalid according to Policy: Policy Condition failed: %s", c)
		}
	}
	if maxSize < 0 { // a policy without a range: the namespace's limit
		maxSize = maxUpload(ns)
	}
	return minSize, maxSize, nil
}

// fieldMatches checks one policy condition. The bucket comes from the URL,
// not a field, as on S3.
func fieldMatches(form map[string]string, field, op, want string) bool {
	field = strings.ToLower(field)
	got, ok := form[field]
	if field == "bucket" {
		got, ok = mediaBucket, true
	}
	if !ok {
		return false
	}
	switch op {
	case "eq":
		return got == want
	case "starts-with":
		return strings.HasPrefix(got, want)
	}
	return false
}

// upload serves POST {base}/media, the presigned-POST target. Fields come
// first; the file part is streamed into the blob store as it arrives, so
// memory stays bounded whatever the file's size. Fields after the file are
// ignored, as S3 does.
func (s *Service) upload(w http.ResponseWriter, r *http.Request) {
	ns := namespace.FromContext(r.Context())
	if err := s.receiveUpload(w, r, ns); err != nil {
		var ue *uploadErr
		if errors.As(err, &ue) {
			s3Fail(w, r, ue.status, ue.code, ue.msg, "")
			return
		}
		s.log.ErrorContext(r.Context(), "upload failed", "request_id", httpx.RequestID(r.Context()), "error", err)
		s3Fail(w, r, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.", "")
	}
}

func (s *Service) receiveUpload(w http.ResponseWriter, r *http.Request, ns *namespace.Namespace) error {
	ctx := r.Context()
	mr, err := blob.MultipartReader(r)
	if err != nil {
		return invalidUpload("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.")
	}
	form := map[string]string{}
	for fields := 0; ; fields++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			return invalidUpload("InvalidArgument", "POST requires exactly one file upload per request.")
		}
		if err != nil {
			return invalidUpload("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.")
		}
		if fields > 100 {
			return invalidUpload("MalformedPOSTRequest", "Too many form fields.")
		}
		if part.FileName() == "" && part.FormName() != "file" {
			v, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
			if err != nil {
				return invalidUpload("IncompleteBody", "The request body terminated unexpectedly")
			}
			if len(v) > maxFormField {
				return invalidUpload("MaxPostPreDataLengthExceeded", "Your POST request fields preceding the upload file were too large.")
			}
			form[strings.ToLower(part.FormName())] = string(v)
			continue
		}
		return s.storeUpload(ctx, w, ns, form, part)
	}
}

// storeUpload checks the policy and streams the file part into the blob
// named by the key, then marks the file uploaded.
func (s *Service) storeUpload(ctx context.Context, w http.ResponseWriter, ns *namespace.Namespace,
	form map[string]string, part *multipart.Part) error {
	minSize, maxSize, err := checkPolicy(ns, form)
	if err != nil {
		return err
	}
	key := form["key"]
	f, err := fileByKey(ctx, s.db, ns.ID, key)
	if isNotFound(err) {
		return denied("No upload was issued for this key (the namespace was reset, or the key is wrong).")
	}
	if err != nil {
		return err
	}
	info, err := blob.New(s.db).Put(ctx, ns.ID, key, part, blob.Options{MaxSize: maxSize, Time: ns.Now()})
	if errors.Is(err, blob.ErrTooLarge) {
		return invalidUpload("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size (%d bytes).", maxSize)
	}
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || ctx.Err() != nil {
			return invalidUpload("IncompleteBody", "The request body terminated unexpectedly")
		}
		return err
	}
	if info.Size < minSize {
		_ = blob.Delete(ctx, s.db, ns.ID, key)
		return invalidUpload("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size (%d bytes).", minSize)
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE workdrive_files SET status = 'uploaded', size = $3
			WHERE ns = $1 AND id = $2`, ns.ID, f.id, info.Size)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			// The file was removed while its bytes arrived.
			return blob.Delete(ctx, tx, ns.ID, key)
		}
		return nil
	})
	if err != nil {
		return err
	}
	url := fileURL(ns, key)
	etag := `"` + info.Version + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Location", url)
	switch form["success_action_status"] {
	case "201":
		type postResponse struct {
			XMLName  xml.Name `xml:"PostResponse"`
			Location string   `xml:"Location"`
			Bucket   string   `xml:"Bucket"`
			Key      string   `xml:"Key"`
			ETag     string   `xml:"ETag"`
		}
		var buf bytes.Buffer
		buf.WriteString(xml.Header)
		if err := xml.NewEncoder(&buf).Encode(postResponse{Location: url, Bucket: mediaBucket, Key: key, ETag: etag}); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(buf.Bytes())
	case "200":
		w.WriteHeader(http.StatusOK)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
	return nil
}

// fileByKey returns the file issued under an S3-style key.
func fileByKey(ctx context.Context, q store.Querier, ns, key string) (*file, error) {
	return scanFile(q.QueryRowContext(ctx, `SELECT `+fileColumns+` FROM workdrive_files
		WHERE ns = $1 AND blob_key = $2`, ns, key))
}

// download serves GET (and HEAD) {base}/media/{key...}: the file's bytes with
// its content type, streamed from the blob store chunk by chunk, with
// Range and conditional requests handled by http.ServeContent.
func (s *Service) download(w http.ResponseWriter, r *http.Request) {
	ns := namespace.FromContext(r.Context())
	key := r.PathValue("key")
	f, err := fileByKey(r.Context(), s.db, ns.ID, key)
	if err != nil && !isNotFound(err) {
		s.log.ErrorContext(r.Context(), "download failed", "request_id", httpx.RequestID(r.Context()), "error", err)
		s3Fail(w, r, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.", key)
		return
	}
	var (
		rd      io.ReadSeeker
		version string
		modTime time.Time
	)
	if err == nil {
		var br *blob.Reader
		if br, err = blob.New(s.db).Open(r.Context(), ns.ID, key); err == nil {
			rd, version, modTime = br, br.Info().Version, br.Info().CreatedAt
		} else if errors.Is(err, blob.ErrNotFound) && f.status == "uploaded" {
			// A seeded file: its bytes are generated, not stored (fillSeededFiles).
			var sample []byte
			if sample, err = sampleContent(f.mime, f.name); err == nil && sample != nil {
				rd, version, modTime = bytes.NewReader(sample), "seed-"+f.id, time.UnixMilli(f.createdAt)
			} else if err == nil {
				err = blob.ErrNotFound
			}
		}
	}
	if err != nil {
		if isNotFound(err) || errors.Is(err, blob.ErrNotFound) {
			s3Fail(w, r, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", key)
			return
		}
		s.log.ErrorContext(r.Context(), "download failed", "request_id", httpx.RequestID(r.Context()), "error", err)
		s3Fail(w, r, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.", key)
		return
	}
	w.Header().Set("Content-Type", f.mime)
	w.Header().Set("ETag", `"`+version+`"`)
	if cd := mime.FormatMediaType("inline", map[string]string{"filename": f.name}); cd != "" {
		w.Header().Set("Content-Disposition", cd)
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	// Served from standin's own origin: never let a browser sniff an
	// upload into something more active than its declared type.
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", modTime, rd)
}
