package ingest

import (
	"context"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

// Group commit. Concurrent uploads are indexed together: one transaction
// (and on SQLite one turn of the single writer) and one job insert for the
// uploads waiting at that moment, instead of one each. As in LevelDB's write
// queue there is no committer goroutine: the first upload in the queue
// leads, indexes what is queued (itself included), hands the lead to the
// first upload that queued meanwhile, and answers the uploads of its batch.
// The leader waits a little for uploads still being received, which cuts
// the transactions by as much under load; an upload alone never waits.

// maxBatch bounds a batch, so one transaction stays short.
const maxBatch = 128

// gatherWait is the longest a leader waits for uploads still being received
// to join its batch.
const gatherWait = 2 * time.Millisecond

// batchTimeout bounds a batch's transaction: it no longer belongs to the
// leading upload, whose own deadline must not fail the others.
const batchTimeout = time.Minute

// indexReq is one upload waiting to be indexed.
type indexReq struct {
	ctx  context.Context
	rec  *cam2drive.Recording
	done chan bool // true: lead the next batch; false: the result is set

	// Set by the batch before done is signalled.
	dup     bool                  // the same path and bytes were indexed already
	evicted []cam2drive.Recording // recordings removed to make room
	err     error
}

// indexQueue holds the uploads waiting to be indexed.
type indexQueue struct {
	mu      sync.Mutex
	waiting []*indexReq
	leading bool          // a batch is running; its leader will hand the lead on
	arrived chan struct{} // (buffered) an upload joined the queue
}

func newIndexQueue() indexQueue { return indexQueue{arrived: make(chan struct{}, 1)} }

// index indexes r with its processing job, in a batch with the uploads
// indexed at the same time; it returns once r's transaction is committed.
func (s *Service) index(ctx context.Context, r *cam2drive.Recording) (dup bool, evicted []cam2drive.Recording, err error) {
	req := &indexReq{ctx: ctx, rec: r, done: make(chan bool, 1)}
	q := &s.indexQ
	q.mu.Lock()
	q.waiting = append(q.waiting, req)
	lead := !q.leading
	q.leading = true
	q.mu.Unlock()
	if !lead {
		select {
		case q.arrived <- struct{}{}:
		default:
		}
	}
	for {
		if lead {
			s.leadBatch(ctx)
		}
		if lead = <-req.done; !lead {
			return req.dup, req.evicted, req.err
		}
	}
}

// leadBatch indexes what is queued, then passes the lead on.
func (s *Service) leadBatch(ctx context.Context) {
	q := &s.indexQ
	batch := s.gather()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), batchTimeout)
	s.indexBatch(ctx, batch)
	cancel()

	// The next batch starts before this one's uploads are answered.
	q.mu.Lock()
	if len(q.waiting) == 0 {
		q.leading = false
	} else {
		q.waiting[0].done <- true
	}
	q.mu.Unlock()
	for _, req := range batch {
		req.done <- false
	}
}

// gather takes the next batch off the queue once every upload being
// received has joined it, the batch is full, or gatherWait has passed.
func (s *Service) gather() []*indexReq {
	q := &s.indexQ
	timer := time.NewTimer(gatherWait)
	defer timer.Stop()
	expired := false
	for {
		busy := s.receiving()
		q.mu.Lock()
		if n := len(q.waiting); n >= busy || n >= maxBatch || expired {
			n = min(n, maxBatch)
			batch := q.waiting[:n:n]
			q.waiting = q.waiting[n:]
			q.mu.Unlock()
			return batch
		}
		q.mu.Unlock()
		select {
		case <-q.arrived:
		case <-timer.C:
			expired = true
		}
	}
}

// indexBatch indexes a batch in one transaction. An upload refused for
// quota is left out and the others go on (a refusal writes nothing); any
// other failure rolls the batch back and each upload is retried alone, so
// one bad upload never fails its neighbours.
func (s *Service) indexBatch(ctx context.Context, batch []*indexReq) {
	err := s.db.InBatchTx(ctx, func(tx *store.Tx) error { return s.indexIn(ctx, tx, batch) })
	if err == nil || len(batch) == 1 {
		for _, req := range batch {
			if err != nil {
				req.err = err
			}
		}
		return
	}
	s.log.Warn("batch index failed, retrying one by one", "count", len(batch), "err", err)
	for _, req := range batch {
		one := []*indexReq{req}
		if err := s.db.InTx(ctx, func(tx *store.Tx) error { return s.indexIn(ctx, tx, one) }); err != nil {
			req.err = err
		}
	}
}

// indexIn indexes the batch's uploads in tx, then counts them in their
// recorders' health and queues their jobs with one insert.
func (s *Service) indexIn(ctx context.Context, tx *store.Tx, batch []*indexReq) error {
	jobs := make([]river.InsertManyParams, 0, len(batch))
	uploads := map[string]int{} // recorder → uploads indexed
	for _, req := range batch {
		req.dup, req.evicted, req.err = false, nil, nil
		if err := req.ctx.Err(); err != nil {
			req.err = err // given up before its turn: nothing written
			continue
		}
		err := s.indexOne(ctx, tx, req)
		switch {
		case cam2drive.ErrorCode(err) == cam2drive.CodeQuota:
			req.err = err
		case err != nil:
			return err
		case !req.dup:
			uploads[req.rec.RecorderID]++
			jobs = append(jobs, river.InsertManyParams{Args: ProcessArgs{RecordingID: req.rec.ID, OrgID: req.rec.OrgID},
				InsertOpts: &river.InsertOpts{MaxAttempts: 5}})
		}
	}
	now := s.now()
	for recorderID, n := range uploads {
		if err := tx.RecordUploads(ctx, recorderID, n, now); err != nil {
			return err
		}
	}
	return s.queue.InsertManyTx(ctx, tx, jobs)
}

// indexOne reserves space for one upload and inserts it; recordings evicted
// to make room lose their objects after the commit.
func (s *Service) indexOne(ctx context.Context, tx *store.Tx, req *indexReq) error {
	r := req.rec
	if _, err := tx.RecordingBySource(ctx, r.RecorderID, r.SourcePath, r.SHA256); err == nil {
		req.dup = true // indexed already: a re-send, or a concurrent upload of the same file
		return nil
	}
	evicted, err := tx.ReserveSpace(ctx, r.DiskID, r.Size)
	if err != nil {
		return err
	}
	req.evicted = evicted
	return tx.InsertRecording(ctx, r)
}
