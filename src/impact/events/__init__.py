"""impact.events.registry."""
