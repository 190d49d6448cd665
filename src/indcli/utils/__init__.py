"""Small helpers every layer may use: writing files atomically."""
