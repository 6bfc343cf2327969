"""impact.reporting.writer."""
