"""Which tool describes which kind of search document: the explicit table of sources.

Each tool's ``search`` module offers ``document_for(obj) -> SearchDocument | None`` (None:
not to be indexed any more) and ``all_documents() -> Iterator[SearchDocument]``; optionally
``MODEL`` (the class to load by id; otherwise the model whose ``search_kind`` is the kind),
``count() -> int`` (for the reindex progress bar) and ``CHANGES`` ({model class: obj ->
document keys} for rows that change documents other than "<search_kind>:<id>"). A tool
that is not installed is skipped; a real import error inside an installed tool is raised.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Iterator
from types import ModuleType
from typing import Any

from app.extensions import db
from app.inputs import id_or_none
from app.search.documents import SearchDocument

SOURCES = {
    "wiki": "app.wiki.search",
    "blog": "app.blog.search",
    "micro": "app.microblog.search",
    "comment": "app.social.search",
    "profile": "app.profiles.search",
}


@functools.cache
def _import(module_name: str) -> ModuleType | None:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name != module_name and not module_name.startswith(f"{err.name}."):
            raise  # something the installed tool imports is missing: a real error
        return None


def installed() -> dict[str, ModuleType]:
    """Kind → search module of every installed tool."""
    modules = {kind: _import(name) for kind, name in SOURCES.items()}
    return {kind: module for kind, module in modules.items() if module is not None}


def key_functions() -> dict[type, Callable[[Any], Iterable[str]]]:
    """Model class → the document keys a change to one of its rows affects, as the tools
    declare them in ``CHANGES`` (for rows that are not documents themselves, or whose key
    is not their id)."""
    functions: dict[type, Callable[[Any], Iterable[str]]] = {}
    for module in installed().values():
        functions.update(getattr(module, "CHANGES", {}))
    return functions


def module_for(kind: str) -> ModuleType | None:
    name = SOURCES.get(kind)
    return _import(name) if name else None


def model_for(kind: str) -> type | None:
    """The model class whose objects are documents of `kind`."""
    module = module_for(kind)
    model = getattr(module, "MODEL", None) if module is not None else None
    if model is not None:
        return model
    for mapper in db.Model.registry.mappers:
        if getattr(mapper.class_, "search_kind", None) == kind:
            return mapper.class_
    return None


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
