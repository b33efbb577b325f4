package workdrive

import (
	"database/sql"
	"fmt"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/outbox"
)

// notificationMediums are the doc's mediums; EMAIL needs emails, the
// others receiverUserIds.
var notificationMediums = map[string]bool{"EMAIL": true, "SMS": true, "PUSH": true, "INAPP": true}

// sendNotification serves POST /api/notifications/send (the doc writes GET,
// which is routed here too). Nothing leaves standin: each delivery is a
// message in the namespace's outbox — an email per address for EMAIL; for
// SMS, PUSH and INAPP one message per receiver, addressed to the user's
// phone (SMS, falling back to the email) or email, its subject marked with
// the medium.
func (s *Service) sendNotification(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	title, desc := b.Str("title"), b.Str("description")
	medium := strings.ToUpper(strings.TrimSpace(b.Str("medium")))
	emails, _ := b.Strings("emails")
	receivers, _ := b.Strings("receiverUserIds")
	if len(receivers) == 0 {
		receivers, _ = b.Strings("recieverUserIds") // the table's spelling
	}
	if err := b.Err(); err != nil {
		return err
	}
	emails, receivers = dedupe(emails), dedupe(receivers)
	switch {
	case medium == "":
		return httpx.BadRequest("medium is required: one of EMAIL, SMS, PUSH, INAPP")
	case !notificationMediums[medium]:
		return httpx.BadRequest("medium must be one of EMAIL, SMS, PUSH, INAPP")
	case medium == "EMAIL" && len(emails) == 0:
		return httpx.BadRequest("emails are required when medium is EMAIL")
	case medium != "EMAIL" && len(receivers) == 0:
		return httpx.BadRequest("receiverUserIds are required when medium is %s", medium)
	}
	for _, e := range emails {
		if !validEmail(e) {
			return httpx.BadRequest("emails must contain email addresses, not %q", e)
		}
	}
	now := c.nowMS()
	id := ids.UUID()
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		users, err := usersByIDs(r.Context(), tx, c.ns.ID, c.orgID, receivers)
		if err != nil {
			return err
		}
		if len(users) != len(receivers) {
			found := map[string]bool{}
			for _, u := range users {
				found[u.id] = true
			}
			for _, rid := range receivers {
				if !found[rid] {
					return httpx.BadRequest("receiverUserIds %q does not name a user of this organization", rid)
				}
			}
		}
		if _, err := tx.ExecContext(r.Context(), `INSERT INTO workdrive_notifications (ns, id, org_id, sender_id, title,
			description, medium, emails, receiver_user_ids, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			c.ns.ID, id, c.orgID, c.id, title, desc, medium, toJSON(emails), toJSON(receivers), now); err != nil {
			return err
		}
		from := strings.TrimSpace(c.user.firstName + " " + c.user.lastName)
		body := fmt.Sprintf("%s\n\n— sent by %s through WorkDrive", desc, from)
		send := func(to, subject string) error {
			return outbox.Send(r.Context(), tx, c.ns.ID, outbox.Message{Vendor: "workdrive", To: to,
				Subject: subject, Body: body, Time: c.ns.Now()})
		}
		if medium == "EMAIL" {
			for _, e := range emails {
				if err := send(e, title); err != nil {
					return err
				}
			}
			return nil
		}
		for _, u := range users {
			to := u.email
			if medium == "SMS" && u.phone != "" {
				to = u.phone
			}
			if err := send(to, "["+medium+"] "+title); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return created(w, struct {
		CreatedAt       string   `json:"createdAt"`
		Description     string   `json:"description"`
		Emails          []string `json:"emails"`
		ID              string   `json:"id"`
		Medium          string   `json:"medium"`
		ReceiverUserIDs []string `json:"receiverUserIds"`
		Title           string   `json:"title"`
	}{ID: id, Title: title, Description: desc, Medium: medium, Emails: emails, ReceiverUserIDs: receivers, CreatedAt: isoTime(now)})
}
