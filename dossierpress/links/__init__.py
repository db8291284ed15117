"""``check --links``: the external addresses a site cites, asked whether they still answer.

``collect`` finds every http(s) URL and where it is used, ``safety`` decides which
addresses may be requested at all, ``check`` asks them (with a cache of answers).
"""
