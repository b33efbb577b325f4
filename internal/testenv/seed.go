package testenv

import (
	"fmt"
	"strings"
)

// KlipfolioGroups is a seed document of n Klipfolio groups. Group i takes
// its id and name from the formats id and name applied to i ("g%04d",
// "Group %d"), and the description desc; none is JSON-escaped.
func KlipfolioGroups(n int, id, name, desc string) string {
	item := `{"id":"` + id + `","name":"` + name + `","description":"` + desc + `"}`
	var doc strings.Builder
	doc.WriteString(`{"klipfolio":{"groups":[`)
	for i := range n {
		if i > 0 {
			doc.WriteString(",")
		}
		fmt.Fprintf(&doc, item, i, i)
	}
	doc.WriteString(`]}}`)
	return doc.String()
}
