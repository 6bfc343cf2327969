"""impact.simulation."""
