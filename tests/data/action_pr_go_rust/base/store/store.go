// Package store keeps values in memory.
package store

// Store holds values by key.
type Store struct {
	values map[string]string
}
