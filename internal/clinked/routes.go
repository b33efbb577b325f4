package clinked

import "github.com/standin-dev/standin/internal/httpx"

// routes lists every Clinked route. Every /v3 route is wrapped in authed;
// the rate limit wraps the whole router (see New).
func (s *Service) routes(mux *httpx.Router) {
	// OAuth2 token endpoint: GET or POST, query or form parameters.
	mux.Handle("GET /oauth/token", s.handle(s.token))
	mux.Handle("POST /oauth/token", s.handle(s.token))

	// Identity: userinfo, applications, accounts, subscription, components,
	// members, member tags.
	mux.Handle("GET /v3/userinfo", s.authed(s.getUserInfo))

	mux.Handle("POST /v3/applications", s.authed(s.createApplication))
	mux.Handle("GET /v3/applications", s.authed(s.listApplications))
	mux.Handle("GET /v3/applications/{application}", s.authed(s.getApplication))
	mux.Handle("PATCH /v3/applications/{application}", s.authed(s.updateApplication))
	mux.Handle("DELETE /v3/applications/{application}", s.authed(s.deleteApplication))

	mux.Handle("GET /v3/accounts", s.authed(s.listAccounts))
	mux.Handle("GET /v3/accounts/{account}", s.authed(s.getAccount))
	mux.Handle("PATCH /v3/accounts/{account}", s.authed(s.updateAccount))
	mux.Handle("GET /v3/accounts/{account}/subscription", s.authed(s.getSubscription))
	// The doc names this parameter {organisation}; it is the account id.
	mux.Handle("GET /v3/accounts/{account}/components", s.authed(s.listComponents))

	mux.Handle("POST /v3/accounts/{account}/members", s.authed(s.createMember))
	mux.Handle("GET /v3/accounts/{account}/members", s.authed(s.listMembers))
	mux.Handle("GET /v3/accounts/{account}/members/{username}", s.authed(s.getMember))
	// One route for both documented PATCH forms (fields, and group assignments).
	mux.Handle("PATCH /v3/accounts/{account}/members/{username}", s.authed(s.updateMember))
	mux.Handle("DELETE /v3/accounts/{account}/members/{username}", s.authed(s.deleteMember))

	// Without summary the tag names, with summary the paginated summary.
	mux.Handle("GET /v3/accounts/{account}/member-tags", s.authed(s.listMemberTags))
	mux.Handle("GET /v3/accounts/{account}/member-tags/{tags}", s.authed(s.tagMembers))

	// Access: invites, guests, groups, group members, group invites.
	mux.Handle("POST /v3/accounts/{account}/invites", s.authed(s.createAccountInvites))
	mux.Handle("GET /v3/accounts/{account}/invites", s.authed(s.listAccountInvites))
	mux.Handle("GET /v3/accounts/{account}/invites/{invite}", s.authed(s.getAccountInvite))
	mux.Handle("PATCH /v3/accounts/{account}/invites/{invite}", s.authed(s.updateAccountInvite))
	mux.Handle("DELETE /v3/accounts/{account}/invites/{invite}", s.authed(s.deleteAccountInvite))

	mux.Handle("GET /v3/accounts/{account}/guests", s.authed(s.listGuests))
	mux.Handle("GET /v3/accounts/{account}/guests/{guest}", s.authed(s.getGuest))
	mux.Handle("PATCH /v3/accounts/{account}/guests/{guest}", s.authed(s.updateGuest))
	mux.Handle("DELETE /v3/accounts/{account}/guests/{guest}", s.authed(s.deleteGuest))

	// POST …/groups is create, or duplicate when the body has copyFrom;
	// HEAD is the count (X-Count), GET the list.
	mux.Handle("POST /v3/accounts/{account}/groups", s.authed(s.createGroup))
	mux.Handle("HEAD /v3/accounts/{account}/groups", s.authed(s.countGroups))
	mux.Handle("GET /v3/accounts/{account}/groups", s.authed(s.listGroups))
	mux.Handle("PUT /v3/accounts/{account}/groups/order", s.authed(s.reorderGroups))
	mux.Handle("GET /v3/accounts/{account}/groups/{group}", s.authed(s.getGroup))
	mux.Handle("PATCH /v3/accounts/{account}/groups/{group}", s.authed(s.updateGroup))
	mux.Handle("DELETE /v3/accounts/{account}/groups/{group}", s.authed(s.deleteGroup))
	mux.Handle("POST /v3/groups/{group}/export", s.authed(s.exportGroup))

	mux.Handle("GET /v3/groups/{group}/members", s.authed(s.listGroupMembers))
	mux.Handle("GET /v3/groups/{group}/members/{member}", s.authed(s.getGroupMember))
	mux.Handle("PATCH /v3/groups/{group}/members/{member}", s.authed(s.updateGroupMember))
	mux.Handle("DELETE /v3/groups/{group}/members/{member}", s.authed(s.deleteGroupMember))

	mux.Handle("GET /v3/groups/{group}/invites", s.authed(s.listGroupInvites))
	mux.Handle("POST /v3/groups/{group}/invites", s.authed(s.createGroupInvites))
	mux.Handle("GET /v3/groups/{group}/invites/{invite}", s.authed(s.getGroupInvite))
	mux.Handle("PATCH /v3/groups/{group}/invites/{invite}", s.authed(s.updateGroupInvite))
	mux.Handle("DELETE /v3/groups/{group}/invites/{invite}", s.authed(s.deleteGroupInvite))

	// Group content (issue 12). Trash: every kind of content that a delete
	// removes lands here (see trash.go).
	mux.Handle("GET /v3/groups/{group}/trash", s.authed(s.listTrash))
	// One path for bulk delete and restore: the body's action picks.
	mux.Handle("POST /v3/groups/{group}/trash", s.authed(s.processTrash))
	mux.Handle("GET /v3/groups/{group}/trash/progress", s.authed(s.trashProgress))
	mux.Handle("DELETE /v3/groups/{group}/trash/{item}", s.authed(s.deleteTrashItem))

	// Events and tasks: the account-wide lists (?account= or ?user=), and
	// the group calls that Clinked's integrations make beyond the doc.
	mux.Handle("GET /v3/events", s.authed(s.listEvents))
	mux.Handle("GET /v3/tasks", s.authed(s.listTasks))
	for _, k := range []struct {
		path                              string
		list, create, get, update, remove handlerFunc
	}{
		{"/v3/groups/{group}/events", s.listGroupEvents, s.createGroupEvent, s.getGroupEvent, s.updateGroupEvent, s.deleteGroupEvent},
		{"/v3/groups/{group}/tasks", s.listGroupTasks, s.createGroupTask, s.getGroupTask, s.updateGroupTask, s.deleteGroupTask},
	} {
		mux.Handle("GET "+k.path, s.authed(k.list))
		mux.Handle("POST "+k.path, s.authed(k.create))
		mux.Handle("GET "+k.path+"/{id}", s.authed(k.get))
		mux.Handle("PUT "+k.path+"/{id}", s.authed(k.update))
		mux.Handle("PATCH "+k.path+"/{id}", s.authed(k.update))
		mux.Handle("DELETE "+k.path+"/{id}", s.authed(k.remove))
	}

	s.settingsRoutes(mux) // account settings and group configuration (settings_*.go and friends)

	// ---- Files and temp files (issue 12; files*.go, tempfiles.go) ----
	// An upload first lands as a temp file; a file create or a new version
	// consumes it. POST on a folder creates inside it, on a file uploads a
	// new version. GET …/files without an id is the documented path search.
	mux.Handle("POST /v3/tempFiles", s.authed(s.uploadTempFile))
	mux.Handle("GET /v3/groups/{group}/filesList", s.authed(s.listFiles))
	mux.Handle("GET /v3/groups/{group}/files", s.authed(s.searchFile))
	mux.Handle("POST /v3/groups/{group}/files", s.authed(s.createRootFile))
	mux.Handle("GET /v3/groups/{group}/files/{id}", s.authed(s.getFile))
	mux.Handle("POST /v3/groups/{group}/files/{id}", s.authed(s.postFile))
	mux.Handle("PUT /v3/groups/{group}/files/{id}", s.authed(s.updateFile))
	mux.Handle("PATCH /v3/groups/{group}/files/{id}", s.authed(s.updateFile))
	mux.Handle("DELETE /v3/groups/{group}/files/{id}", s.authed(s.deleteFile))
	mux.Handle("GET /v3/groups/{group}/files/{id}/download", s.authed(s.downloadFile))
	// ---- end of files ----

	s.invitationRoutes(mux) // the page the invitation mail links to
}

// controlRoutes lists the control-plane actions, mounted at
// /_standin/namespaces/{id}/clinked/.
func (s *Service) controlRoutes(mux *httpx.Router) {
	// Accepting or declining happens in Clinked's UI, not its API.
	mux.Handle("POST /invites/{invite}/accept", s.handle(s.acceptInvite))
	mux.Handle("POST /invites/{invite}/decline", s.handle(s.declineInvite))
}

// settingsRoutes lists the account settings and group configuration
// routes (issue 12): account branding, properties, announcements, devices,
// iframes, password strength, profile fields, SSO, two-factor enforcement,
// storage, custom e-mail, custom domain, DocuSign, Adobe; group branding,
// components, labels, announcements, properties and incoming mail
// recipients.
func (s *Service) settingsRoutes(mux *httpx.Router) {
	// Properties and announcements are alike for an account and a group;
	// without ?id= GET …/announcements is the list, with it one announcement.
	for _, sc := range []struct {
		path    string
		resolve scopeFunc
	}{{"/v3/accounts/{account}", s.accountScope}, {"/v3/groups/{group}", s.groupScope}} {
		mux.Handle("GET "+sc.path+"/properties", s.authed(inScope(sc.resolve, false, s.listProperties)))
		mux.Handle("POST "+sc.path+"/properties", s.authed(inScope(sc.resolve, true, s.createProperty)))
		mux.Handle("DELETE "+sc.path+"/properties/{name}", s.authed(inScope(sc.resolve, true, s.deleteProperty)))
		mux.Handle("GET "+sc.path+"/announcements", s.authed(inScope(sc.resolve, false, s.listAnnouncements)))
		mux.Handle("POST "+sc.path+"/announcements", s.authed(inScope(sc.resolve, true, s.upsertAnnouncement)))
		mux.Handle("DELETE "+sc.path+"/announcements", s.authed(inScope(sc.resolve, true, s.deleteAnnouncement)))
	}
	mux.Handle("GET /v3/accounts/{account}/branding", s.authed(s.getAccountBranding))
	mux.Handle("POST /v3/accounts/{account}/branding", s.authed(s.upsertAccountBranding))
	mux.Handle("DELETE /v3/accounts/{account}/branding", s.authed(s.deleteAccountBranding))
	mux.Handle("GET /v3/accounts/{account}/devices", s.authed(s.listDevices))
	mux.Handle("DELETE /v3/accounts/{account}/devices/{clientId}", s.authed(s.deleteDevice))
	mux.Handle("GET /v3/accounts/{account}/iframes", s.authed(s.listIframes))
	mux.Handle("POST /v3/accounts/{account}/iframes", s.authed(s.updateIframes))
	mux.Handle("GET /v3/accounts/{account}/password-strength", s.authed(s.getPasswordStrength))
	mux.Handle("POST /v3/accounts/{account}/password-strength", s.authed(s.updatePasswordStrength))
	mux.Handle("GET /v3/accounts/{account}/profile-fields", s.authed(s.listProfileFields))
	mux.Handle("POST /v3/accounts/{account}/profile-fields", s.authed(s.updateProfileFields))
	mux.Handle("GET /v3/accounts/{account}/sso", s.authed(s.getSSO))
	mux.Handle("PATCH /v3/accounts/{account}/sso", s.authed(s.updateSSO))
	mux.Handle("DELETE /v3/accounts/{account}/sso", s.authed(s.deleteSSO))
	mux.Handle("GET /v3/accounts/{account}/two-factor-authentication-enforce", s.authed(s.getTwoFactor))
	mux.Handle("POST /v3/accounts/{account}/two-factor-authentication-enforce", s.authed(s.updateTwoFactor))
	mux.Handle("GET /v3/accounts/{account}/storage", s.authed(s.getStorage))
	mux.Handle("POST /v3/accounts/{account}/storage", s.authed(s.updateStorage))
	mux.Handle("GET /v3/accounts/{account}/custom-email", s.authed(s.getCustomEmail))
	mux.Handle("DELETE /v3/accounts/{account}/custom-email", s.authed(s.deleteCustomEmail))
	mux.Handle("POST /v3/accounts/{account}/custom-email/smtp", s.authed(s.configureSMTP))
	mux.Handle("POST /v3/accounts/{account}/custom-email/sendgrid", s.authed(s.configureSendgrid))
	mux.Handle("GET /v3/accounts/{account}/custom-email/sendgrid/domains", s.authed(s.listSendgridDomains))
	mux.Handle("POST /v3/accounts/{account}/custom-email/domain-authentication", s.authed(s.createDomainAuth))
	mux.Handle("PATCH /v3/accounts/{account}/custom-email/domain-authentication", s.authed(s.validateDomainAuth))
	mux.Handle("GET /v3/accounts/{account}/domain", s.authed(s.getCustomDomain))
	mux.Handle("POST /v3/accounts/{account}/domain", s.authed(s.createCustomDomain))
	mux.Handle("DELETE /v3/accounts/{account}/domain", s.authed(s.deleteCustomDomain))
	mux.Handle("GET /v3/accounts/{account}/docusign", s.authed(s.getDocusign))
	mux.Handle("PATCH /v3/accounts/{account}/docusign", s.authed(s.updateDocusign))
	mux.Handle("DELETE /v3/accounts/{account}/docusign", s.authed(s.deleteDocusign))
	mux.Handle("GET /v3/accounts/{account}/docusign/accounts", s.authed(s.listDocusignAccounts))
	mux.Handle("GET /v3/accounts/{account}/docusign/consent", s.authed(s.getDocusignConsent))
	mux.Handle("GET /v3/accounts/{account}/adobe", s.authed(s.getAdobe))
	mux.Handle("DELETE /v3/accounts/{account}/adobe", s.authed(s.deleteAdobe))

	mux.Handle("POST /v3/groups/{group}/branding", s.authed(s.upsertGroupBranding))
	// The doc names the account {organisation}; {group} is an id or a name.
	mux.Handle("GET /v3/accounts/{account}/groups/{group}/components", s.authed(s.listGroupComponents))
	mux.Handle("GET /v3/groups/{group}/labels", s.authed(s.listGroupLabels))
	mux.Handle("POST /v3/groups/{group}/labels", s.authed(s.attachGroupLabels))
	mux.Handle("DELETE /v3/groups/{group}/labels", s.authed(s.detachAllGroupLabels))
	mux.Handle("DELETE /v3/groups/{group}/labels/{label}", s.authed(s.detachGroupLabel))
	mux.Handle("GET /v3/groups/{group}/incoming-mail-recipients", s.authed(s.listRecipients))
	mux.Handle("POST /v3/groups/{group}/incoming-mail-recipients", s.authed(s.createRecipient))
	mux.Handle("PATCH /v3/groups/{group}/incoming-mail-recipients/{recipient}", s.authed(s.updateRecipient))
	mux.Handle("DELETE /v3/groups/{group}/incoming-mail-recipients/{recipientId}", s.authed(s.deleteRecipient))
}
