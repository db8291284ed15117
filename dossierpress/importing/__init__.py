"""Turning a news report into a draft article: ``dossier import``.

An editor pastes a report copied from a browser or a scraper, or saves the page, and gets
a draft (``draft: true``) to curate: headline and dek taken once, page noise dropped and
listed in a comment so nothing is lost, the "related stories" box moved to ``related``,
the date and language read from the text. ``plain`` reads pasted text, ``page`` a saved
web page, ``dates`` finds the date a text states, ``language`` guesses its language,
``site`` knows the topics and articles a draft may point at, and ``draft`` writes the
article's front matter and body.
"""
