"""A tiny shop: carts, prices and stock."""
