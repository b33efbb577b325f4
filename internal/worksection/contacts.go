package worksection

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"unicode"
)

// defaultFolder is the preset folder that contacts land in without group.
const defaultFolder = "Contacts"

// presetFolders exist in every account.
var presetFolders = []string{defaultFolder, "Clients", "Partners"}

func (s *Service) getContacts(ctx context.Context, c *caller, _ url.Values) (any, error) {
	contacts, err := listContacts(ctx, s.db, c.ns.ID)
	if err != nil {
		return nil, err
	}
	return outs(contacts, (*contact).out), nil
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
func contactProfile(p url.Values) profile {
	return profile{
		phone: nullStr(str(p, "phone")), phone2: nullStr(str(p, "phone2")), phone3: nullStr(str(p, "phone3")),
		phone4: nullStr(str(p, "phone4")), address: nullStr(str(p, "address")), address2: nullStr(str(p, "address2")),
	}
}

// contactFolder is the folder a contact goes to: group, or without one the
// default preset folder.
func contactFolder(group string) (title, kind string) {
	if group == "" {
		return defaultFolder, "preset"
	}
	return group, "folder"
}

// addContact creates a contact (no invitation is sent). The folder is
// get-or-create by name; without one the contact goes to the default
// preset folder.
func (s *Service) addContact(ctx context.Context, c *caller, p url.Values) (any, error) {
	addr, err := email(p, "email")
	if err != nil {
		return nil, err
	}
	name := str(p, "name")
	if name == "" {
		return nil, required("name")
	}
	ct := &contact{email: addr, title: str(p, "title"), profile: contactProfile(p)}
	ct.firstName, ct.lastName = splitName(name)
	group, kind := contactFolder(str(p, "group"))
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		f, err := folderGetOrCreate(ctx, tx, c.ns.ID, group, kind)
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

func (s *Service) getContactGroups(ctx context.Context, c *caller, _ url.Values) (any, error) {
	folders, err := listFolders(ctx, s.db, c.ns.ID)
	if err != nil {
		return nil, err
	}
	return outs(folders, (*folder).out), nil
}

// addContactGroup creates a folder unless one of that name exists (preset
// or not), which it then returns unchanged.
func (s *Service) addContactGroup(ctx context.Context, c *caller, p url.Values) (any, error) {
	title := str(p, "title")
	if title == "" {
		return nil, required("title")
	}
	var f *folder
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		f, err = folderGetOrCreate(ctx, tx, c.ns.ID, title, "folder")
		return err
	})
	if err != nil {
		return nil, err
	}
	return f.out(), nil
}
