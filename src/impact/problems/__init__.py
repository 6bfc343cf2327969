"""impact.problems.shares."""
