"""Step definitions for the policy features, shared by every feature file."""

from features.steps import *  # noqa: F403
