package detect

import (
	"context"
	"errors"
	"sync"
)

// ErrClosed is returned by a model's methods after Close.
var ErrClosed = errors.New("detector closed")

// pool lends a model's sessions (or sets of them) one caller at a time:
// how many exist bounds how many frames run at once.
type pool[T any] struct {
	ch     chan T
	n      int
	closed chan struct{}
	once   sync.Once
}

func newPool[T any](size int) *pool[T] {
	return &pool[T]{ch: make(chan T, size), closed: make(chan struct{})}
}

// add puts a new item in the pool; only while it is being built.
func (p *pool[T]) add(v T) {
	p.n++
	p.ch <- v
}

// get waits for a free item, the pool's close or ctx's end.
func (p *pool[T]) get(ctx context.Context) (T, error) {
	var zero T
	select {
	case <-p.closed:
		return zero, ErrClosed
	default:
	}
	select {
	case v := <-p.ch:
		return v, nil
	case <-p.closed:
		return zero, ErrClosed
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

func (p *pool[T]) put(v T) { p.ch <- v }

// close waits for every item to come back and frees it.
func (p *pool[T]) close(free func(T)) {
	p.once.Do(func() {
		close(p.closed)
		for range p.n {
			free(<-p.ch)
		}
	})
}
