"""impact.estimation."""
