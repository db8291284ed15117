"""The content graph: references resolved, memberships, rankings, and how pages read it."""
