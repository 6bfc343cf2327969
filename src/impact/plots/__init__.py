"""impact.plots.core."""
