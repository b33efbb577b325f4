package workdrive

import (
	"encoding/json"
	"fmt"
)

// Settings is WorkDrive's per-namespace settings section as the control
// plane shows and checks it (GET/PUT/PATCH
// /_standin/namespaces/{id}/settings/workdrive); the media and user
// handlers read the same JSON (mediaSettings, settings).
type Settings struct {
	// MaxUploadBytes caps a media upload.
	MaxUploadBytes int64 `json:"max_upload_bytes"`
	// Onboarding holds the defaults applied to new users.
	Onboarding onboarding `json:"onboarding"`
	// OffboardingAssignee inherits the data of users deleted in bulk; the
	// OrgAdmin when empty.
	OffboardingAssignee string `json:"offboardingAssignee"`
}

// onboarding decodes by replacing, not merging into, the defaults: a
// namespace's onboarding map is used as it is.
type onboarding map[string]string

// UnmarshalJSON implements json.Unmarshaler.
func (o *onboarding) UnmarshalJSON(b []byte) error {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*o = m
	return nil
}

// DefaultSettings implements vendor.Settings.
func (s *Service) DefaultSettings() any {
	return &Settings{MaxUploadBytes: defaultMaxUpload, Onboarding: onboarding(defaultOnboarding)}
}

// Validate refuses an upload cap that is not positive.
func (st *Settings) Validate() error {
	if st.MaxUploadBytes < 1 {
		return fmt.Errorf("max_upload_bytes must be positive")
	}
	return nil
}
