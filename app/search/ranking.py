"""The expertise finder: who here knows about X, and why we think so.

A pure function over evidence the caller gathered for one query: the matching parts of
people's profiles and the content hits the reader may see. Every point of a score comes
from one piece of evidence, so the result explains itself.

    score = Σ skills (level weight + endorsements)  + trainings + projects + "ask me about"
          + CONTENT_SCALE · ln(1 + Σ content kind weight · share · age decay)

Content counts with diminishing returns (the logarithm): fifty microposts should not
outweigh a colleague who lists the subject as their expert skill.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

MIN_SKILL_LEVEL = 1
MAX_SKILL_LEVEL = 4
# beginner, practised, advanced, expert
SKILL_LEVEL_WEIGHTS = {1: 1.0, 2: 2.0, 3: 3.5, 4: 5.0}
ENDORSEMENT_WEIGHT = 0.5
# Endorsements beyond this many add nothing: they measure popularity as much as skill.
MAX_COUNTED_ENDORSEMENTS = 10
TRAINING_WEIGHT = 1.5
PROJECT_WEIGHT = 1.5
ASK_ME_ABOUT_WEIGHT = 2.0

CONTENT_KIND_WEIGHTS = {"wiki": 2.0, "blog": 1.5, "comment": 0.5, "micro": 0.25}
# Answering a colleague's question about the topic (each time a question credits someone:
# twice when the asker thanked them), or being thanked for help with it.
ANSWER_WEIGHT = 1.5
# The reply the asker marked as the answer counts this many times more: the asker, who
# knows what they needed, says it solved the question.
MARKED_ANSWER_TIMES = 2
# Someone who edited a wiki page without writing it gets this share of its weight.
WIKI_EDITOR_SHARE = 0.5
CONTENT_SCALE = 3.0
# Content loses half its weight every year: knowledge goes stale, people move on.
CONTENT_HALF_LIFE_DAYS = 365.0
EVIDENCE_PER_EXPERT = 5
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True, slots=True)
class SkillMatch:
    name: str
    level: int  # MIN_SKILL_LEVEL..MAX_SKILL_LEVEL
    endorsements: int = 0
    # 1.0 when the skill names what the query asks; less when only a synonym or a part of
    # a compound meets it, or when the skill is reached through matching content.
    strength: float = 1.0


@dataclass(frozen=True, slots=True)
class ProfileEvidence:
    """The parts of one person's profile that match the query (nothing else)."""

    user_id: int
    url: str
    skills: tuple[SkillMatch, ...] = ()
    trainings: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    ask_me_about: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContentHit:
    """A matching document the reader may see. `people` wrote or edited it; `author`
    wrote it. A comment that only asks (`is_question`) shows interest, not expertise."""

    kind: str
    people: tuple[int, ...]
    author: int | None
    updated: datetime
    title: str
    url: str
    is_question: bool = False
    credited: tuple[int, ...] = ()  # answered it, or were thanked in it
    answered_by: int | None = None  # wrote the reply its asker marked as the answer
    text: str = ""  # the start of its text (what a skill named in it is looked for in)
    # The share of the query's words it holds: a page about one of two topics asked for
    # counts half.
    coverage: float = 1.0


@dataclass(frozen=True, slots=True)
class Evidence:
    """One link shown under a person: a skill, training, project or piece of content."""

    kind: str  # skill | training | project | ask_me_about | answer | wiki | blog | comment | micro
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class SummaryPart:
    """One phrase of the explanation, for the UI to put in words of the reader's language:
    kind "skill" (label, level, endorsements), "training", "project", "ask_me_about"
    (label), or content counts: "wiki" (wrote), "wiki_edit" (edited), "blog", "comment",
    "micro" (count), "answer" (count; label: the heaviest question's title), and
    "marked_answer" (the same, for questions whose asker marked their reply as the answer)."""

    kind: str
    label: str = ""
    level: int | None = None
    endorsements: int = 0
    count: int = 1


@dataclass(frozen=True, slots=True)
class Expert:
    user_id: int
    score: float
    evidence: tuple[Evidence, ...]
    summary: tuple[SummaryPart, ...]


@dataclass(slots=True)
class _Tally:
    profile_score: float = 0.0
    content_weight: float = 0.0
    profile_evidence: list[Evidence] = field(default_factory=list)
    content_evidence: list[tuple[float, Evidence]] = field(default_factory=list)
    summary: list[SummaryPart] = field(default_factory=list)
    content_counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Per summary kind ("answer", "marked_answer"): the weight and title of each question.
    answer_titles: dict[str, list[tuple[float, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def score(self) -> float:
        return self.profile_score + CONTENT_SCALE * math.log1p(self.content_weight)


def skill_weight(skill: SkillMatch) -> float:
    level = min(max(skill.level, MIN_SKILL_LEVEL), MAX_SKILL_LEVEL)
    endorsements = min(max(skill.endorsements, 0), MAX_COUNTED_ENDORSEMENTS)
    return (SKILL_LEVEL_WEIGHTS[level] + ENDORSEMENT_WEIGHT * endorsements) * skill.strength


def age_decay(updated: datetime, now: datetime) -> float:
    """1.0 for content changed now, 0.5 after CONTENT_HALF_LIFE_DAYS, and so on."""
    age_days = max(0.0, (now - updated).total_seconds() / SECONDS_PER_DAY)
    return 0.5 ** (age_days / CONTENT_HALF_LIFE_DAYS)


def rank_experts(
    profiles: Iterable[ProfileEvidence],
    content: Iterable[ContentHit],
    *,
    now: datetime,
    limit: int = 10,
) -> list[Expert]:
    """People ranked by evidence of knowing about the query, best first (ties by id).

    Profile documents among `content` are skipped: a profile counts through `profiles`.
    """
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    for profile in profiles:
        _add_profile(tallies[profile.user_id], profile)
    for hit in content:
        _add_answers(tallies, hit, now)
        if hit.is_question or hit.kind not in CONTENT_KIND_WEIGHTS:
            continue
        weight = CONTENT_KIND_WEIGHTS[hit.kind] * age_decay(hit.updated, now) * hit.coverage
        evidence = Evidence(hit.kind, hit.title, hit.url)
        for person in _contributors(hit):
            is_editor = hit.kind == "wiki" and hit.author is not None and person != hit.author
            share = WIKI_EDITOR_SHARE if is_editor else 1.0
            tally = tallies[person]
            tally.content_weight += weight * share
            tally.content_evidence.append((weight * share, evidence))
            tally.content_counts["wiki_edit" if is_editor else hit.kind] += 1
    experts = [_expert(user_id, tally) for user_id, tally in tallies.items()]
    experts = [expert for expert in experts if expert.score > 0]
    experts.sort(key=lambda expert: (-expert.score, expert.user_id))
    return experts[:limit]


def _add_answers(tallies: dict[int, _Tally], hit: ContentHit, now: datetime) -> None:
    """Credit those who answered the question `hit` asks, or whom it thanks; most the one
    whose reply the asker marked as the answer."""
    weight = ANSWER_WEIGHT * age_decay(hit.updated, now) * hit.coverage
    evidence = Evidence("answer", hit.title, hit.url)
    marked = (hit.answered_by,) if hit.answered_by is not None else ()
    for person in dict.fromkeys((*marked, *hit.credited)):
        times = hit.credited.count(person)
        kind = "answer"
        if person in marked:
            times, kind = times + MARKED_ANSWER_TIMES, "marked_answer"
        tally = tallies[person]
        tally.content_weight += weight * times
        tally.content_evidence.append((weight * times, evidence))
        tally.content_counts[kind] += 1
        tally.answer_titles[kind].append((weight * times, hit.title))


def _best_title(weighted: list[tuple[float, str]]) -> str:
    """The title of the heaviest piece (the question answered rather than a thank-you)."""
    return max(weighted, key=lambda pair: pair[0])[1]


def _contributors(hit: ContentHit) -> list[int]:
    people = list(dict.fromkeys(hit.people))
    if hit.author is not None and hit.author not in people:
        people.insert(0, hit.author)
    return people


def _add_profile(tally: _Tally, profile: ProfileEvidence) -> None:
    for skill in sorted(profile.skills, key=skill_weight, reverse=True):
        tally.profile_score += skill_weight(skill)
        tally.profile_evidence.append(Evidence("skill", skill.name, profile.url))
        tally.summary.append(
            SummaryPart("skill", skill.name, level=skill.level, endorsements=skill.endorsements)
        )
    for kind, labels, weight in (
        ("ask_me_about", profile.ask_me_about, ASK_ME_ABOUT_WEIGHT),
        ("training", profile.trainings, TRAINING_WEIGHT),
        ("project", profile.projects, PROJECT_WEIGHT),
    ):
        for label in labels:
            tally.profile_score += weight
            tally.profile_evidence.append(Evidence(kind, label, profile.url))
            tally.summary.append(SummaryPart(kind, label))


def _expert(user_id: int, tally: _Tally) -> Expert:
    content = [evidence for _, evidence in sorted(tally.content_evidence, key=lambda p: -p[0])]
    counts = tally.content_counts
    summary = tally.summary + [
        SummaryPart(
            kind,
            label=_best_title(tally.answer_titles[kind]) if kind in tally.answer_titles else "",
            count=count,
        )
        for kind in ("marked_answer", "answer", "wiki", "wiki_edit", "blog", "comment", "micro")
        if (count := counts.get(kind))
    ]
    evidence = (tally.profile_evidence + content)[:EVIDENCE_PER_EXPERT]
    return Expert(user_id, round(tally.score(), 4), tuple(evidence), tuple(summary))
