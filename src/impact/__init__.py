"""impact: seasonal baselines and event effects for helpline call counts."""
