"""impact.study.run."""
