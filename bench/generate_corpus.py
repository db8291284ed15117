"""Write a synthetic but realistic Dossier source folder of N articles, for benchmarks.

The corpus looks like a newsroom's archive at scale rather than N copies of one file:
topics of very different sizes (a few dossiers gather most of the coverage, as on a real
site), a long tail of tags with editors' case variants, references to earlier articles
by slug and title, topic aliases, Indonesian articles, and bodies of 400–900 words with
headings, lists, tables, footnotes and wiki links. Every feature of the content format is
used, so a build of it does the work a real archive would cause.

The text is invented filler from fixed word lists, and everything derives from one
``random.Random(seed)``: the same arguments always give the same bytes, so two runs of a
benchmark measure the same input.

    python bench/generate_corpus.py OUT_DIR --articles N [--topics T] [--seed S] [--force]
"""

from __future__ import annotations

import argparse
import itertools
import re
import shutil
import sys
import time
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from random import Random

from dossierpress.content.writer import Entry, document


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    """A word list written compactly as one string."""
    return tuple(text.split(sep))


START = datetime(2019, 1, 1)
SPAN_SECONDS = 6 * 365 * 86400
"""Articles are spread over six years, so archives and timelines span several years."""

_EN = _words(
    "the a of to in and on for with by at from as that this after before over under "
    "against between during about into officials ministry minister government talks deal "
    "agreement border trade exports imports sanctions summit visit delegation leaders "
    "president envoy parliament vote budget report analysts observers sources statement "
    "plan proposal policy security defence military navy port railway pipeline grain "
    "energy oil gas prices market currency bank loan debt aid relief flood harvest "
    "election campaign party coalition opposition court ruling law reform protest crowd "
    "capital region province city village coast river island bridge corridor route "
    "shipment cargo convoy inspectors monitors mission council committee panel week "
    "month year morning evening spokesperson said told confirmed denied announced "
    "signed rejected approved delayed expected reported warned agreed urged pledged "
    "new first second last latest major minor joint bilateral regional national "
    "foreign domestic official unofficial quiet public private early late long short "
    "several many few more less most key main wider broader closer renewed fresh "
    "because while although since until when where which who whose amid despite "
    "ceasefire negotiations framework memorandum treaty tariff quota licence permit "
    "satellite images footage document letter cable archive interview briefing"
)
_ID = _words(
    "yang dan di ke dari pada untuk dengan dalam oleh itu ini adalah akan telah sudah "
    "pemerintah menteri presiden kunjungan perjanjian perbatasan perdagangan ekspor impor "
    "sanksi pertemuan delegasi pemimpin parlemen anggaran laporan pengamat sumber "
    "pernyataan rencana kebijakan keamanan pertahanan pelabuhan jalur pipa gandum energi "
    "harga pasar bank bantuan banjir panen pemilu partai pengadilan hukum protes ibu kota "
    "wilayah kota desa pantai sungai pulau jembatan kiriman kapal misi dewan pekan bulan "
    "tahun pagi malam juru bicara mengatakan menyatakan membantah mengumumkan menandatangani "
    "menolak menyetujui menunda bersama baru pertama terakhir resmi awal beberapa banyak"
)
_PLACES = sorted(
    {
        (onset + rime + end).capitalize()
        for onset in _words("b d g k l m n r s t v z br dr kr st tr vel mor kar os tal ner")
        for rime in _words("a e i o u ar en ia or an el is ova ara eni ast ium ora und")
        for end in ("", "n", "sk")
    }
)
"""About 1,200 invented place names ("Velorask", "Brenn")."""
_SUBJECTS = _words(
    "relations|trade talks|border dispute|energy crisis|sanctions|elections|grain corridor|"
    "port expansion|railway project|fisheries|water rights|debt talks|security pact|"
    "refugee crisis|press freedom|space programme|arms trade|flood recovery|currency reform",
    "|",
)
_VERBS = _words(
    "signs rejects delays approves debates suspends extends revives questions defends "
    "expands reviews backs blocks renews announces weighs drops probes unveils"
)
_OBJECTS = _words(
    "grain deal|border plan|port lease|pipeline route|trade quota|aid package|rail link|"
    "fishing permits|tariff cuts|security pact|election law|budget bill|energy subsidy|"
    "loan terms|transit fees|visa rules|media law|customs union|water treaty|bank merger",
    "|",
)
_QUALIFIERS = _words(
    "after talks|amid protests|before summit|despite warnings|under pressure|at last|"
    "for now|in close vote|after delay|on second try|as prices rise|after floods",
    "|",
)
_OUTLETS = _words(
    "Northern Wire|Daily Meridian|Coastal Herald|Capital Ledger|Harbour Times|The Courier|"
    "Regional Monitor|Evening Post|Kabar Nusantara|Warta Harian",
    "|",
)
_TAG_NOUNS = _words(
    "sanctions summit delegation parliament budget pipeline grain energy currency election "
    "coalition opposition court protest corridor shipment convoy inspectors ceasefire treaty "
    "tariff satellite imagery fisheries refugees drought railway harbour navy customs"
)
_DESKS = ("Dossier desk", "Redaksi Dossier", "Foreign desk", "Economics desk")
_HEADINGS = _words("Background|What happens next|Reactions|The numbers|Context|Outlook", "|")
_LINKERS = (
    "For background, see [[{t}]].",
    "Our earlier coverage is in [[{t}|this report]].",
    "The dispute is covered in [[{t}]].",
    "As [[{t}|we reported]], the question remains open.",
)


def _zipf_pool(items: tuple[str, ...], exponent: float, top: int = 200) -> tuple[str, ...]:
    """Items repeated in Zipf proportions: a plain random choice from it is skewed, and fast."""
    return tuple(w for r, w in enumerate(items) for _ in range(round(top / (r + 1) ** exponent)))


_POOLS = {"en": _zipf_pool(_EN, 0.8), "id": _zipf_pool(_ID, 0.8)}


def _zipf(count: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights for ``Random.choices``: item r weighs 1/(r+1)^exponent."""
    return list(itertools.accumulate(1.0 / (r + 1) ** exponent for r in range(count)))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _take(used: set[str], *names: str) -> bool:
    """Claim names for one document unless any is taken, as Dossier compares names."""
    keys = {" ".join(n.casefold().replace("–", "-").split()) for n in names}
    if len(keys) < len(names) or keys & used:
        return False
    used |= keys
    return True


def _date_text(when: datetime, style: int) -> str:
    """Publication dates as editors write them: a day, a naive time, an offset, UTC."""
    if style == 0:
        return f"{when:%Y-%m-%d}"
    if style == 1:
        return f"{when:%Y-%m-%dT%H:%M}"
    if style == 2:
        return f"{when:%Y-%m-%dT%H:%M:%S}+07:00"
    return f"{when - timedelta(hours=7):%Y-%m-%dT%H:%M:%S}Z"


@dataclass(frozen=True)
class _Topic:
    slug: str
    title: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class _Article:
    index: int
    """Position in date order: refs only point at lower indexes, i.e. back in time."""
    slug: str
    title: str
    when: datetime
    """Local time in the site's timezone (Asia/Jakarta)."""
    lang: str
    topics: tuple[int, ...]


class _Corpus:
    """The corpus plan (topics, articles, tags) and the text of every file, from one seed."""

    def __init__(self, articles: int, topics: int, seed: int) -> None:
        self.rng = Random(seed)
        used: set[str] = set()
        self.topics = [self._plan_topic(used) for _ in range(topics)]
        self.articles = self._plan_articles(used, articles)
        self.members: dict[int, list[int]] = {t: [] for t in range(topics)}
        for article in self.articles:
            for t in article.topics:
                self.members[t].append(article.index)
        self.tags = self._tag_vocabulary(max(10, articles // 10))
        self.tag_weights = _zipf(len(self.tags), 0.8)

    def _plan_topic(self, used: set[str]) -> _Topic:
        rng = self.rng
        while True:
            first, second = rng.sample(_PLACES, 2)
            subject = rng.choice(_SUBJECTS)
            title = f"{first}–{second} {subject}" if rng.random() < 0.5 else f"{first} {subject}"
            aliases = (f"Isu {title}",) if rng.random() < 0.6 else ()
            aliases += (f"{title} dossier",) if rng.random() < 0.3 else ()
            if _take(used, title, _slug(title), *aliases):
                return _Topic(_slug(title), title, aliases)

    def _plan_articles(self, used: set[str], count: int) -> list[_Article]:
        rng, weights = self.rng, _zipf(len(self.topics), 1.0)
        seconds = sorted(rng.randrange(SPAN_SECONDS) for _ in range(count))
        planned = []
        for index, offset in enumerate(seconds):
            lang = "id" if index % 10 == 7 else "en"
            for attempt in itertools.count():
                title = self._headline(lang) + (f" ({attempt})" if attempt > 3 else "")
                if _take(used, title, _slug(title)):
                    break
            picks = rng.choices(range(len(self.topics)), cum_weights=weights, k=rng.randint(1, 3))
            when = START + timedelta(seconds=offset)
            topics = tuple(dict.fromkeys(picks))
            planned.append(_Article(index, _slug(title), title, when, lang, topics))
        return planned

    def _headline(self, lang: str) -> str:
        rng = self.rng
        place, thing = rng.choice(_PLACES), rng.choice(_OBJECTS)
        if lang == "id":
            return f"{place} {rng.choice(_ID)} {rng.choice(_ID)} {thing}"
        qualifier = f" {rng.choice(_QUALIFIERS)}" if rng.random() < 0.6 else ""
        return f"{place} {rng.choice(_VERBS)} {thing}{qualifier}"

    def _tag_vocabulary(self, count: int) -> list[str]:
        """Tag names with distinct keys; spelling variants are made when tags are used."""
        rng, tags = self.rng, {}
        pool = (*_TAG_NOUNS, *_OBJECTS, *_SUBJECTS)
        while len(tags) < count:
            roll = rng.random()
            if roll < 0.3:
                name = rng.choice(_PLACES)
            elif roll < 0.8:
                name = f"{rng.choice(_PLACES)} {rng.choice(pool)}"
            else:
                name = rng.choice(pool).capitalize()
            tags.setdefault(_slug(name), name)
        return list(tags.values())

    # Text

    def sentence(self, lang: str, count: int) -> str:
        rng = self.rng
        words = rng.choices(_POOLS[lang], k=count)
        if count > 6:
            words[rng.randrange(1, count - 2)] = rng.choice(_PLACES)
        if count > 10:
            words[count // 2] += ","
        roll = rng.random()
        if roll < 0.1:
            spot = rng.randrange(count - 1)
            words[spot] = ("**{}**", "*{}*")[roll < 0.05].format(words[spot].rstrip(","))
        elif roll < 0.12:
            words[-1] = f"[{words[-1]}](https://example.org/report/{rng.randrange(10**6)})"
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, lang: str, count: int) -> tuple[str, int]:
        """A paragraph of about ``count`` words, and how many words it actually has."""
        sentences, total = [], 0
        while total < count:
            n = self.rng.randint(8, 22)
            sentences.append(self.sentence(lang, n))
            total += n
        return " ".join(sentences), total

    def topic_name(self, t: int) -> str:
        """A topic as editors name it: mostly its slug, else its title (any dash) or an alias."""
        topic, roll = self.topics[t], self.rng.random()
        if roll < 0.6:
            return topic.slug
        if roll < 0.9 or not topic.aliases:
            return topic.title if roll < 0.8 else topic.title.replace("–", "-")
        return self.rng.choice(topic.aliases)

    def earlier(self, a: _Article) -> list[_Article]:
        """Up to three earlier articles, mostly from the same topics."""
        found: dict[int, None] = {}
        for _ in range(self.rng.randint(0, 3)):
            pool = self.members[self.rng.choice(a.topics)]
            pool = pool[: bisect_left(pool, a.index)] if self.rng.random() < 0.8 else []
            pool = pool or range(a.index)
            if pool:
                found[self.rng.choice(pool)] = None
        return [self.articles[i] for i in found]

    def tag_list(self) -> list[str]:
        k = self.rng.randint(2, 6)
        picked = dict.fromkeys(self.rng.choices(self.tags, cum_weights=self.tag_weights, k=k))
        variants = [str.lower] * 2 + [str.title] + [str] * 17
        return [self.rng.choice(variants)(tag) for tag in picked]

    def front_matter(self, a: _Article) -> list[Entry]:
        rng = self.rng
        entries = [Entry("title", a.title), Entry("date", _date_text(a.when, a.index % 4))]
        if a.index % 5 == 3:
            later = a.when + timedelta(hours=rng.randint(1, 240))
            entries.append(Entry("updated", _date_text(later, 2 if a.index % 4 else 0)))
        if rng.random() < 0.7:
            entries.append(Entry("summary", self.sentence(a.lang, rng.randint(12, 24))))
        entries.append(Entry("topics", [self.topic_name(t) for t in a.topics]))
        entries.append(Entry("tags", self.tag_list()))
        related = self.related(a)
        entries += [Entry("related", related)] if related else []
        entries.append(Entry("sources", [self.source(a) for _ in range(rng.randint(1, 2))]))
        entries += [Entry("lang", "id")] if a.lang == "id" else []
        entries.append(Entry("authors", rng.sample(_DESKS, rng.randint(1, 2))))
        if a.index % 40 == 11:
            entries.append(Entry("aliases", [f"/{a.when:%Y/%m}/{a.slug}-old/"]))
        return entries

    def related(self, a: _Article) -> list[dict[str, str] | str]:
        """Up to three: earlier articles by ref, a bare URL, a dated link with an archive."""
        links: list[dict[str, str] | str] = [
            {"ref": e.slug, "title": e.title} for e in self.earlier(a)
        ]
        if self.rng.random() < 0.3:
            links.append(f"https://example.org/analysis/{a.slug}")
        if self.rng.random() < 0.2:
            outlet = self.rng.choice(_OUTLETS)
            links.append(
                {
                    "title": "Analysis: " + a.title,
                    "source": outlet,
                    "url": f"https://example.org/{_slug(outlet)}/{a.index}",
                    "date": f"{a.when:%Y-%m}",
                    "archive": f"https://archive.example/{a.index}",
                }
            )
        return links[:3]

    def source(self, a: _Article) -> dict[str, str]:
        outlet = self.rng.choice(_OUTLETS)
        day = a.when - timedelta(days=self.rng.randint(0, 3))
        if self.rng.random() < 0.5:
            return {"source": outlet, "date": f"{day:%Y-%m-%d}"}
        url = f"https://example.org/{_slug(outlet)}/{day:%Y/%m}/{a.slug}"
        return {"title": a.title, "source": outlet, "url": url}

    def wikilink_targets(self, a: _Article) -> list[str]:
        """0–3 targets: the article's topics, or earlier articles by title or slug."""
        targets = []
        for _ in range(self.rng.randint(0, 3)):
            if a.index == 0 or self.rng.random() < 0.5:
                targets.append(self.topic_name(self.rng.choice(a.topics)))
            else:
                other = self.articles[self.rng.randrange(a.index)]
                targets.append(self.rng.choice((other.title, other.slug)))
        return targets

    def body(self, a: _Article) -> list[str]:
        rng = self.rng
        blocks, total, target = [], 0, rng.randint(400, 800)
        headings = rng.sample(_HEADINGS, rng.randint(1, 2))
        while total < target:
            text, n = self.paragraph(a.lang, min(rng.randint(50, 110), max(30, target - total)))
            blocks.append(text)
            total += n
            if headings and len(blocks) % 3 == 2:
                blocks.append("## " + headings.pop())
        for t in self.wikilink_targets(a):
            spot = rng.randrange(len(blocks))
            if not blocks[spot].startswith("#"):
                blocks[spot] += " " + rng.choice(_LINKERS).format(t=t)
        if a.index % 3 == 0:
            items = [self.sentence(a.lang, rng.randint(4, 10)) for _ in range(rng.randint(3, 5))]
            blocks.insert(len(blocks) // 2, "\n".join("- " + item for item in items))
        if a.index % 7 == 2:
            blocks.insert(len(blocks) - 1, self.table())
        if a.index % 5 == 1:
            blocks[0] += "[^1]"
            blocks.append("[^1]: " + self.sentence(a.lang, rng.randint(6, 14)))
        return blocks

    def table(self) -> str:
        rows = ["| Year | Volume | Change |", "| --- | ---: | ---: |"]
        for year in range(2019, 2019 + self.rng.randint(3, 6)):
            volume, change = self.rng.randint(100, 9999), self.rng.randint(-30, 30)
            rows.append(f"| {year} | {volume:,} | {change:+d}% |")
        return "\n".join(rows)

    def topic_file(self, t: int) -> str:
        rng, topic = self.rng, self.topics[t]
        others = [o for o in range(len(self.topics)) if o != t]
        entries = [Entry("title", topic.title)]
        entries.append(Entry("summary", self.sentence("en", rng.randint(10, 20))))
        entries += [Entry("aliases", list(topic.aliases))] if topic.aliases else []
        related = rng.sample(others, min(len(others), rng.randint(0, 3)))
        if related:
            entries.append(Entry("related_topics", [self.topic_name(o) for o in related]))
        facts = [
            f"**{rng.randint(2, 900)} {rng.choice(('days', 'ships', 'tonnes', 'percent'))}** "
            + self.sentence("en", rng.randint(5, 12)).lower()
            for _ in range(rng.randint(2, 5))
        ]
        if rng.random() < 0.3:
            facts.append(f"Closely tied to [[{self.topic_name(rng.choice(others))}]]")
        entries.append(Entry("key_facts", facts))
        members = self.members[t]
        if members:
            pinned = rng.sample(members, min(len(members), rng.randint(1, 3)))
            entries.append(Entry("pinned", [self.articles[i].slug for i in pinned]))
        entries += [Entry("lang", "en")] if t % 4 == 0 else []
        paragraphs = []
        for _ in range(rng.randint(2, 4)):
            text, _n = self.paragraph("en", rng.randint(40, 90))
            link = rng.choice(_LINKERS).format(t=self.topic_name(rng.choice(others)))
            paragraphs.append(f"{text} {link}")
        return document(entries, "\n\n".join(paragraphs))

    def write(self, out: Path) -> None:
        (out / "content" / "topics").mkdir(parents=True, exist_ok=True)
        (out / "site.yaml").write_text(
            "title: Benchmark dossiers\nbase_url: http://localhost:8000/\ntimezone: Asia/Jakarta\n",
            encoding="utf-8",
        )
        for t, topic in enumerate(self.topics):
            path = out / "content" / "topics" / f"{topic.slug}.md"
            path.write_text(self.topic_file(t), encoding="utf-8")
        for a in self.articles:
            folder = out / "content" / "articles" / f"{a.when:%Y}" / f"{a.when:%m}"
            folder.mkdir(parents=True, exist_ok=True)
            text = document(self.front_matter(a), "\n\n".join(self.body(a)))
            (folder / f"{a.slug}.md").write_text(text, encoding="utf-8")


def generate_corpus(out: Path, articles: int, topics: int | None = None, seed: int = 0) -> None:
    """Write ``out/site.yaml`` and ``out/content/`` with ``articles`` articles.

    ``topics`` defaults to max(5, articles // 50). Refuses a non-empty ``out/content/``:
    files left from another corpus would silently become part of this one.
    """
    content = Path(out) / "content"
    if content.is_dir() and any(content.iterdir()):
        raise FileExistsError(f"{content} already exists and is not empty")
    count = max(5, articles // 50) if topics is None else topics
    if articles < 1 or count < 2:
        raise ValueError("need at least 1 article and 2 topics")
    _Corpus(articles, count, seed).write(Path(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, metavar="OUT_DIR")
    parser.add_argument("--articles", type=int, required=True, metavar="N")
    parser.add_argument("--topics", type=int, metavar="T", help="default: max(5, N // 50)")
    parser.add_argument("--seed", type=int, default=0, metavar="S")
    parser.add_argument("--force", action="store_true", help="replace OUT_DIR/content")
    args = parser.parse_args(argv)
    if args.force and (args.out / "content").is_dir():
        shutil.rmtree(args.out / "content")
    start = time.perf_counter()
    try:
        generate_corpus(args.out, args.articles, args.topics, args.seed)
    except (FileExistsError, ValueError) as exc:
        hint = " (--force replaces it)" if isinstance(exc, FileExistsError) else ""
        print(f"error: {exc}{hint}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    print(f"Wrote {args.articles} articles into {args.out} in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
