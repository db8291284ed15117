"""The one build: its stages, what changed, what a build may reuse, rendering."""
