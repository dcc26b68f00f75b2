package analysis

import (
	"sync"
	"time"
)

// Rates are the sampling rates the analysis steps through, best first, in
// frames per second of video; 0 is key frames only (the decoder skips the
// other frames: on a 1080p clip with a key frame every 2 s, a quarter of
// the CPU of 2 frames/s and a third of 1 frame/s).
var Rates = []float64{2, 1, 0.5, 0}

// Pace defaults.
const (
	DefaultMaxLag = 2 * time.Minute
	paceSettle    = 2   // jobs measured at a rate before the next change
	paceWeight    = 0.3 // of a new measure in the moving averages
)

// Pace picks the sampling rate of each analysis job so that the analysis
// keeps up with uploads. Rule: the lag is the time the workers need to
// clear the jobs waiting in the queue, estimated as
//
//	waiting jobs × seconds of video per job × analysis seconds per second of video / workers
//
// from moving averages of what the last jobs measured (wall time, the cost
// of detection and decoding together) at the current rate. When the lag
// passes MaxLag the rate steps down one (2 → 1 → 0.5 frame/s → key frames
// only); when the queue is empty it steps back up one. After a change the
// next one waits until paceSettle jobs were measured at the new rate. Safe
// for concurrent use; one Pace per worker process.
type Pace struct {
	Workers int           // analysis jobs run at once in this process (1 when 0)
	MaxLag  time.Duration // DefaultMaxLag when 0

	mu       sync.Mutex
	step     int     // index in Rates
	measured int     // jobs measured at Rates[step]
	cost     float64 // analysis seconds per second of video, at Rates[step]
	clip     float64 // seconds of video per job
}

// Rate is the sampling rate for a job starting now, with backlog jobs
// waiting behind it.
func (p *Pace) Rate(backlog int) float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.measured >= paceSettle {
		switch {
		case p.lag(backlog) > p.maxLag() && p.step < len(Rates)-1:
			p.change(p.step + 1)
		case backlog == 0 && p.step > 0:
			p.change(p.step - 1)
		}
	}
	return Rates[p.step]
}

// Observe records what a job sampled at rate cost: its seconds of video,
// and the wall time it took. Jobs of an earlier rate and pictures (no
// video) say nothing of the current rate's cost.
func (p *Pace) Observe(rate float64, video, wall time.Duration) {
	if video <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clip = average(p.clip, video.Seconds(), p.clip == 0)
	if rate != Rates[p.step] {
		return
	}
	p.cost = average(p.cost, wall.Seconds()/video.Seconds(), p.measured == 0)
	p.measured++
}

// Lag is the estimated time to clear backlog waiting jobs, for the logs.
func (p *Pace) Lag(backlog int) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lag(backlog)
}

func (p *Pace) lag(backlog int) time.Duration {
	sec := float64(backlog) * p.clip * p.cost / float64(max(1, p.Workers))
	return time.Duration(sec * float64(time.Second))
}

func (p *Pace) change(step int) {
	p.step, p.measured = step, 0 // the old cost stands until the new rate is measured
}

func (p *Pace) maxLag() time.Duration {
	if p.MaxLag > 0 {
		return p.MaxLag
	}
	return DefaultMaxLag
}

func average(avg, v float64, first bool) float64 {
	if first {
		return v
	}
	return avg + paceWeight*(v-avg)
}
