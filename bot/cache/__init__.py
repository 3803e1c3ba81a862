"""Answers already paid for: a file backend (default) and a Redis backend, behind one protocol."""
