"""What editors write: walking content/, front matter, the model, Markdown."""
