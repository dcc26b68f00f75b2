package holo4

import (
	"slices"
	"strings"
	"testing"
)

// TestCatalogue checks the packages and algorithms the client guide lists
// (§2.5), with their ids, and the guide's French wording.
func TestCatalogue(t *testing.T) {
	c := Current()
	if c.Version == "" {
		t.Fatal("catalogue without a version")
	}
	want := map[string][]string{
		"construction_site": {"no_helmet", "no_vest"},
		"fun_at_work":       {"coffee", "friendly_mood", "headphones"},
		"urban":             {"no_helmet_two_wheeler", "yellow_taxi"},
	}
	got := map[string][]string{}
	for _, p := range c.Packages {
		for _, a := range p.Algorithms {
			got[p.ID] = append(got[p.ID], a.ID)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("packages %v, want %v", got, want)
	}
	for id, algs := range want {
		if !slices.Equal(got[id], algs) {
			t.Errorf("package %s has %v, want %v", id, got[id], algs)
		}
	}
	fr := map[string]string{}
	for _, p := range c.Packages {
		fr[p.ID] = p.Name.In("fr")
	}
	if fr["construction_site"] != "Chantier de construction" || fr["fun_at_work"] != "Moments drôles au travail" || fr["urban"] != "Environnement urbain" {
		t.Errorf("French package names %v differ from the guide's", fr)
	}
	if n := c.Packages[0].Algorithms[1].Name.In("fr"); n != "Détection d'absence de gilet haute visibilité" {
		t.Errorf("no_vest in French = %q", n)
	}
	if c.PackageOf("yellow_taxi") != "urban" || c.PackageOf("person") != "" || c.PackageOf("nope") != "" {
		t.Error("PackageOf does not find the algorithms' packages")
	}
	if !c.HasPackage("fun_at_work") || c.HasPackage("no_helmet") {
		t.Error("HasPackage mixes packages and algorithms")
	}
}

// TestCurrentIsACopy: a caller that edits its catalogue doesn't change the
// next caller's.
func TestCurrentIsACopy(t *testing.T) {
	a := Current()
	a.Packages[0].Algorithms[0].ID = "changed"
	a.Packages[1].ID = "changed"
	if b := Current(); b.Packages[0].Algorithms[0].ID != "no_helmet" || b.Packages[1].ID != "fun_at_work" {
		t.Errorf("the shared catalogue changed: %+v", b.Packages[:2])
	}
}

func TestOrder(t *testing.T) {
	got := Current().Order([]string{"zzz", "yellow_taxi", "no_helmet", "yellow_taxi", "aaa", "coffee"})
	want := []string{"no_helmet", "coffee", "yellow_taxi", "aaa", "zzz"}
	if !slices.Equal(got, want) {
		t.Errorf("Order = %v, want %v", got, want)
	}
}

// TestParseRefuses: a catalogue edit that repeats an id, reuses a basic
// detection type or leaves a name untranslated does not load.
func TestParseRefuses(t *testing.T) {
	pkg := func(id, alg, fr string) string {
		return `{"id":"` + id + `","name":{"en":"P","fr":"P"},"algorithms":[{"id":"` + alg + `","name":{"en":"A","fr":"` + fr + `"}}]}`
	}
	cases := map[string]string{
		"repeated algorithm": `{"version":"1","packages":[` + pkg("a", "x", "A") + `,` + pkg("b", "x", "A") + `]}`,
		"repeated package":   `{"version":"1","packages":[` + pkg("a", "x", "A") + `,` + pkg("a", "y", "A") + `]}`,
		"basic type":         `{"version":"1","packages":[` + pkg("a", "person", "A") + `]}`,
		"no French":          `{"version":"1","packages":[` + pkg("a", "x", "") + `]}`,
		"bad id":             `{"version":"1","packages":[` + pkg("a", "No Helmet", "A") + `]}`,
		"no version":         `{"packages":[` + pkg("a", "x", "A") + `]}`,
		"not JSON":           `{`,
	}
	for name, raw := range cases {
		if _, err := parse([]byte(raw)); err == nil || !strings.Contains(err.Error(), "holo4 catalogue") {
			t.Errorf("%s: parse gave %v, want a catalogue error", name, err)
		}
	}
	if _, err := parse([]byte(`{"version":"1","packages":[` + pkg("a", "x", "A") + `]}`)); err != nil {
		t.Errorf("a good catalogue: %v", err)
	}
}
