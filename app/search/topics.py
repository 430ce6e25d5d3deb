"""Skills reached through content: which skills the matching content is about.

A colleague who declares "Haushaltsrecht" is the one to ask about "Doppik" or "Haushaltsplan
aufstellen" too — words that stand in every page about the skill but not in its name. When
a query matches content, each skill of the vocabulary gets a share of that content: the
weight of the matching documents that name it (title or text), and half of it for those
whose authors declare it. The people who declare a skill with a large share rank too, their
skill weighted by the share (`ranking.SkillMatch.strength`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from app.search.ranking import CONTENT_KIND_WEIGHTS, ContentHit

# The best matching documents looked at.
TOPIC_HITS = 30
# A skill needs this share of the matching content's weight to count.
MIN_TOPIC_SHARE = 0.3
MAX_TOPICS = 3
AUTHOR_DECLARES_SHARE = 0.5
# A skill reached through content weighs this much of a skill the query names, at most.
THROUGH_CONTENT_STRENGTH = 0.6


def content_topics(
    hits: Iterable[ContentHit],
    vocabulary: Iterable[str],
    declared: Mapping[int, Iterable[str]],
    terms_of: Callable[[str], list[str]],
) -> dict[str, float]:
    """Skill name -> its share (0..1] of the matching content, for the MAX_TOPICS skills
    with at least MIN_TOPIC_SHARE. `declared` maps an author to their skill names;
    `terms_of` gives a text's index terms (stemmed, folded)."""
    hits = [hit for hit in hits if hit.kind in CONTENT_KIND_WEIGHTS][:TOPIC_HITS]
    skills = {name: terms for name in vocabulary if (terms := terms_of(name))}
    weights: dict[str, float] = defaultdict(float)
    total = 0.0
    for hit in hits:
        weight = CONTENT_KIND_WEIGHTS[hit.kind] * hit.coverage
        total += weight
        held = set(terms_of(f"{hit.title} {hit.text}"))
        named = {name for name, terms in skills.items() if held.issuperset(terms)}
        for name in named:
            weights[name] += weight
        # One who asks or thanks shows no expertise: their skills say nothing of the topic.
        if hit.author is not None and not hit.is_question:
            for name in set(declared.get(hit.author, ())) - named:
                weights[name] += weight * AUTHOR_DECLARES_SHARE
    if not total:
        return {}
    shares = {name: weight / total for name, weight in weights.items()}
    best = sorted(shares.items(), key=lambda pair: (-pair[1], pair[0]))[:MAX_TOPICS]
    return {name: share for name, share in best if share >= MIN_TOPIC_SHARE}
