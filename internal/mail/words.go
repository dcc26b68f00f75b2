package mail

import (
	"fmt"
	"strings"
	"time"
)

// durationWords says how long a link stays valid: "72 heures", "1 hour and
// 30 minutes". Zero or negative means "no expiry to mention".
func durationWords(lang string, d time.Duration) string {
	if d <= 0 {
		return ""
	}
	d = d.Round(time.Minute)
	if d < time.Minute {
		d = time.Minute
	}
	hours, minutes := int(d/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if hours > 0 {
		parts = append(parts, countWord(lang, hours, "heure", "hour"))
	}
	if minutes > 0 {
		parts = append(parts, countWord(lang, minutes, "minute", "minute"))
	}
	and := " and "
	if lang == "fr" {
		and = " et "
	}
	return strings.Join(parts, and)
}

// countWord pluralises the unit the same way in both languages (add "s").
func countWord(lang string, n int, fr, en string) string {
	unit := en
	if lang == "fr" {
		unit = fr
	}
	if n > 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// dateWords writes an instant the way a reader of lang expects, keeping the
// time zone visible since the reader may not be in the server's zone.
func dateWords(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == "fr" {
		day := fmt.Sprint(t.Day())
		if t.Day() == 1 {
			day = "1er" // French writes the first of the month as an ordinal
		}
		return fmt.Sprintf("%s %s %d à %s", day, frenchMonth(t.Month()), t.Year(), t.Format("15:04 (MST)"))
	}
	return t.Format("January 2, 2006 at 3:04 PM (MST)")
}

func frenchMonth(m time.Month) string {
	names := [...]string{"janvier", "février", "mars", "avril", "mai", "juin",
		"juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	return names[m-1]
}
