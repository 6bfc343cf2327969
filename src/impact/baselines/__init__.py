"""impact.baselines.glm."""
