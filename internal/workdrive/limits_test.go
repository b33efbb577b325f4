package workdrive_test

import (
	"strings"
	"testing"
)

// TestGenerateAccessNeedsUserID: without userId the caller's own key was
// rotated and the client locked out; now it is a 400 and the key still works.
func TestGenerateAccessNeedsUserID(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	for _, body := range []any{map[string]any{}, map[string]any{"userId": ""}, map[string]any{"userId": "  "}, nil} {
		errorOf(t, admin.do("POST", "/api/token/generate-access", body), 400)
	}
	admin.must(200, "GET", "/api/users", nil, nil)
}

// TestStringLengthLimits: every stored string has a limit (docs/decisions.md,
// WorkDrive); longer ones are 400s in the NestJS envelope, and nothing is stored.
func TestStringLengthLimits(t *testing.T) {
	_, ns, admin := adminClient(t, "docs")
	super := admin.as(ns.Cred("workdrive", "superadmin_api_key"))
	long := func(n int) string { return strings.Repeat("a", n) }
	longLocal := long(5000) + "@example.com"
	tests := []struct {
		name         string
		c            *client
		method, path string
		body         any
	}{
		{"email local part of 5,000", admin, "POST", "/api/users/add", map[string]any{"email": longLocal}},
		{"email local part of 65", admin, "POST", "/api/users/add", map[string]any{"email": long(65) + "@example.com"}},
		{"email of 255", admin, "POST", "/api/users/add", map[string]any{"email": long(60) + "@" + long(190) + ".com"}},
		{"bulk email", admin, "POST", "/api/users/bulk-create", map[string]any{"data": []any{map[string]any{"email": longLocal}}}},
		{"organization admin email", super, "POST", "/api/organization",
			map[string]any{"name": "Long Co", "admin": map[string]any{"email": longLocal}}},
		{"first name", admin, "POST", "/api/users/add", map[string]any{"email": "n1@example.com", "firstName": long(256)}},
		{"designation", admin, "PATCH", "/api/users/" + johnID, map[string]any{"designation": long(256)}},
		{"bio", admin, "PATCH", "/api/users/" + johnID, map[string]any{"bio": long(65536)}},
		{"organization name", admin, "PATCH", "/api/organization/" + ns.Cred("workdrive", "org_id"), map[string]any{"name": long(256)}},
		{"department name", admin, "POST", "/api/departments", map[string]any{"name": long(256)}},
		{"location name", admin, "POST", "/api/locations", map[string]any{"name": long(256)}},
		{"news title", admin, "POST", "/api/news", map[string]any{"newsTitle": long(256), "tags": []string{"x"}}},
		{"post tag", admin, "POST", "/api/posts", map[string]any{"postText": "hi", "tags": []string{long(256)}}},
		{"post link", admin, "POST", "/api/posts", map[string]any{"postText": "hi", "links": []string{"https://x.example/" + long(2100)}}},
		{"video title", admin, "POST", "/api/videos", map[string]any{"title": long(256), "videoFileId": videoFileID}},
		{"photo title", admin, "POST", "/api/photos", map[string]any{"title": long(256), "fileId": photoFileID}},
		{"event title", admin, "POST", "/api/events/meeting", map[string]any{"title": long(256),
			"startDateTime": "2030-01-01T10:00:00Z", "endDateTime": "2030-01-01T11:00:00Z"}},
		{"faq answer", admin, "POST", "/api/faqs", map[string]any{"kb": map[string]any{"name": "Long"},
			"qas": []any{map[string]any{"question": "Q?", "answer": long(65536)}}}},
		{"task title", admin, "POST", "/api/tasks", map[string]any{"title": long(256), "task_type": "Article", "content": "Read this"}},
		{"chat name", admin, "POST", "/api/group-chats", map[string]any{"title": long(256), "members": []any{map[string]any{"id": johnID}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errorOf(t, tt.c.do(tt.method, tt.path, tt.body), 400)
		})
	}
	// At the limit is fine.
	admin.must(201, "POST", "/api/users/add", map[string]any{"email": long(64) + "@example.com", "firstName": long(255)}, nil)
	admin.must(201, "POST", "/api/departments", map[string]any{"name": long(255)}, nil)
}
