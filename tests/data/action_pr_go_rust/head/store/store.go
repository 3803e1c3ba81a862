// Package store keeps values in memory.
package store

import "errors"

// Store holds values by key.
type Store struct {
	values map[string]string
}

var ErrMissing = errors.New("store: missing key")

const (
	DefaultSize = 16
	MaxSize     = 1024
)

func New() *Store {
	return &Store{values: make(map[string]string, DefaultSize)}
}

//go:noinline
func (s *Store) Get(key string) (string, error) {
	value, ok := s.values[key]
	if !ok {
		return "", ErrMissing
	}
	return value, nil
}

func (s *Store) String() string { return "store" }

type Cache[T any] struct {
	items []T
}

func (c *Cache[T]) Len() int { return len(c.items) }

func helper() {}
