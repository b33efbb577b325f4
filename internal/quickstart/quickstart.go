// Package quickstart writes one ready-to-paste curl per vendor from a
// namespace's credentials, so that a new user's first call works without
// reading the vendor's docs: the Worksection hash is computed here, because
// its recipe is what nobody guesses.
package quickstart

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Example is one working request for a vendor.
type Example struct {
	Vendor string `json:"vendor"`
	Title  string `json:"title"`
	Curl   string `json:"curl"`
}

// order is the order of the vendors' ports.
var order = map[string]int{"clinked": 1, "klipfolio": 2, "worksection": 3, "workdrive": 4}

// Examples returns one curl per vendor present in creds (vendor name →
// its credentials as in the control plane's namespace response).
func Examples(creds map[string]map[string]any) []Example {
	names := make([]string, 0, len(creds))
	for n := range creds {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if order[names[i]] != order[names[j]] {
			return order[names[i]] < order[names[j]]
		}
		return names[i] < names[j]
	})
	var out []Example
	for _, n := range names {
		c := creds[n]
		get := func(k string) string {
			if v, ok := c[k]; ok && v != nil {
				return fmt.Sprint(v)
			}
			return ""
		}
		base := get("base_url")
		switch n {
		case "clinked":
			out = append(out, Example{n, "who am I (Bearer token)",
				"curl -s -H " + quote("Authorization: Bearer "+get("access_token")) + " " + quote(base+"/v3/userinfo")})
		case "klipfolio":
			out = append(out, Example{n, "list groups (kf-api-key)",
				"curl -s -H " + quote("kf-api-key: "+get("api_key")) + " " + quote(base+"/api/1/groups")})
		case "worksection":
			out = append(out, Example{n, "list members (MD5-signed query)",
				"curl -s " + quote(base+"/api/admin/v2/?"+WorksectionQuery("action=get_users", get("api_key")))})
		case "workdrive":
			out = append(out, Example{n, "list users (X-API-KEY)",
				"curl -s -H " + quote("X-API-KEY: "+get("api_key")) + " " + quote(base+"/api/users")})
		}
	}
	return out
}

// WorksectionQuery signs a Worksection admin query the way the PHP SDK
// does: hash = md5(query + api_key), appended as the last parameter.
func WorksectionQuery(query, apiKey string) string {
	sum := md5.Sum([]byte(query + apiKey))
	return query + "&hash=" + hex.EncodeToString(sum[:])
}

// quote makes s one word for a POSIX shell.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Quote is quote for callers that write shell lines of their own.
func Quote(s string) string { return quote(s) }
