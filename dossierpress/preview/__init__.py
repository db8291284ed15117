"""The live preview: watcher, server, what it serves and the reload client."""
