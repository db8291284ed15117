"""The content graph: topics, tags, refs and wiki links resolved; backlinks and rankings."""

from __future__ import annotations

import pickle

from dossierpress.config import SiteConfig
from dossierpress.content.loader import load_content, parse_document_body
from dossierpress.content.markdown import make_markdown
from dossierpress.content.model import Event, LinkSpec, PartialDate, Ref
from dossierpress.graph.model import (
    MORE_ON_THIS_LIMIT,
    Citation,
    ContentGraph,
    RelatedTopicLink,
    Suggestion,
    TimelineEvent,
    top_tags,
)
from dossierpress.graph.reader import SharedReads
from dossierpress.graph.resolve import build_graph

from .support.documents import article, topic
from .support.files import SITES

MD = make_markdown(html=False)


def parsed_bodies(articles, topics):
    return {doc.path: parse_document_body(MD, doc) for doc in (*articles, *topics)}


def graph_of(articles=(), topics=()) -> tuple[ContentGraph, list[str]]:
    articles, topics = list(articles), list(topics)
    graph, errors = build_graph(articles, topics, parsed_bodies(articles, topics))
    return graph, [str(e) for e in errors]


def ok_graph(articles=(), topics=()) -> ContentGraph:
    graph, errors = graph_of(articles, topics)
    assert errors == []
    return graph


def path(slug: str) -> str:
    return f"content/articles/{slug}.md"


RNK = topic(
    "russia-north-korea", "Russia–North Korea relations", aliases=["Hubungan Rusia–Korea Utara"]
)
SANCTIONS = topic("sanctions")


# -- topics ---------------------------------------------------------------------------------


def test_topic_refs_match_slug_title_alias_and_dash_variants():
    written = {
        "by-slug": "russia-north-korea",
        "by-title": "Russia–North Korea relations",
        "by-title-with-hyphen": "russia-north korea RELATIONS",
        "by-alias": "hubungan rusia-korea utara",
    }
    articles = [
        article(slug, date=f"2024-06-0{i + 1}T00:00:00+00:00", topics=[name])
        for i, (slug, name) in enumerate(written.items())
    ]
    graph = ok_graph(articles, [RNK, SANCTIONS])
    for slug in written:
        assert graph.article_topics[path(slug)] == ("russia-north-korea",)
    assert graph.topic_articles["russia-north-korea"] == tuple(path(s) for s in written)
    assert graph.topic_articles["sanctions"] == ()


def test_one_topic_named_twice_counts_once():
    graph = ok_graph([article("a", topics=["sanctions", "Sanctions"])], [SANCTIONS])
    assert graph.article_topics[path("a")] == ("sanctions",)
    assert graph.topic_articles["sanctions"] == (path("a"),)


def test_topic_articles_are_oldest_first_whatever_the_input_order():
    articles = [
        article("late", date="2024-09-01T00:00:00+00:00", topics=["sanctions"]),
        article("early", date="2023-01-01T00:00:00+00:00", topics=["sanctions"]),
        article("middle", date="2024-01-01T00:00:00+00:00", topics=["sanctions"]),
    ]
    graph = ok_graph(articles, [SANCTIONS])
    assert graph.topic_articles["sanctions"] == (path("early"), path("middle"), path("late"))
    assert list(graph.articles) == [path("early"), path("middle"), path("late")]


def test_unknown_topic_is_reported_at_its_line_with_the_closest_name():
    a = article("a", topics=[Ref("sanctons", 6)])
    graph, errors = graph_of([a], [SANCTIONS, RNK])
    assert errors == [
        "content/articles/a.md:6: error: unknown topic 'sanctons' (did you mean 'sanctions'?)"
    ]
    assert graph.article_topics[a.path] == ()


def test_unknown_topic_with_nothing_close_has_no_hint():
    _, errors = graph_of([article("a", topics=[Ref("zzz", 5)])], [SANCTIONS])
    assert errors == ["content/articles/a.md:5: error: unknown topic 'zzz'"]


def test_a_name_shared_by_two_topics_is_ambiguous_and_names_both_files():
    eu = topic("eu-measures", "EU measures", aliases=["Restrictions"])
    us = topic("us-measures", "US measures", aliases=["restrictions"])
    _, errors = graph_of([article("a", topics=[Ref("Restrictions", 7)])], [eu, us])
    assert len(errors) == 1
    assert errors[0].startswith("content/articles/a.md:7: error: topic 'Restrictions' is ambiguous")
    assert "content/topics/eu-measures.md" in errors[0]
    assert "content/topics/us-measures.md" in errors[0]


def test_a_slug_wins_over_another_topics_alias():
    """The hint for an ambiguous name is "use the slug", so a slug must always be unique."""
    eu = topic("eu-sanctions", "EU sanctions", aliases=["Sanctions"])
    graph = ok_graph([article("a", topics=["sanctions"])], [SANCTIONS, eu])
    assert graph.article_topics[path("a")] == ("sanctions",)


def test_every_problem_of_the_graph_is_reported_at_once():
    a = article(
        "a",
        topics=[Ref("nowhere", 4)],
        related=(LinkSpec(8, ref=Ref("nothing", 9)),),
        body="See [[Void]].\n",
    )
    _, errors = graph_of([a], [SANCTIONS])
    assert [e.split(": error: ")[0] for e in errors] == [
        "content/articles/a.md:4",
        "content/articles/a.md:9",
        "content/articles/a.md:10",
    ]


# -- tags -----------------------------------------------------------------------------------


def test_tags_differing_by_case_are_one_tag_with_the_most_used_spelling():
    articles = [
        article("a", date="2024-01-01T00:00:00+00:00", tags=["kim jong-un"]),
        article("b", date="2024-02-01T00:00:00+00:00", tags=["Kim Jong-un"]),
        article("c", date="2024-03-01T00:00:00+00:00", tags=["Kim Jong-un ", "Aurus"]),
    ]
    graph = ok_graph(articles)
    assert set(graph.tags) == {"kim-jong-un", "aurus"}
    kim = graph.tags["kim-jong-un"]
    assert kim.name == "Kim Jong-un"
    assert kim.articles == (path("a"), path("b"), path("c"))
    assert graph.article_tags[path("c")] == ("kim-jong-un", "aurus")


def test_tag_spelling_tie_prefers_the_one_with_capitals():
    graph = ok_graph([article("a", tags=["aurus"]), article("b", tags=["Aurus"])])
    assert graph.tags["aurus"].name == "Aurus"


def test_a_tag_written_twice_in_one_article_counts_once():
    graph = ok_graph([article("a", tags=["Aurus", "aurus"])])
    assert graph.article_tags[path("a")] == ("aurus",)
    assert graph.tags["aurus"].articles == (path("a"),)


def test_a_tag_without_letters_or_digits_is_reported():
    """Such a tag has no URL of its own; its page would overwrite the tag index."""
    _, errors = graph_of([article("a", tags=[Ref("Aurus", 4), Ref("🔥", 5)])])
    assert len(errors) == 1
    assert errors[0].startswith("content/articles/a.md:5: error: tag '🔥'")


def test_top_tags_of_a_topic_by_use():
    articles = [
        article("a", topics=["sanctions"], tags=["Oil", "Arms"]),
        article("b", topics=["sanctions"], tags=["oil"]),
        article("c", tags=["Arms", "Banks"]),
    ]
    graph = ok_graph(articles, [SANCTIONS])
    assert top_tags(graph, "sanctions") == [("oil", 2), ("arms", 1)]
    assert top_tags(graph, "sanctions", limit=1) == [("oil", 2)]


# -- related links, wiki links, mentions -----------------------------------------------------


def test_related_refs_resolve_to_articles_and_topics_by_slug_or_title():
    target = article("first-meeting", title="First meeting")
    a = article(
        "a",
        related=(
            LinkSpec(5, ref=Ref("FIRST MEETING", 5)),
            LinkSpec(6, title="Our dossier", ref=Ref("russia-north-korea", 6)),
            LinkSpec(7, title="Background", url="https://example.com/", source="Wire"),
        ),
    )
    graph = ok_graph([target, a], [RNK])
    assert graph.related[a.path] == (
        Citation(5, None, None, target.path, None, None, None),
        Citation(6, "Our dossier", None, RNK.path, None, None, None),
        Citation(7, "Background", "https://example.com/", None, "Wire", None, None),
    )


def test_unknown_related_ref_is_reported_with_a_hint_from_articles_and_topics():
    a = article("a", related=(LinkSpec(5, ref=Ref("first meting", 6)),))
    graph, errors = graph_of([a, article("first-meeting", title="First meeting")], [SANCTIONS])
    assert errors == [
        "content/articles/a.md:6: error: unknown ref 'first meting' (did you mean 'First meeting'?)"
    ]
    assert graph.related[a.path] == ()


def test_wiki_links_resolve_to_topics_and_articles_case_and_dash_insensitively():
    body = "Read [[Russia-North Korea relations]] and [[the-summit|the summit]].\n"
    a = article("a", body=body)
    graph = ok_graph([a, article("the-summit")], [RNK])
    assert graph.wikilinks[a.path] == {
        "russia-north korea relations": RNK.path,
        "the-summit": path("the-summit"),
    }


def test_unresolved_wiki_links_are_reported_at_their_file_lines():
    body = "First paragraph.\n\nA line,\nthen [[Sanctons]] here.\n\n- item [[Nowhere|x]]\n"
    _, errors = graph_of([article("a", body=body)], [SANCTIONS])
    assert errors == [
        "content/articles/a.md:13: error: unknown wiki-link target 'Sanctons' "
        "(did you mean 'sanctions'?)",
        "content/articles/a.md:15: error: unknown wiki-link target 'Nowhere'",
    ]


def test_wiki_links_in_a_topic_introduction_are_checked_too():
    t = topic("sanctions", body="Intro.\n\nSee [[Missing]].\n")
    _, errors = graph_of([], [t])
    assert errors == ["content/topics/sanctions.md:12: error: unknown wiki-link target 'Missing'"]


def test_mentions_come_from_wiki_links_and_related_refs_but_not_self_links():
    target = article("target", body="I mention [[target]] myself.\n")
    by_wiki = article("by-wiki", body="See [[Target]].\n")
    by_ref = article("by-ref", related=(LinkSpec(5, ref=Ref("target", 6)),))
    intro = topic("sanctions", body="Start with [[target]] and [[sanctions]].\n")
    unrelated = article("unrelated")
    graph = ok_graph([target, by_wiki, by_ref, unrelated], [intro])
    assert graph.mentions[target.path] == (by_ref.path, by_wiki.path, intro.path)
    assert intro.path not in graph.mentions
    assert unrelated.path not in graph.mentions


def test_pinned_articles_resolve_in_the_editors_order():
    a = article("a", date="2024-01-01T00:00:00+00:00", title="Alpha story")
    b = article("b", date="2024-02-01T00:00:00+00:00")
    t = topic("sanctions", pinned=["b", "alpha story"])
    graph = ok_graph([a, b], [t])
    assert graph.pinned["sanctions"] == (b.path, a.path)


def test_unknown_pinned_article_is_reported():
    t = topic("sanctions", pinned=[Ref("nope", 7)])
    _, errors = graph_of([article("a")], [t])
    assert errors == ["content/topics/sanctions.md:7: error: unknown pinned article 'nope'"]


def test_an_events_refs_resolve_by_slug_or_title_in_the_editors_order():
    a, b = article("vostochny", title="Kim at Vostochny"), article("gift")
    events = (
        Event(
            PartialDate(2023, 9),
            "Kim visits",
            (Ref("gift", 6), Ref("kim at VOSTOCHNY", 6)),
            5,
            5,
        ),
        Event(PartialDate(2024), "Nothing reported yet", (), 7, 7),
    )
    graph = ok_graph([a, b], [topic("sanctions", events=events)])
    assert graph.events["sanctions"] == (
        TimelineEvent(PartialDate(2023, 9), "Kim visits", (b.path, a.path)),
        TimelineEvent(PartialDate(2024), "Nothing reported yet", ()),
    )


def test_a_topic_without_events_has_an_empty_entry():
    assert ok_graph([], [SANCTIONS]).events == {"sanctions": ()}


def test_an_unknown_event_ref_is_reported_at_its_line_with_the_closest_name():
    event = Event(
        PartialDate(2023, 9), "Kim visits", (Ref("vostochy", 8), Ref("vostochny", 8)), 7, 7
    )
    graph, errors = graph_of([article("vostochny")], [topic("sanctions", events=(event,))])
    assert errors == [
        "content/topics/sanctions.md:8: error: unknown article 'vostochy' "
        "(did you mean 'vostochny'?)"
    ]
    assert graph.events["sanctions"][0].articles == (path("vostochny"),)


def test_an_events_wiki_links_are_the_topics_and_reported_at_the_texts_line():
    event = Event(PartialDate(2024, 2), "A gift despite [[sanctons]], see [[gift]]", (), 11, 12)
    graph, errors = graph_of([article("gift")], [topic("sanctions", events=(event,))])
    assert errors == [
        "content/topics/sanctions.md:12: error: unknown wiki-link target 'sanctons' "
        "(did you mean 'sanctions'?)"
    ]
    assert graph.wikilinks["content/topics/sanctions.md"] == {"gift": path("gift")}


def test_unknown_related_topic_is_reported():
    t = topic("sanctions", related_topics=[Ref("russia-south-korea", 5)])
    _, errors = graph_of([], [t, RNK])
    assert errors == [
        "content/topics/sanctions.md:5: error: unknown related topic 'russia-south-korea' "
        "(did you mean 'russia-north-korea'?)"
    ]


# -- related topics and "more on this" ------------------------------------------------------


def test_related_topics_are_explicit_first_then_by_shared_articles():
    main = topic("main", related_topics=["zeta", "main"])
    others = [topic(slug) for slug in ("zeta", "arms", "banks", "coal")]
    articles = [
        article("a1", topics=["main", "banks"]),
        article("a2", topics=["main", "banks", "arms"]),
        article("a3", topics=["main", "arms", "coal"]),
        article("a4", topics=["main", "banks"]),
        article("a5", topics=["arms", "coal"]),
    ]
    graph = ok_graph(articles, [main, *others])
    assert graph.related_topics["main"] == (
        RelatedTopicLink("zeta", 0, True),
        RelatedTopicLink("banks", 3, False),
        RelatedTopicLink("arms", 2, False),
        RelatedTopicLink("coal", 1, False),
    )


def test_more_on_this_shared_topics_weigh_more_than_shared_tags():
    me = article("me", date="2024-01-01T00:00:00+00:00", topics=["sanctions"], tags=["Aurus"])
    same_topic = article("same-topic", date="2024-02-01T00:00:00+00:00", topics=["sanctions"])
    same_tag = article("same-tag", date="2024-06-01T00:00:00+00:00", tags=["Aurus"])
    graph = ok_graph([me, same_topic, same_tag], [SANCTIONS])
    assert [s.path for s in graph.suggestions(me.path)] == [same_topic.path, same_tag.path]


def test_more_on_this_prefers_more_in_common_then_newer():
    me = article("me", tags=["Aurus", "Oil"])
    both_old = article("both-old", date="2020-01-01T00:00:00+00:00", tags=["aurus", "oil"])
    one_new = article("one-new", date="2024-09-01T00:00:00+00:00", tags=["oil"])
    one_old = article("one-old", date="2021-01-01T00:00:00+00:00", tags=["Aurus"])
    graph = ok_graph([me, both_old, one_new, one_old])
    order = [s.path for s in graph.suggestions(me.path)]
    assert order == [both_old.path, one_new.path, one_old.path]


def test_more_on_this_is_limited_and_never_suggests_the_article_itself():
    others = [
        article(f"o{i}", date=f"2024-0{i}-01T00:00:00+00:00", tags=["Aurus"]) for i in range(1, 9)
    ]
    me = article("me", tags=["Aurus"])
    graph = ok_graph([me, *others])
    suggested = [s.path for s in graph.suggestions(me.path)]
    assert len(suggested) == MORE_ON_THIS_LIMIT
    assert me.path not in suggested
    assert suggested == [path(f"o{i}") for i in range(8, 8 - MORE_ON_THIS_LIMIT, -1)]


def test_more_on_this_says_which_topics_and_tags_are_shared():
    me = article("me", topics=["sanctions", "russia-north-korea"], tags=["Aurus", "Oil"])
    other = article("other", topics=["Sanctions"], tags=["aurus", "Banks"])
    lonely = article("lonely", tags=["Cheese"])
    graph = ok_graph([me, other, lonely], [SANCTIONS, RNK])
    assert graph.suggestions(me.path) == (Suggestion(other.path, ("sanctions",), ("aurus",)),)
    assert graph.suggestions(lonely.path) == ()


# -- key facts (wiki links found when a topic is parsed) -------------------------------------


def test_key_fact_wiki_links_are_checked_at_their_line():
    t = topic(
        "sanctions",
        key_facts=[Ref("Signed in **2024**", 6), Ref("Part of [[Russia–North Korea]]", 7)],
    )
    _, errors = graph_of([], [t, RNK])
    assert errors == [
        "content/topics/sanctions.md:7: error: unknown wiki-link target 'Russia–North Korea' "
        "(did you mean 'russia-north-korea'?)"
    ]


def test_key_fact_wiki_links_resolve_and_count_as_mentions():
    t = topic("sanctions", key_facts=[Ref("See [[Russia–North Korea relations]]", 6)])
    graph = ok_graph([], [t, RNK])
    assert graph.wikilinks[t.path] == {"russia-north korea relations": RNK.path}
    assert graph.mentions[RNK.path] == (t.path,)


# -- a fixture site read from disk -----------------------------------------------------------


def test_graph_of_the_basic_fixture_site_is_complete_and_picklable():
    source = SITES / "basic"
    loaded = load_content(source, SiteConfig(timezone="Asia/Jakarta"), drafts=False)
    assert loaded.errors == []
    graph, errors = build_graph(loaded.articles, loaded.topics, loaded.parsed)
    assert errors == []
    first = "content/articles/2024/first-meeting.md"
    second = "content/articles/2024/second-meeting.md"
    assert graph.article_topics[first] == ("alpha-beta", "gamma")
    assert graph.mentions[first] == (second, "content/topics/alpha-beta.md")
    assert graph.pinned["alpha-beta"] == (first,)
    assert graph.tags["kim-jong-un"].name == "Kim Jong-un"
    assert pickle.loads(pickle.dumps(graph)) == graph


def test_equal_reads_of_different_pages_are_kept_once():
    shared = SharedReads()
    first = shared.of([("articles", "a.md", ("title",), "A"), ("tags", ["unhashable"])])
    second = shared.of([("articles", "a.md", ("title",), "A")])
    assert first[0] == second[0] and first[0] is second[0]
    assert first[1] == ("tags", ["unhashable"])  # kept as it is, not shared
