"""Our markdown-it plugins, one per file, each applied with ``md.use(module.plugin)``.

- ``link_policy``: only http(s), mailto and relative links become links or images.
- ``site_paths``: root-relative links and images (``/img/map.png``) are moved under the
  site's path prefix when rendering, so the same tokens serve the site and the preview.
- ``footnote_ids``: footnote ids that can never collide with heading anchors.
- ``heading_levels``: a body with a level-1 heading has all its headings moved down one
  level, so the page keeps one ``<h1>`` (its headline).
- ``wikilinks``: ``[[target]]`` and ``[[target|label]]``, resolved when rendering.

Render-time data (the wiki-link resolver and the path prefix) reaches the render rules
through markdown-it's ``env`` as one typed ``context.RenderContext``.
"""
