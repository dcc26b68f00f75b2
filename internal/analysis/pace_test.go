package analysis

import (
	"testing"
	"time"
)

func TestPaceStepsDownWhenBehindAndUpWhenDrained(t *testing.T) {
	p := &Pace{Workers: 1, MaxLag: time.Minute}
	clip := 30 * time.Second
	job := func(backlog int, cost float64) float64 {
		r := p.Rate(backlog)
		p.Observe(r, clip, time.Duration(cost*float64(clip)))
		return r
	}
	// 0.5 s of analysis per second of video: 10 waiting clips are 150 s of
	// work, past the minute. Nothing changes before two jobs are measured.
	if r := job(10, 0.5); r != 2 {
		t.Fatalf("first rate %v, want 2", r)
	}
	if r := job(10, 0.5); r != 2 {
		t.Fatalf("rate %v before two measures, want 2", r)
	}
	var rates []float64
	for range 8 {
		rates = append(rates, job(10, 0.5))
	}
	want := []float64{1, 1, 0.5, 0.5, 0, 0, 0, 0}
	for i := range want {
		if rates[i] != want[i] {
			t.Fatalf("rates %v, want %v: one step per two measured jobs, down to key frames", rates, want)
		}
	}
	// A backlog that fits in the minute changes nothing.
	for range 4 {
		if r := job(2, 0.5); r != 0 {
			t.Fatalf("rate %v with 30 s of lag", r)
		}
	}
	// The queue drains: back up one step per two jobs.
	rates = rates[:0]
	for range 8 {
		rates = append(rates, job(0, 0.5))
	}
	want = []float64{0.5, 0.5, 1, 1, 2, 2, 2, 2}
	for i := range want {
		if rates[i] != want[i] {
			t.Fatalf("rates %v, want %v", rates, want)
		}
	}
}

func TestPaceIgnoresJobsOfAnotherRateAndPictures(t *testing.T) {
	p := &Pace{Workers: 1, MaxLag: time.Minute}
	p.Observe(2, 30*time.Second, 15*time.Second)
	p.Observe(2, 30*time.Second, 15*time.Second)
	if r := p.Rate(100); r != 1 {
		t.Fatalf("rate %v, want 1", r)
	}
	// Jobs started at 2 frames/s finish after the change: they do not count
	// as measures of 1 frame/s.
	p.Observe(2, 30*time.Second, 15*time.Second)
	p.Observe(2, 30*time.Second, 15*time.Second)
	p.Observe(1, 0, time.Second) // a snapshot
	if r := p.Rate(100); r != 1 {
		t.Fatalf("rate %v: changed on measures of another rate", r)
	}
	if lag := p.Lag(4); lag != 60*time.Second {
		t.Fatalf("lag %v, want 4 × 30 s × 0.5", lag)
	}
}

// simulate runs one worker through an hour of 16 cameras each uploading a
// 30 s clip a minute, with cost(rate) analysis seconds per second of video;
// it returns the mean rate and the longest wait a clip had before its
// analysis started.
func simulate(cost func(rate float64) float64) (meanRate float64, worst time.Duration) {
	p := &Pace{Workers: 1, MaxLag: 2 * time.Minute}
	const clip, every = 30.0, 60.0 / 16 // seconds
	var queue []float64                 // arrival times
	now, next, jobs := 0.0, 0.0, 0
	for now < 3600 {
		for next <= now {
			queue, next = append(queue, next), next+every
		}
		if len(queue) == 0 {
			now = next
			continue
		}
		worst = max(worst, time.Duration((now-queue[0])*float64(time.Second)))
		queue = queue[1:]
		r := p.Rate(len(queue))
		took := clip * cost(r)
		p.Observe(r, clip*time.Second, time.Duration(took*float64(time.Second)))
		now += took
		meanRate += r
		jobs++
	}
	return meanRate / float64(jobs), worst
}

func TestPaceKeepsUpWithUploads(t *testing.T) {
	// 2 frames/s costs 6 s per clip: a clip arrives every 3.75 s, so one
	// worker falls behind; 1 frame/s (3.3 s) keeps up.
	cost := func(r float64) float64 { return map[float64]float64{2: 0.2, 1: 0.11, 0.5: 0.07, 0: 0.03}[r] }
	mean, worst := simulate(cost)
	if worst > 4*time.Minute {
		t.Errorf("a clip waited %v: the analysis did not keep up", worst)
	}
	// The best a mix of 2 and 1 frame/s can do: 2 for a share f of clips
	// with 6f + 3.3(1−f) = 3.75, f ≈ 0.17, a mean of 1.17.
	if mean < 1.1 {
		t.Errorf("mean rate %.2f: the spare time was not used for more frames", mean)
	}
	// Everything fits at 2 frames/s: it never lowers the rate.
	if mean, _ := simulate(func(r float64) float64 { return cost(r) / 4 }); mean != 2 {
		t.Errorf("mean rate %.2f with room to spare, want 2", mean)
	}
	// Only key frames keep up.
	mean, worst = simulate(func(r float64) float64 { return cost(r) * 3 })
	if worst > 5*time.Minute || mean > 0.5 {
		t.Errorf("overloaded: mean rate %.2f, a clip waited %v", mean, worst)
	}
}
