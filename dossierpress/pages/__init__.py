"""Page kinds, the views templates receive, and the URLs of everything."""
