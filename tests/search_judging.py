"""Judged organisations for the expertise finder, built through the tools' services.

An organisation is people (with profile skills), wiki pages and stream conversations (with
the reply their asker marked as the answer, if any); the judgements say who truly knows
about each query (graded 0–3). `scores` asks the finder every query as a reader who sees
everything public and scores its top five with nDCG@5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.microblog import service as stream
from app.profiles import service as profiles
from app.search import service
from app.wiki import service as wiki
from tests.factories import make_user


@dataclass(frozen=True)
class Thread:
    """A stream conversation: (author, text) of the question, then of each reply; `answer`
    is the index of the reply that the asker marked as the answer."""

    question: tuple[str, str]
    replies: tuple[tuple[str, str], ...] = ()
    answer: int | None = None


@dataclass(frozen=True)
class Organisation:
    skills: dict[str, tuple[tuple[str, int], ...]]  # person -> (skill, level)
    pages: tuple[tuple[str, str, str], ...] = ()  # (author, title, body)
    threads: tuple[Thread, ...] = ()
    judgements: dict[str, dict[str, int]] = field(default_factory=dict)


def build(organisation: Organisation, reader: str = "reader") -> dict:
    names = {*organisation.skills, reader}
    names |= {author for author, _title, _body in organisation.pages}
    for thread in organisation.threads:
        names |= {thread.question[0], *(author for author, _text in thread.replies)}
    people = {name: make_user(name, display_name=name.title()) for name in sorted(names)}
    for name, skills in organisation.skills.items():
        edit = profiles.ProfileEdit(
            skills=tuple(profiles.SkillEntry(skill, level) for skill, level in skills)
        )
        profiles.update_profile(people[name], people[name], edit)
    for author, title, body in organisation.pages:
        wiki.create_page(people[author], wiki.NewPage(title, body))
    for thread in organisation.threads:
        asker, text = thread.question
        question = stream.create_post(people[asker], stream.NewPost(text))
        replies = [
            stream.create_post(people[author], stream.NewPost(reply, reply_to=question.id))
            for author, reply in thread.replies
        ]
        if thread.answer is not None:
            stream.mark_answer(people[asker], question.id, replies[thread.answer].id)
    return people


def ndcg_at_5(ranked: list[str], judged: dict[str, int]) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains[:5]))

    return dcg([judged.get(name, 0) for name in ranked]) / dcg(
        sorted(judged.values(), reverse=True)
    )


def scores(organisation: Organisation, people: dict, reader: str = "reader") -> dict[str, float]:
    found = {}
    for query, judged in organisation.judgements.items():
        experts = service.find_experts(people[reader], query, limit=5)
        found[query] = round(ndcg_at_5([e.user.username for e in experts], judged), 3)
    return found
