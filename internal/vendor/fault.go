package vendor

import (
	"net/http"

	"github.com/standin-dev/standin/internal/httpx"
)

// FaultWriter is implemented by vendors that answer injected faults in
// their own words; the fault package falls back to WriteError for the
// others.
type FaultWriter interface {
	// WriteFault answers status as the vendor would: its envelope and its
	// message for that status; for 429 its rate-limit body (the caller has
	// set Retry-After). msg, when not empty, replaces the message.
	WriteFault(w http.ResponseWriter, r *http.Request, status int, msg string)
	// FaultPresets are the vendor's named faults: what a real integration
	// meets, such as an expired token.
	FaultPresets() []FaultPreset
}

// FaultPreset is one named fault of a vendor, asked for as
// "<vendor>.<Name>" ("clinked.token_expired").
type FaultPreset struct {
	Name        string
	Description string
	// Status is the status the preset answers, for listings.
	Status int
	// RetryAfter, when not zero, is sent as Retry-After (seconds).
	RetryAfter int
	// Write answers the request.
	Write func(w http.ResponseWriter, r *http.Request)
}

// Settings is implemented by vendors that take per-namespace settings
// through the control plane (PUT /_standin/namespaces/{id}/settings/{vendor}).
type Settings interface {
	// DefaultSettings returns a pointer to the vendor's settings struct
	// holding the defaults; the control plane decodes a namespace's
	// settings over it, strictly (unknown keys and wrong types are 400s),
	// and calls Validate when the struct has it.
	DefaultSettings() any
}

// WriterPreset is a preset that answers status in fw's own words
// (WriteFault) with msg, "" for the vendor's message for status. A 429
// sends Retry-After: 60, as every vendor's rate limit does.
func WriterPreset(fw FaultWriter, name string, status int, msg, description string) FaultPreset {
	p := FaultPreset{Name: name, Description: description, Status: status,
		Write: func(w http.ResponseWriter, r *http.Request) { fw.WriteFault(w, r, status, msg) }}
	if status == http.StatusTooManyRequests {
		p.RetryAfter = 60
	}
	return p
}

// BodyPreset is a preset that answers status with the fixed JSON body.
func BodyPreset(name string, status int, body any, description string) FaultPreset {
	return FaultPreset{Name: name, Description: description, Status: status,
		Write: func(w http.ResponseWriter, _ *http.Request) { httpx.WriteJSON(w, status, body) }}
}
