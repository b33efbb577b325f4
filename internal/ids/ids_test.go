package ids

import (
	"testing"

	"github.com/google/uuid"
)

func TestUUIDFromHex(t *testing.T) {
	got := UUIDFromHex("0123456789abcdef0123456789abcdefEXTRA")
	u, err := uuid.Parse(got)
	if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 {
		t.Fatalf("%s: version %d variant %v (%v)", got, u.Version(), u.Variant(), err)
	}
	if got != "01234567-89ab-4def-8123-456789abcdef" {
		t.Errorf("got %s", got)
	}
	if UUIDFromHex("0123456789abcdef0123456789abcdef") != got {
		t.Error("not deterministic")
	}
	a, b := Hex32(), Hex32()
	if len(a) != 32 || a == b {
		t.Errorf("Hex32 gave %q then %q: not 32 random hex digits", a, b)
	}
}
