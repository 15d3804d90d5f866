"""Builds, evaluates and exports the code-suggestion model; imports the service's text pipeline."""
