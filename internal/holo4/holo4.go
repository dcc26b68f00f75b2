// Package holo4 is the catalogue of the HOLO4 beta (client guide §2.5,
// §3.1.4): packages of AI algorithms that a camera joins and chooses from.
// The catalogue is data (catalogue.json), versioned, so that a package is
// added without code; the rule that computes each algorithm from model
// outputs (rules.go, RuleOf) is keyed by the algorithm ids below.
package holo4

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
)

// Text is a name in English and French.
type Text struct {
	EN string `json:"en"`
	FR string `json:"fr"`
}

// In returns the text in lang ("fr", else English).
func (t Text) In(lang string) string {
	if lang == "fr" {
		return t.FR
	}
	return t.EN
}

// Algorithm is one detection of a package; its id is also the detection
// type that recordings are filtered on.
type Algorithm struct {
	ID   string `json:"id"`
	Name Text   `json:"name"`
}

// Package groups algorithms that are sold and shown together.
type Package struct {
	ID         string      `json:"id"`
	Name       Text        `json:"name"`
	Algorithms []Algorithm `json:"algorithms"`
}

// Catalogue is every package of one version of the beta.
type Catalogue struct {
	Version  string    `json:"version"`
	Packages []Package `json:"packages"`
}

//go:embed catalogue.json
var catalogueJSON []byte

// parsed is read once: the catalogue is constant data embedded in the binary.
var parsed = sync.OnceValues(func() (Catalogue, error) { return parse(catalogueJSON) })

// Current returns the catalogue shipped with this build. Callers get their
// own copy and may not change the shared one.
func Current() Catalogue {
	c, err := parsed()
	if err != nil {
		panic(err) // catalogue.json is checked by the tests; a broken one can't be built on
	}
	out := Catalogue{Version: c.Version, Packages: make([]Package, len(c.Packages))}
	for i, p := range c.Packages {
		p.Algorithms = slices.Clone(p.Algorithms)
		out.Packages[i] = p
	}
	return out
}

// parse reads a catalogue and checks that ids are unique and well formed:
// an algorithm id must never collide with a basic detection type.
func parse(raw []byte) (Catalogue, error) {
	var c Catalogue
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("holo4 catalogue: %w", err)
	}
	if c.Version == "" || len(c.Packages) == 0 {
		return c, fmt.Errorf("holo4 catalogue: no version or no package")
	}
	seen := map[string]bool{"motion": true, "person": true, "vehicle": true, "animal": true}
	for _, p := range c.Packages {
		if !validID(p.ID) || seen["package:"+p.ID] || p.Name.EN == "" || p.Name.FR == "" || len(p.Algorithms) == 0 {
			return c, fmt.Errorf("holo4 catalogue: bad or repeated package %q", p.ID)
		}
		seen["package:"+p.ID] = true
		for _, a := range p.Algorithms {
			if !validID(a.ID) || seen[a.ID] || a.Name.EN == "" || a.Name.FR == "" {
				return c, fmt.Errorf("holo4 catalogue: bad or repeated algorithm %q in %q", a.ID, p.ID)
			}
			seen[a.ID] = true
		}
	}
	return c, nil
}

// validID: lower-case letters, digits and underscores, as detection types are.
func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// PackageOf returns the id of the package an algorithm belongs to, "" when
// the catalogue has no such algorithm.
func (c Catalogue) PackageOf(algorithm string) string {
	for _, p := range c.Packages {
		for _, a := range p.Algorithms {
			if a.ID == algorithm {
				return p.ID
			}
		}
	}
	return ""
}

// HasPackage tells whether id is a package of the catalogue.
func (c Catalogue) HasPackage(id string) bool {
	return slices.ContainsFunc(c.Packages, func(p Package) bool { return p.ID == id })
}

// PackageIDs lists the packages' ids in catalogue order.
func (c Catalogue) PackageIDs() []string {
	out := make([]string, len(c.Packages))
	for i, p := range c.Packages {
		out[i] = p.ID
	}
	return out
}

// Order sorts algorithm ids in catalogue order and drops repeats; ids the
// catalogue doesn't know go last, sorted.
func (c Catalogue) Order(ids []string) []string {
	rank := map[string]int{}
	n := 0
	for _, p := range c.Packages {
		for _, a := range p.Algorithms {
			rank[a.ID] = n
			n++
		}
	}
	out := slices.Clone(ids)
	slices.SortFunc(out, func(a, b string) int {
		ra, oka := rank[a]
		rb, okb := rank[b]
		switch {
		case oka && okb:
			return ra - rb
		case oka:
			return -1
		case okb:
			return 1
		}
		if a < b {
			return -1
		} else if a > b {
			return 1
		}
		return 0
	})
	return slices.Compact(out)
}
