"""``check --links``: the external addresses a site cites, asked whether they still answer,
and the archived copies of those that do not.

``collect`` finds every http(s) URL and where it is used, ``safety`` decides which
addresses may be requested at all, ``check`` asks them (with a cache of answers),
``archive`` finds a dead source's closest archived copy and ``rewrite`` records it in the
front matter that cites it.
"""
