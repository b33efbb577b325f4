package app

import (
	"net"
	"net/http"
	"strings"
)

// guard is what the Host check and the control token need to know about
// how standin is exposed.
type guard struct {
	exposed      bool
	allowedHosts []string
	controlToken string
}

// HostAllowed tells whether a request's Host header names standin as the
// user reaches it. On a loopback bind (and on any bind given AllowedHosts)
// only loopback names and addresses and the allowed hosts are: a page on
// another site whose name a DNS-rebinding attack pointed at 127.0.0.1 sends
// its own name as Host, and is refused on every port. Without a Host
// header (HTTP/1.0) nothing was rebound.
func (a *App) HostAllowed(hostport string) bool {
	if hostport == "" {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	for _, allowed := range a.guard.allowedHosts {
		if host == allowed || strings.HasPrefix(allowed, ".") && strings.HasSuffix(host, allowed) {
			return true
		}
	}
	if a.guard.exposed && len(a.guard.allowedHosts) == 0 {
		return true
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// HostRefused is the message with which a refused Host is answered.
const HostRefused = "Host not allowed: standin answers only its loopback names and the hosts given with --allowed-hosts"

// ControlToken is the token that the control API and the console require,
// or "" when they are open (a loopback bind without --control-token).
func (a *App) ControlToken() string { return a.guard.controlToken }

// advertisedBase is a namespace's base URL for a vendor as clients are
// told it: from the configured URL of the vendor's port (--public-url, or
// the address it listens on), never from the request's Host header.
func (a *App) advertisedBase(vendor, nsID, prefix string, r *http.Request) string {
	if a.urls[vendor] != "" {
		return a.BaseURL(vendor, nsID)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + prefix
}
