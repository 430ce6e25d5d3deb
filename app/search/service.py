"""Searching for a reader: content results and the experts who know about a query.

The reader's acl tokens filter everything the index answers (results, totals, snippets,
suggestions, expertise evidence); profile evidence comes only from profiles the reader found.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.search import sources
from app.search.analysis import StemFoldFilter, fold_german
from app.search.documents import FILE_KIND, KINDS, SearchHit, SearchPage
from app.search.extension import get_index
from app.search.query import ParsedQuery, parse_query
from app.search.ranking import (
    ContentHit,
    Evidence,
    ProfileEvidence,
    SkillMatch,
    SummaryPart,
    rank_experts,
)
from app.search.snippets import snippet_html
from app.search.synonyms import synonym_groups
from app.search.thesaurus import Thesaurus, built_in_groups
from app.search.topics import THROUGH_CONTENT_STRENGTH, TOPIC_HITS, content_topics
from app.search.understanding import understand
from app.spaces import policy
from app.spaces.models import Space

SORTS = ("relevance", "newest")
_WORDS = re.compile(r"\w+")
# The experts finder looks at the profiles among this many best profile matches.
PROFILE_CANDIDATES = 50
MAX_EXPERTS = 20
CLOSEST_SKILLS = 5


class Resolver:
    """Maps the names typed in `author:` and `space:` to ids."""

    def author_id(self, name: str) -> int | None:
        return db.session.scalar(select(User.id).where(User.username == name.lower()))

    def space_id(self, name: str) -> int | None:
        return db.session.scalar(select(Space.id).where(Space.slug == name.lower()))


@dataclass(frozen=True, slots=True)
class Filters:
    kinds: tuple[str, ...] = ()
    space: int | None = None
    author: str | None = None  # username
    tag: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1


@dataclass(frozen=True, slots=True)
class Result:
    hit: SearchHit
    space: Space | None
    author: User | None

    @property
    def id(self) -> int:
        return int(self.hit.key.partition(":")[2])


@dataclass(frozen=True, slots=True)
class ExpertView:
    user: User
    score: float
    evidence: tuple[Evidence, ...]
    summary: tuple[SummaryPart, ...]
    # Job title, department, e-mail, phone and photo (the profiles tool's contact card).
    card: object | None = None

    @property
    def is_former(self) -> bool:
        return not self.user.active


@dataclass(frozen=True, slots=True)
class Results:
    query: str
    filters: Filters
    page: SearchPage
    results: list[Result]
    suggestion: str | None = None
    experts: list[ExpertView] = field(default_factory=list)
    # What the query asks about once its question phrasing is removed ("Gesucht: …"); empty
    # when the query was taken as typed.
    understood: str = ""


def understand_query(query: str) -> tuple[ParsedQuery, str]:
    """The query as matched (question phrasing removed, synonyms added) and the topic shown
    to the reader ("" when the query is taken as typed)."""
    understanding = understand(query)
    parsed = parse_query(understanding.query)
    known = thesaurus()
    parsed = parsed.replace_terms(known.join_names(parsed.terms))
    return parsed.with_synonyms(known.synonyms), understanding.topic


def thesaurus() -> Thesaurus:
    """The built-in thesaurus with the administrators' synonyms and the aliases of merged
    skills (the profiles tool offers ``skill_synonyms() -> [[name, alias, …], …]``)."""
    module = sources.module_for("profile")
    skill_synonyms = getattr(module, "skill_synonyms", None) if module is not None else None
    groups = built_in_groups() + synonym_groups()
    if skill_synonyms is not None:
        groups += [list(group) for group in skill_synonyms()]
    return Thesaurus(groups, StemFoldFilter("de").term)


def search(actor: User, query: str, filters: Filters | None = None) -> Results:
    """One page of what `actor` may read that matches `query`. Never raises for a malformed
    query (it is read as plain words) or an unreadable index (no results)."""
    filters = filters or Filters()
    query = (query or "").strip()
    tokens = policy.acl_tokens(actor)
    index = get_index()
    parsed, understood = understand_query(query)
    author_id = Resolver().author_id(filters.author) if filters.author else None
    if filters.author and author_id is None:
        empty = SearchPage(total=0, hits=(), page=1, page_size=_page_size())
        return Results(query, filters, empty, [], understood=understood)
    page = index.search(
        parsed,
        acl_tokens=tokens,
        resolver=Resolver(),
        kinds=[kind for kind in filters.kinds if kind in KINDS] or None,
        space=filters.space,
        author=author_id,
        tag=filters.tag or None,
        date_from=_start_of(filters.date_from),
        date_to=_end_of(filters.date_to),
        sort=filters.sort if filters.sort in SORTS else "relevance",
        page=filters.page,
        page_size=_page_size(),
    )
    if parsed.has_text:
        page = replace(page, hits=_snippets_from_whole_files(page.hits, index.highlighter(parsed)))
    suggestion = None
    if parsed.has_text and page.total <= current_app.config["SEARCH_SUGGEST_BELOW"]:
        suggestion = index.suggest(parsed.to_text(), tokens)
    return Results(query, filters, page, _results(page.hits), suggestion, understood=understood)


def find_experts(actor: User, query: str, limit: int | None = None) -> list[ExpertView]:
    """People who know about `query`, best first, with the evidence `actor` may see."""
    limit = min(max(1, limit or current_app.config["EXPERTS_LIMIT"]), MAX_EXPERTS)
    parsed, _understood = understand_query((query or "").strip())
    if not parsed.has_text:
        return []
    tokens = policy.acl_tokens(actor)
    index = get_index()
    hits = _without_former_answerers(index.expertise_hits(parsed, acl_tokens=tokens))
    profiles = _profile_evidence(index, parsed, tokens)
    profiles = _with_skills_through_content(index, tokens, hits, profiles)
    experts = rank_experts(profiles, hits, now=utcnow().replace(tzinfo=UTC), limit=limit)
    users = _by_id(User, [expert.user_id for expert in experts])
    cards = _contact_cards(list(users))
    return [
        ExpertView(
            users[expert.user_id],
            expert.score,
            expert.evidence,
            expert.summary,
            cards.get(expert.user_id),
        )
        for expert in experts
        if expert.user_id in users
    ]


def _without_former_answerers(hits: list[ContentHit]) -> list[ContentHit]:
    """A marked answer earns its extra credit while its author still works here: a former
    colleague keeps what they wrote, not the asker's word that they are the one to ask."""
    marked = {hit.answered_by for hit in hits if hit.answered_by is not None}
    if not marked:
        return hits
    former = set(
        db.session.scalars(select(User.id).where(User.id.in_(marked), User.active.is_(False)))
    )
    return [replace(hit, answered_by=None) if hit.answered_by in former else hit for hit in hits]


def _contact_cards(user_ids: list[int]) -> dict:
    """The profiles tool offers ``contact_cards(user_ids) -> {user_id: card}``."""
    module = sources.module_for("profile")
    cards = getattr(module, "contact_cards", None) if module is not None else None
    return cards(user_ids) if cards is not None and user_ids else {}


def closest_skills(query: str, limit: int = CLOSEST_SKILLS) -> list[str]:
    """Skills of the vocabulary close to what `query` asks about, for when nobody is found:
    spelled alike, or sharing a word or a compound's part with it."""
    module = sources.module_for("profile")
    vocabulary = getattr(module, "skill_vocabulary", None) if module is not None else None
    if vocabulary is None:
        return []
    parsed, _understood = understand_query(query)
    language = StemFoldFilter("de")
    wanted: set[str] = set()
    for text in (*parsed.terms, *parsed.phrases):
        for word in _WORDS.findall(text):
            wanted |= {language.term(word), *language.part_terms(word)} - {None}
    names = vocabulary()
    keys = {fold_german(name): name for name in names}
    alike = difflib.get_close_matches(fold_german(" ".join(parsed.terms)), keys, limit, 0.6)
    found = [keys[key] for key in alike]
    for name in names:
        held = set()
        for word in _WORDS.findall(name):
            held |= {language.term(word), *language.part_terms(word)} - {None}
        if held & wanted and name not in found:
            found.append(name)
    return found[:limit]


def ask_in_stream_text(query: str) -> str:
    """The question to post in the stream when nobody was found, tagged with its topic."""
    _parsed, topic = understand_query(query)
    words = _WORDS.findall(topic or query)
    tag = max(words, key=len) if words else ""
    question = query.strip()
    if not question.endswith("?"):
        question = _("Who knows about %(topic)s?", topic=topic or question)
    return f"{question} #{tag}" if tag else question


def _profile_evidence(index, parsed, tokens: Collection[str]) -> list[ProfileEvidence]:
    """The matching skills, trainings, projects and "ask me about" topics of the profiles the
    reader found. The profiles tool offers ``profile_evidence(user_ids) -> {user_id: evidence}``
    (evidence: ``skills`` as (name, level, endorsements), ``trainings``, ``projects``,
    ``ask_me_about`` text, ``url``); without it there is no profile evidence."""
    module = sources.module_for("profile")
    gather = getattr(module, "profile_evidence", None) if module is not None else None
    if gather is None:
        return []
    found = index.search(parsed, acl_tokens=tokens, kinds=["profile"], page_size=PROFILE_CANDIDATES)
    user_ids = [int(hit.key.partition(":")[2]) for hit in found.hits]
    if not user_ids:
        return []
    strength = index.text_matcher(parsed)

    def is_match(text: str) -> bool:
        return strength(text) > 0

    matches = []
    for user_id, evidence in gather(user_ids).items():
        profile = ProfileEvidence(
            user_id=user_id,
            url=evidence.url,
            skills=tuple(
                SkillMatch(name, level, endorsements, strength(name))
                for name, level, endorsements in evidence.skills
                if strength(name) > 0
            ),
            trainings=tuple(title for title in evidence.trainings if is_match(title)),
            projects=tuple(title for title in evidence.projects if is_match(title)),
            ask_me_about=tuple(
                topic for topic in _topics(evidence.ask_me_about) if is_match(topic)
            ),
        )
        if profile.skills or profile.trainings or profile.projects or profile.ask_me_about:
            matches.append(profile)
    return matches


def _with_skills_through_content(
    index, tokens: Collection[str], hits: list, profiles: list[ProfileEvidence]
) -> list[ProfileEvidence]:
    """`profiles` with the skills the matching content is about (`topics.content_topics`)
    added for the people who declare them, weighted by the content's share. The profiles
    tool offers ``skill_vocabulary() -> [name, …]``; without it, `profiles` as they are."""
    module = sources.module_for("profile")
    vocabulary = getattr(module, "skill_vocabulary", None) if module is not None else None
    gather = getattr(module, "profile_evidence", None) if module is not None else None
    if vocabulary is None or gather is None or not hits:
        return profiles
    authors = {hit.author for hit in hits[:TOPIC_HITS] if hit.author is not None}
    declared = {
        user_id: [name for name, _level, _count in evidence.skills]
        for user_id, evidence in gather(authors).items()
    }
    language = StemFoldFilter("de")
    shares = content_topics(
        hits,
        vocabulary(),
        declared,
        lambda text: [t for w in text.split() if (t := language.term(w))],
    )
    matched = {(p.user_id, skill.name) for p in profiles for skill in p.skills}
    added: dict[int, list[SkillMatch]] = {}
    urls: dict[int, str] = {}
    for name, share in shares.items():
        found = index.search(
            parse_query(f'"{name}"'),
            acl_tokens=tokens,
            kinds=["profile"],
            page_size=PROFILE_CANDIDATES,
        )
        user_ids = [int(hit.key.partition(":")[2]) for hit in found.hits]
        for user_id, evidence in gather(user_ids).items():
            for skill, level, endorsements in evidence.skills:
                if skill == name and (user_id, skill) not in matched:
                    strength = THROUGH_CONTENT_STRENGTH * share
                    added.setdefault(user_id, []).append(
                        SkillMatch(skill, level, endorsements, strength)
                    )
                    urls[user_id] = evidence.url
    if not added:
        return profiles
    merged = []
    for profile in profiles:
        extra = added.pop(profile.user_id, [])
        merged.append(replace(profile, skills=(*profile.skills, *extra)) if extra else profile)
    merged += [
        ProfileEvidence(user_id, urls[user_id], skills=tuple(skills))
        for user_id, skills in added.items()
    ]
    return merged


def _topics(text: str) -> list[str]:
    """ "Ask me about" text as single topics (separated by commas, semicolons or lines)."""
    return [topic.strip() for topic in re.split(r"[,;\n·]", text or "") if topic.strip()]


def space_choices(actor: User) -> list[Space]:
    """The spaces `actor` may read, for the space filter."""
    return list(
        db.session.scalars(select(Space).where(policy.readable_spaces(actor)).order_by(Space.name))
    )


def _snippets_from_whole_files(
    hits: Iterable[SearchHit], is_match: Callable[[str], bool]
) -> tuple[SearchHit, ...]:
    """The index stores only the start of a file's text: a hit whose words lie further in
    gets its snippet from the whole text (the file's tool offers ``full_text(item)``)."""
    found = []
    for hit in hits:
        if hit.kind == FILE_KIND and "<mark>" not in hit.snippet_html:
            module = sources.module_for(hit.key.partition(":")[0])
            full_text = getattr(module, "full_text", None)
            item = sources.load(hit.key) if full_text is not None else None
            if item is not None:
                hit = replace(hit, snippet_html=snippet_html(full_text(item), is_match))
        found.append(hit)
    return tuple(found)


def _results(hits: Iterable[SearchHit]) -> list[Result]:
    hits = list(hits)
    spaces = _by_id(Space, [hit.space for hit in hits if hit.space is not None])
    authors = _by_id(User, [hit.author for hit in hits if hit.author is not None])
    return [Result(hit, spaces.get(hit.space), authors.get(hit.author)) for hit in hits]


def _by_id(model, ids: Collection[int]) -> dict:
    if not ids:
        return {}
    return {obj.id: obj for obj in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _page_size() -> int:
    return current_app.config["SEARCH_PAGE_SIZE"]


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min) if day else None


def _end_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.max) if day else None
