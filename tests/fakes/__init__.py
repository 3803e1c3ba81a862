"""Test doubles that run on 127.0.0.1 or in memory: never the real services."""
