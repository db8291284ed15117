"""Front matter: split it from the Markdown body, read its YAML safely, validate it.

A content file is a ``---`` line, YAML, a ``---`` (or ``...``) line, then Markdown. The
YAML is parsed by ``yamlsafe`` with its real file line, and each key is read by the
reader named for it in a table (``fields``), so every problem of a file is reported at
once, at the line of the offending key or value. Front matter keys are named after the
model's fields, which keeps the mapping from file to ``Article``/``Topic`` a table too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from dossierpress.config import SiteConfig
from dossierpress.content import fields
from dossierpress.content.fields import SLUG_PATTERN, FieldContext, Reader
from dossierpress.content.model import Article, Author, Topic
from dossierpress.content.slugs import name_too_long, slugify
from dossierpress.errors import ContentError, did_you_mean
from dossierpress.yamlsafe import Node, YamlProblem, load_yaml, shorten

NO_FRONT_MATTER = "no front matter found: did you forget to add `---` at the top?"
UNCLOSED = "front matter opened with `---` on line 1 is never closed: no closing `---` found"

_COMMON: dict[str, Reader] = {
    "title": fields.text,
    "summary": fields.optional_text,
    "lang": fields.language,
    "image": fields.image,
}
ARTICLE_KEYS: dict[str, Reader] = {
    **_COMMON,
    "date": fields.timestamp,
    "updated": fields.timestamp,
    "topics": fields.refs,
    "tags": fields.tags,
    "related": fields.links,
    "sources": fields.links,
    "authors": fields.refs,
    "draft": fields.flag,
    "slug": fields.slug,
    "aliases": fields.alias_paths,
    "translation_of": fields.ref,
    "corrections": fields.corrections,
    "genre": fields.genre,
    "about": fields.partial_date,
}
TOPIC_KEYS: dict[str, Reader] = {
    **_COMMON,
    "related_topics": fields.refs,
    "aliases": fields.refs,
    "key_facts": fields.refs,
    "pinned": fields.refs,
    "title_translations": fields.title_translations,
    "weight": fields.whole_number,
    "events": fields.events,
}
AUTHOR_KEYS: dict[str, Reader] = {
    "name": fields.text,
    "role": fields.optional_text,
    "bio": fields.optional_text,
    "links": fields.profile_links,
    "lang": fields.language,
    "image": fields.image,
}
"""An author file's keys; ``name`` and ``bio`` play the parts of ``title`` and
``summary`` (``Author``)."""

Values = dict[str, tuple[Any, Node]]
"""What each key was read as, with its value node (for lines)."""


@dataclass(frozen=True)
class FrontMatter:
    """The two parts of a content file, each with the file line it starts on."""

    yaml: str
    yaml_line: int
    body: str
    body_line: int


def split_front_matter(text: str, path: str) -> tuple[FrontMatter | None, list[ContentError]]:
    """Separate the YAML from the body, keeping file lines; problems point at line 1."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].rstrip() != "---":
        return None, [ContentError(path, 1, NO_FRONT_MATTER)]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            return FrontMatter(yaml_text, 2, "\n".join(lines[index + 1 :]), index + 2), []
    return None, [ContentError(path, 1, UNCLOSED)]


def parse_article(
    text: str, path: str, config: SiteConfig
) -> tuple[Article | None, list[ContentError]]:
    """Validate an article file: the article, or None and every problem found."""
    ctx = FieldContext(path, config.zone)
    front, values = _read(text, ctx, ARTICLE_KEYS, ("title", "date"))
    if front is None or values is None or ctx.errors:
        return None, ctx.errors.errors
    _check_updated(values, ctx)
    _check_corrections(values, ctx)
    model = _model_fields(front, values, path)
    if "slug" not in model:
        model["slug"] = _slug_from_file(path, ctx)
    if ctx.errors:
        return None, ctx.errors.errors
    if "authors" in model:
        names = model["authors"]
        model["authors"] = tuple(ref.text for ref in names)
        model["author_lines"] = tuple(ref.line for ref in names)
    model["date"], model["date_has_time"] = model["date"]
    model["date_line"] = values["date"][1].line
    if "updated" in model:
        model["updated"], model["updated_has_time"] = model["updated"]
    if "about" in model:
        model["about_line"] = values["about"][1].line
    return Article(**model), []


def parse_topic(text: str, path: str) -> tuple[Topic | None, list[ContentError]]:
    """Validate a topic file (``content/topics/<slug>.md``): the topic or every problem."""
    ctx = FieldContext(path)
    slug = PurePosixPath(path).stem
    _check_topic_slug(slug, ctx)
    front, values = _read(text, ctx, TOPIC_KEYS, ("title",))
    if front is None or values is None or ctx.errors:
        return None, ctx.errors.errors
    return Topic(slug=slug, **_model_fields(front, values, path)), []


def parse_author(text: str, path: str) -> tuple[Author | None, list[ContentError]]:
    """Validate an author file (``content/authors/<slug>.md``): the author or every
    problem. Its file name is its slug, as a topic's is."""
    ctx = FieldContext(path)
    slug = PurePosixPath(path).stem
    _check_topic_slug(slug, ctx, "author")
    front, values = _read(text, ctx, AUTHOR_KEYS, ("name",))
    if front is None or values is None or ctx.errors:
        return None, ctx.errors.errors
    bio = values.get("bio")
    if bio is not None and bio[0] is None:  # ``bio: ''``: none given
        bio = None
    author = Author(
        path=path,
        slug=slug,
        title=values["name"][0],
        title_line=values["name"][1].line,
        body=front.body,
        body_line=front.body_line,
        lang=values["lang"][0] if "lang" in values else None,
        summary=bio[0] if bio is not None else None,
        summary_line=bio[1].line if bio is not None else None,
        role=values["role"][0] if "role" in values else None,
        links=values["links"][0] if "links" in values else (),
        image=values["image"][0] if "image" in values else None,
    )
    return author, []


def _check_topic_slug(slug: str, ctx: FieldContext, what: str = "topic") -> None:
    """A topic's (or author's) file name is its slug, so it must be one, short enough for
    a folder name."""
    if not SLUG_PATTERN.fullmatch(slug):
        suggestion = slugify(slug)
        hint = f"rename it to '{suggestion}.md'" if suggestion else "use a-z, 0-9 and hyphens"
        ctx.error(1, f"{what} file name '{shorten(slug)}' is not a valid slug", hint)
    elif too_long := name_too_long(slug):
        ctx.error(1, f"{what} file name '{shorten(slug)}' is too long: {too_long}", "rename it")


def _read(
    text: str, ctx: FieldContext, readers: dict[str, Reader], required: Iterable[str]
) -> tuple[FrontMatter | None, Values | None]:
    """Split the file, parse its YAML and read every key with its reader."""
    front, errors = split_front_matter(text, ctx.path)
    ctx.errors.extend(errors)
    if front is None:
        return None, None
    try:
        root = load_yaml(front.yaml, front.yaml_line)
    except YamlProblem as exc:
        ctx.error(exc.line, exc.message, exc.hint)
        return front, None
    if root is None or fields.is_null(root):
        pairs: Iterable[tuple[Node, Node]] = ()
    elif root.kind == "mapping":
        pairs = root.items()
    else:
        ctx.error(root.line, "front matter must be a mapping of keys, e.g. `title: ...`")
        return front, None
    values: Values = {}
    for key, node in pairs:
        reader = readers.get(key.value)
        if reader is None:
            ctx.error(key.line, f"unknown key '{key.value}'", _unknown_key_hint(key.value, readers))
        elif not (fields.is_null(node) and key.value not in required):
            node = fields.at_key(key, node)
            values[key.value] = (reader(ctx, key.value, node), node)
    for name in required:
        if name not in values:
            ctx.error(1, f"missing required key '{name}'")
    return front, values


def _unknown_key_hint(key: str, readers: dict[str, Reader]) -> str | None:
    """A key of the other kind of document is a known mix-up; say so rather than guess."""
    if readers is TOPIC_KEYS and key in ARTICLE_KEYS:
        return f"'{key}' is for articles, not topics"
    if readers is ARTICLE_KEYS and key in TOPIC_KEYS:
        return f"'{key}' is for topics, not articles"
    if readers is AUTHOR_KEYS and key in ("title", "summary"):
        return "an author file takes 'name' and 'bio'"
    return did_you_mean(key, readers)


def _model_fields(front: FrontMatter, values: Values, path: str) -> dict[str, Any]:
    """Keyword arguments for the model: the keys as read, plus where things are."""
    model = {key: value for key, (value, _node) in values.items()}
    summary = model.get("summary")
    model.update(
        path=path,
        body=front.body,
        body_line=front.body_line,
        title_line=values["title"][1].line,
        lang=model.get("lang"),
        summary=summary,
        summary_line=values["summary"][1].line if summary is not None else None,
    )
    return model


def _check_updated(values: Values, ctx: FieldContext) -> None:
    """``updated`` may not precede ``date``; compared by day when either has no time."""
    if "updated" not in values:
        return
    (published, published_has_time), published_node = values["date"]
    (updated, updated_has_time), updated_node = values["updated"]
    if published_has_time and updated_has_time:
        earlier = updated < published
    else:
        earlier = updated.astimezone(ctx.zone).date() < published.astimezone(ctx.zone).date()
    if earlier:
        message = f"'updated' ({updated_node.raw}) is before 'date' ({published_node.raw})"
        ctx.error(updated_node.line, message)


def _check_corrections(values: Values, ctx: FieldContext) -> None:
    """No correction may precede the article; compared by day when either has no time."""
    if "corrections" not in values:
        return
    (published, published_has_time), published_node = values["date"]
    for correction in values["corrections"][0]:
        if correction.date_has_time and published_has_time:
            earlier = correction.date < published
        else:
            day = correction.date.astimezone(ctx.zone).date()
            earlier = day < published.astimezone(ctx.zone).date()
        if earlier:
            when = correction.date if correction.date_has_time else correction.date.date()
            message = f"correction dated {when.isoformat()} is before 'date' ({published_node.raw})"
            ctx.error(correction.date_line, message)


def _slug_from_file(path: str, ctx: FieldContext) -> str | None:
    """The default slug: the file name, made into a slug when it is not one already."""
    stem = PurePosixPath(path).stem
    slug = stem if SLUG_PATTERN.fullmatch(stem) else slugify(stem)
    if not slug:
        ctx.error(1, f"cannot make a URL slug from the file name '{stem}'", "add a 'slug' key")
    elif too_long := name_too_long(slug):
        message = f"the slug made from the file name is too long: {too_long}"
        ctx.error(1, message, "add a shorter 'slug' key")
        return None
    return slug or None
