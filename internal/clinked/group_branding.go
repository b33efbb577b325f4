package clinked

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
)

// groupBrandingJSON is a group's Branding (also embedded as group.branding).
// textColor follows headerColor: black on light headers, white on dark.
type groupBrandingJSON struct {
	HeaderColor            string  `json:"headerColor"`
	TextColor              string  `json:"textColor"`
	Logo                   bool    `json:"logo"`
	Background             bool    `json:"background"`
	Alignment              string  `json:"alignment"`
	BackgroundPositionX    float64 `json:"backgroundPositionX"`
	BackgroundPositionY    float64 `json:"backgroundPositionY"`
	HideBackgroundGradient bool    `json:"hideBackgroundGradient"`
	HideLogoBackground     bool    `json:"hideLogoBackground"`
	HideGroupName          bool    `json:"hideGroupName"`
}

// brandingAlignments are the logo alignments.
var brandingAlignments = []string{"left", "center", "right"}

// textColourFor picks black or white text for a header colour by its
// luminance.
func textColourFor(hex string) string {
	h := strings.TrimPrefix(hex, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	n, err := strconv.ParseUint(h, 16, 32)
	if err != nil || len(h) != 6 {
		return "#000000"
	}
	r, g, b := float64(n>>16&0xff), float64(n>>8&0xff), float64(n&0xff)
	if 0.299*r+0.587*g+0.114*b >= 140 {
		return "#000000"
	}
	return "#ffffff"
}

// applyGroupBranding applies a branding body onto br: omitted keys keep
// their values. logoFile/backgroundFile (temp file ids) set a custom
// image; null leaves it as it is.
func applyGroupBranding(b *httpx.Body, br *groupBrandingJSON) {
	colourInto(b, "headerColor", &br.HeaderColor)
	boolInto(b, "logo", &br.Logo)
	boolInto(b, "background", &br.Background)
	if v, ok := b.String("alignment"); ok {
		if a, known := enumValue(v, brandingAlignments); known {
			br.Alignment = a
		} else {
			b.Fail("alignment", "left, center or right")
		}
	}
	for key, dst := range map[string]*float64{"backgroundPositionX": &br.BackgroundPositionX,
		"backgroundPositionY": &br.BackgroundPositionY} {
		if v, ok := b.Float(key); ok {
			if v < 0 || v > 100 {
				b.Fail(key, "a percentage from 0 to 100")
			} else {
				*dst = v
			}
		}
	}
	boolInto(b, "hideBackgroundGradient", &br.HideBackgroundGradient)
	boolInto(b, "hideLogoBackground", &br.HideLogoBackground)
	boolInto(b, "hideGroupName", &br.HideGroupName)
	for key, dst := range map[string]*bool{"logoFile": &br.Logo, "backgroundFile": &br.Background} {
		if raw := b.Raw(key); raw != nil {
			if validTempFileRef(unquote(raw)) {
				*dst = true
			} else {
				b.Fail(key, "a temp file id")
			}
		}
	}
	br.TextColor = textColourFor(br.HeaderColor)
}

// upsertGroupBranding serves POST /v3/groups/{group}/branding (group
// administrators): the result is also the group's branding.
func (s *Service) upsertGroupBranding(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, b, err := s.contentBody(w, r, c, permAdmin)
	if err != nil {
		return err
	}
	var br groupBrandingJSON
	if err := json.Unmarshal([]byte(rawJSON(ga.group.branding, defaultBranding)), &br); err != nil {
		_ = json.Unmarshal([]byte(defaultBranding), &br) // a fixture's odd branding starts over
	}
	applyGroupBranding(b, &br)
	if err := b.Err(); err != nil {
		return err
	}
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(r.Context(), `UPDATE clinked_groups SET branding = $3, last_modified = $4
			WHERE ns = $1 AND id = $2`, c.ns.ID, ga.group.id, jsonText(br), ms(c.ns.Now()))
		return err
	})
	return reply(w, br, err)
}

// listGroupComponents serves GET /v3/accounts/{organisation}/groups/{group}/components:
// the catalogue entries of the group's enabled components, in their
// order. {group} is the group id or its name (slug).
func (s *Service) listGroupComponents(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, false)
	if err != nil {
		return err
	}
	ctx, ref := r.Context(), r.PathValue("group")
	id, perr := strconv.ParseInt(ref, 10, 64)
	if perr != nil {
		err := s.db.QueryRowContext(ctx, `SELECT id FROM clinked_groups WHERE ns = $1 AND account_id = $2 AND name = $3`,
			c.ns.ID, a.id, ref).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return errGroupNotFound
		}
		if err != nil {
			return err
		}
	}
	ga, err := s.group(ctx, c, id, 0)
	if errors.Is(err, errGroupNotFound) {
		return s.hiddenGroupErr(ctx, c, strconv.FormatInt(id, 10))
	}
	if err != nil {
		return err
	}
	if ga.group.accountID != a.id {
		return errGroupNotFound
	}
	var enabled []struct {
		Name  string `json:"name"`
		Order int64  `json:"order"`
	}
	_ = json.Unmarshal([]byte(rawJSON(ga.group.components, "[]")), &enabled)
	sort.SliceStable(enabled, func(i, j int) bool { return enabled[i].Order < enabled[j].Order })
	out := []catalogueComponentJSON{}
	for _, e := range enabled {
		for _, cc := range componentCatalogue {
			if cc.Name == e.Name {
				out = append(out, cc)
			}
		}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
