"""impact.io."""
