package worksection

import (
	"context"
	"database/sql"
	"github.com/standin-dev/standin/internal/httpx"
	"strings"
	"unicode"

	"github.com/standin-dev/standin/internal/valid"
)

// defaultFolder is the preset folder that contacts land in without group.
const defaultFolder = "Contacts"

// presetFolders exist in every account.
var presetFolders = []string{defaultFolder, "Clients", "Partners"}

// getContacts serves action=get_contacts.
func (s *Service) getContacts(ctx context.Context, c *caller, _ *httpx.Body) (any, error) {
	contacts, err := listContacts(ctx, s.db, c.ns.ID)
	return rendered(contacts, err, (*contact).out)
}

// splitName splits "first and last name" at the first space: the first
// word is the first name, the rest the last name.
func splitName(name string) (first, last string) {
	name = strings.TrimSpace(name)
	i := strings.IndexFunc(name, unicode.IsSpace)
	if i < 0 {
		return name, ""
	}
	return name[:i], strings.TrimSpace(name[i:])
}

// contactProfile reads the optional phone and address parameters.
func contactProfile(p *httpx.Body) (profile, error) {
	f, err := fields(p, valid.MaxName, "phone", "phone2", "phone3", "phone4", "address", "address2")
	if err != nil {
		return profile{}, err
	}
	return profile{
		phone: nullStr(f[0]), phone2: nullStr(f[1]), phone3: nullStr(f[2]),
		phone4: nullStr(f[3]), address: nullStr(f[4]), address2: nullStr(f[5]),
	}, nil
}

// contactFolder is the folder a contact goes to: group, or without one the
// default preset folder.
func contactFolder(group string) (title, kind string) {
	if group == "" {
		return defaultFolder, "preset"
	}
	return group, "folder"
}

// addContact serves action=add_contact: it creates a contact (no
// invitation is sent). The folder is get-or-create by name; without one the
// contact goes to the default preset folder.
func (s *Service) addContact(ctx context.Context, c *caller, p *httpx.Body) (any, error) {
	addr, err := email(p, "email")
	if err != nil {
		return nil, err
	}
	f, err := fields(p, valid.MaxName, "name", "title", "group")
	if err != nil {
		return nil, err
	}
	if f[0] == "" {
		return nil, required("name")
	}
	prof, err := contactProfile(p)
	if err != nil {
		return nil, err
	}
	ct := &contact{email: addr, title: f[1], profile: prof}
	ct.firstName, ct.lastName = splitName(f[0])
	group, kind := contactFolder(f[2])
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		f, _, err := folders.getOrCreate(ctx, tx, c.ns.ID, group, kind)
		if err != nil {
			return err
		}
		ct.folderID, ct.folder = f.id, f.title
		return insertContact(ctx, tx, c.ns.ID, ct, c.ns.Now())
	})
	if err != nil {
		return nil, err
	}
	return ct.out(), nil
}

// getContactGroups serves action=get_contact_groups.
func (s *Service) getContactGroups(ctx context.Context, c *caller, _ *httpx.Body) (any, error) {
	list, err := folders.list(ctx, s.db, c.ns.ID)
	return rendered(list, err, (*folder).out)
}

// addContactGroup serves action=add_contact_group: it creates a folder
// unless one of that name exists (preset or not), which it then returns
// unchanged.
func (s *Service) addContactGroup(ctx context.Context, c *caller, p *httpx.Body) (any, error) {
	title, err := readTitle(p)
	if err != nil {
		return nil, err
	}
	f, err := inTx(ctx, s.db, func(tx *sql.Tx) (*folder, error) {
		f, _, err := folders.getOrCreate(ctx, tx, c.ns.ID, title, "folder")
		return f, err
	})
	if err != nil {
		return nil, err
	}
	return f.out(), nil
}
