// Package ring keeps the last N values of a stream.
package ring

import "errors"

// ErrEmpty is returned when a ring holds no values yet.
var ErrEmpty = errors.New("ring: empty")

// Ring is a fixed-size buffer that overwrites its oldest value.
type Ring[T any] struct {
	values []T
	next   int
	full   bool
}

// New returns a ring holding at most size values.
func New[T any](size int) *Ring[T] {
	return &Ring[T]{values: make([]T, size)}
}

func (r *Ring[T]) Push(v T) {
	r.values[r.next] = v
	r.next = (r.next + 1) % len(r.values)
	if r.next == 0 {
		r.full = true
	}
}

// Len reports how many values the ring holds.
func (r *Ring[T]) Len() int {
	if r.full {
		return len(r.values)
	}
	return r.next
}

func (r *Ring[T]) Last() (T, error) {
	var zero T
	if r.Len() == 0 {
		return zero, ErrEmpty
	}
	return r.values[(r.next-1+len(r.values))%len(r.values)], nil
}

func (r Ring[T]) Cap() int { return len(r.values) }

type Pair[K comparable, V any] struct {
	Key   K
	Value V
}

// Less orders pairs by key.
func Less[K interface{ ~int | ~string }, V any](a, b Pair[K, V]) bool {
	return a.Key < b.Key
}

func Merge[T any](rings ...*Ring[T]) []T {
	var out []T
	for _, r := range rings {
		for i := 0; i < r.Len(); i++ {
			out = append(out, r.values[i])
		}
	}
	return out
}
