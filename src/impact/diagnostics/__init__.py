"""impact.diagnostics.bundle."""
