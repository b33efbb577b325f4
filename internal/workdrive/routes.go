package workdrive

import "github.com/standin-dev/standin/internal/httpx"

// routes lists every WorkDrive route. Static segments (supervisors, add,
// bulk-create, bulk-delete) are more specific than {id}, so ServeMux
// prefers them. The doc's literal aliases are routed to the real endpoint;
// a stray "}" ending a path is dropped before routing (trimBrace).
func (s *Service) routes(mux *httpx.Router) {
	// People: users, organization, tokens
	mux.Handle("GET /api/users", s.authed(s.listUsers))
	mux.Handle("GET /api/users/supervisors", s.authed(s.listSupervisors))
	mux.Handle("POST /api/users/add", s.authed(s.createUser))
	mux.Handle("POST /api/users/bulk-create", s.authed(s.bulkCreateUsers))
	mux.Handle("DELETE /api/users/bulk-delete", s.authed(s.bulkDeleteUsers))
	mux.Handle("PATCH /api/users/{id}", s.authed(s.updateUser))
	mux.Handle("DELETE /api/users/{id}", s.authed(s.deleteUser))
	mux.Handle("POST /api/organization", s.authedSuper(s.createOrganization))
	mux.Handle("PATCH /api/organization/{id}", s.authed(s.updateOrganization))
	mux.Handle("POST /api/token/generate-access", s.authed(s.generateToken))

	// Organization structure: departments, locations, security groups, SSO
	mux.Handle("GET /api/departments", s.authed(s.listDepartments))
	mux.Handle("POST /api/departments", s.authed(s.createDepartment)) // also the doc's Create Location line
	mux.Handle("PATCH /api/departments/{id}/admin", s.authed(s.updateDepartmentHeads))
	mux.Handle("POST /api/departments/{id}/members", s.authed(s.updateDepartmentMembers))
	departmentKind.route(s, mux, "/api/departments") // GET {id}/members, PATCH {id}, DELETE {id}
	mux.Handle("GET /api/locations", s.authed(s.listLocations))
	mux.Handle("POST /api/locations", s.authed(withBody(s.createLocation)))
	mux.Handle("POST /api/locations/{id}/members", s.authed(s.updateLocationMembers))
	locationKind.route(s, mux, "/api/locations") // GET {id}/members, PATCH {id}, DELETE {id}
	mux.Handle("GET /api/security_groups", s.authed(s.listSecurityGroups))
	mux.Handle("POST /api/security_groups/{groupId}/members", s.authed(s.changeSecurityGroupMembers(true)))
	mux.Handle("DELETE /api/security_groups/{groupId}/members", s.authed(s.changeSecurityGroupMembers(false)))
	mux.Handle("GET /api/sso", s.authed(s.listSSO))
	mux.Handle("POST /api/sso", s.authed(s.createSSO))

	// Content: posts, news, events, videos, photos, documents, FAQs, catalogs, notifications
	for _, k := range []struct{ kind, path string }{{kindPost, "/api/posts"}, {kindNews, "/api/news"}} {
		mux.Handle("GET "+k.path, s.authed(s.listPosts(k.kind)))
		mux.Handle("POST "+k.path, s.authed(s.createPost(k.kind)))
		mux.Handle("PATCH "+k.path+"/{id}", s.authed(s.updatePost(k.kind)))
		mux.Handle("DELETE "+k.path+"/{id}", s.authed(s.deletePost(k.kind)))
	}
	mux.Handle("GET /api/events", s.authed(s.listEvents))
	mux.Handle("POST /api/events/meeting", s.authed(s.createEvent))
	mux.Handle("PATCH /api/events/{id}", s.authed(s.updateEvent))
	mux.Handle("DELETE /api/events/{id}", s.authed(s.deleteEvent))
	mux.Handle("GET /api/videos", s.authed(s.listVideos))
	mux.Handle("POST /api/videos", s.authed(s.createVideo))
	mux.Handle("PATCH /api/videos/{id}", s.authed(s.updateVideo))
	mux.Handle("DELETE /api/videos/{id}", s.authed(s.deleteVideo))
	mux.Handle("GET /api/photos", s.authed(s.listPhotos))
	mux.Handle("POST /api/photos", s.authed(s.createPhoto))
	mux.Handle("PATCH /api/photos/{id}", s.authed(s.updatePhoto))
	mux.Handle("DELETE /api/photos/{id}", s.authed(s.deletePhoto))
	mux.Handle("GET /api/documents", s.authed(s.listDocuments))
	mux.Handle("POST /api/documents", s.authed(s.createDocument))
	mux.Handle("PATCH /api/documents/{id}", s.authed(s.updateDocument))
	mux.Handle("PATCH /api/documnents/{id}", s.authed(s.updateDocument)) // the doc's spelling
	mux.Handle("PATCH /api/documnents", s.authed(s.updateDocument))      // its literal line: ?id= or body id
	mux.Handle("DELETE /api/documents/{id}", s.authed(s.deleteDocument))
	mux.Handle("DELETE /api/documents", s.authed(s.deleteDocument)) // the doc's literal line: ?id= or body id
	mux.Handle("GET /api/faqs", s.authed(s.listFAQs))
	mux.Handle("POST /api/faqs", s.authed(s.createFAQ))
	mux.Handle("PATCH /api/faqs/{kbId}", s.authed(s.updateFAQ))
	mux.Handle("DELETE /api/faqs/{id}", s.authed(s.deleteFAQ))
	mux.Handle("GET /api/categories", s.authed(s.listCategories)) // with filter and no moduleCode: courses
	mux.Handle("GET /api/enforcement-templates", s.authed(s.listEnforcementTemplates))
	mux.Handle("POST /api/notifications/send", s.authed(s.sendNotification))
	mux.Handle("GET /api/notifications/send", s.authed(s.sendNotification)) // the doc's method, with a body
	mux.Handle("GET /api/module-codes", s.authed(s.listModuleCodes))
	mux.Handle("GET /api/courses", s.authed(s.listCourses))
	mux.Handle("DELETE /api/courses/{id}", s.authed(s.deleteCourse))

	// Collaboration: tasks, chats, messages, meetings, media
	mux.Handle("GET /api/tasks", s.authed(s.listTasks))
	mux.Handle("POST /api/tasks", s.authed(s.createTask))
	mux.Handle("PATCH /api/tasks/update/{id}", s.authed(s.updateTask))
	mux.Handle("PATCH /api/tasks/assign/{id}", s.authed(s.assignTask))
	mux.Handle("DELETE /api/tasks/{id}", s.authed(s.deleteTask))
	mux.Handle("GET /api/group-chats", s.authed(s.listGroupChats))
	mux.Handle("POST /api/group-chats", s.authed(s.createGroupChat)) // also the doc's meeting line
	mux.Handle("PATCH /api/group-chats/{id}", s.authed(s.updateGroupChat))
	mux.Handle("DELETE /api/group-chats", s.authed(s.deleteGroupChats)) // ?id=… (an array)
	mux.Handle("DELETE /api/group-chats/{id}", s.authed(s.deleteGroupChats))
	mux.Handle("POST /api/group-chats/{conversationId}/meetings", s.authed(s.createMeeting))
	mux.Handle("POST /api/{conversationId}/meetings", s.authed(s.createMeeting))
	// /api/{conversationId}/… is less specific than every /api/<resource>/… route.
	mux.Handle("POST /api/{conversationId}/messages", s.authed(withBody(s.send)))
	mux.Handle("GET /api/{conversationId}/messages", s.authed(s.messages)) // a GET with a body sends
	mux.Handle("GET /api/media", s.authed(s.requestUpload))
	// The S3-style bucket: presigned-POST target and public downloads.
	mux.HandleFunc("POST /media", s.upload)
	mux.HandleFunc("GET /media/{key...}", s.download)
}
