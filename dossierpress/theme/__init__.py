"""The theme: sandboxed Jinja templates, static files and translations."""
