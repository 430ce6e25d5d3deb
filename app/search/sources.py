"""Which tool describes which kind of search document: the kinds of the content registry.

Each declared kind with a ``search`` module offers ``document_for(obj) -> SearchDocument |
None`` (None: not to be indexed any more) and ``all_documents() ->
Iterator[SearchDocument]``; optionally ``count() -> int`` (for the reindex progress bar)
and ``CHANGES`` ({model class: obj -> document keys} for rows that change documents other
than "<search_kind>:<id>"). A tool that is not installed declares nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from types import ModuleType
from typing import Any

from app.content import attached_keys, registry
from app.extensions import db
from app.inputs import id_or_none
from app.search.documents import SearchDocument


def installed() -> dict[str, ModuleType]:
    """Search kind → search module of every installed tool."""
    return {name: kind.search for name, kind in registry().searchable().items()}


def key_functions() -> dict[type, list[Callable[[Any], Iterable[str]]]]:
    """Model class → the functions giving the document keys a change to one of its rows
    affects, as the tools declare them in ``CHANGES`` (for rows that are not documents
    themselves, or whose key is not their id). Several tools may name keys for one model
    (an upload's text changes the file documents of the wiki and of the stream)."""
    functions: dict[type, list[Callable[[Any], Iterable[str]]]] = {}
    for module in installed().values():
        for model, function in getattr(module, "CHANGES", {}).items():
            functions.setdefault(model, []).append(function)
    return functions


def module_for(kind: str) -> ModuleType | None:
    declared = registry().searchable().get(kind)
    return declared.search if declared is not None else None


def model_for(kind: str) -> type | None:
    """The model class whose objects are documents of `kind`."""
    declared = registry().searchable().get(kind)
    return declared.model if declared is not None else None


def attached_to(keys: Iterable[str]) -> list[str]:
    """The keys of the documents attached to these documents' items (their comments),
    which must follow them when they move, close or go."""
    by_kind: dict[str, set[int]] = {}
    for key in keys:
        search_kind, _sep, raw_id = key.partition(":")
        declared = registry().searchable().get(search_kind)
        item_id = id_or_none(raw_id)
        if declared is not None and item_id is not None:
            by_kind.setdefault(declared.name, set()).add(item_id)
    return [key for name, ids in by_kind.items() for key in attached_keys(name, ids)]


def load(key: str) -> Any | None:
    """The object behind a document key, or None."""
    kind, _sep, raw_id = key.partition(":")
    model = model_for(kind)
    item_id = id_or_none(raw_id)
    if model is None or item_id is None:
        return None
    return db.session.get(model, item_id)


def document_for_key(key: str) -> SearchDocument | None:
    """The current document for `key`; None means: remove it from the index."""
    kind = key.partition(":")[0]
    module = module_for(kind)
    obj = load(key) if module is not None else None
    if obj is None:
        return None
    return module.document_for(obj)


def document_for_object(obj: Any) -> SearchDocument | None:
    module = module_for(getattr(type(obj), "search_kind", ""))
    return module.document_for(obj) if module is not None else None


def all_documents() -> Iterator[SearchDocument]:
    for module in installed().values():
        yield from module.all_documents()


def count() -> int:
    """How many documents a reindex will roughly write (rows of the searchable models)."""
    total = 0
    for kind, module in installed().items():
        counter = getattr(module, "count", None)
        if callable(counter):
            total += counter()
        elif (model := model_for(kind)) is not None:
            total += db.session.query(model).count()
    return total
