"""impact._core."""
