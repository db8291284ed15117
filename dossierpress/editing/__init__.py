"""The editors' commands' shared parts: what they read of a site (``catalog``).

They read content as the build does and write files with ``content.writer``.
"""
