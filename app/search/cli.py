"""`flask search reindex | check | worker`."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from app.search import outbox, sources
from app.search.extension import fresh_context, get_index, state
from app.search.index import IndexBusy
from app.search.schema import index_time

# Rebuild with this many indexing processes (the machine has two cores).
REINDEX_PROCESSES = 2
WORKER_IDLE_SECONDS = 1.0
# The worker merges segments after this many idle rounds following a write.
OPTIMIZE_AFTER_IDLE_ROUNDS = 30


@click.group("search", help="The search index.")
def search_cli() -> None:
    pass


@search_cli.command("reindex", help="Rebuild the index from the database (the site keeps running).")
@with_appcontext
def reindex_command() -> None:
    index = get_index()
    with fresh_context(current_app._get_current_object()):
        total = sources.count()
        with click.progressbar(length=total, label="Indexing") as bar:
            try:
                count = index.rebuild(
                    sources.all_documents(),
                    total=total,
                    progress=lambda done: bar.update(done - bar.pos),
                    processes=REINDEX_PROCESSES,
                )
            except IndexBusy as err:
                raise click.ClickException(f"{err}; try again when it is done") from err
    click.echo(f"Indexed {count} documents.")


@search_cli.command("check", help="Compare the index with the database; exit 1 on any difference.")
@with_appcontext
def check_command() -> None:
    index = get_index()
    with fresh_context(current_app._get_current_object()):
        expected = {doc.key: index_time(doc.updated) for doc in sources.all_documents()}
    stored = {key: index_time(updated) for key, updated in index.stored_keys().items()}
    problems = []
    if not index.is_current_format():
        problems.append("the index was written by an older analysis: run `flask search reindex`")
    problems += [f"missing from the index: {key}" for key in sorted(expected.keys() - stored)]
    problems += [f"not in the database: {key}" for key in sorted(stored.keys() - expected)]
    problems += [
        f"out of date: {key} (index {stored[key]:%Y-%m-%d %H:%M:%S}, "
        f"database {expected[key]:%Y-%m-%d %H:%M:%S})"
        for key in sorted(expected.keys() & stored.keys())
        if abs((expected[key] - stored[key]).total_seconds()) >= 1
    ]
    waiting = outbox.backlog()
    if waiting.oldest_age_seconds > current_app.config["HEALTH_OUTBOX_MAX_AGE_SECONDS"]:
        problems.append(
            f"the outbox holds {waiting.rows} rows; the oldest has waited "
            f"{waiting.oldest_age_seconds:.0f} s (is a search worker running?)"
        )
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        click.echo(f"{len(problems)} differences between database and index.", err=True)
        raise SystemExit(1)
    click.echo(f"Index and database agree ({len(expected)} documents).")


@search_cli.command("worker", help="Drain the search outbox continuously into the index.")
@click.option("--once", is_flag=True, help="Drain what is waiting, then stop.")
@with_appcontext
def worker_command(once: bool) -> None:
    index = get_index()
    app = current_app._get_current_object()
    idle_rounds, written = 0, False
    while True:
        prepared = state().prepare()
        while once and prepared:  # --once: everything waiting, not one round of it
            prepared = state().prepare()
        with fresh_context(app):
            delivered = sum(outbox.drain_all(index, block=True))
            waiting = outbox.pending_count()
        delivered += state().deliver_due(block=True)
        if delivered:
            click.echo(f"Delivered {delivered} changes to the index.")
            written, idle_rounds = True, 0
        if once:
            if waiting:
                click.echo(f"{waiting} changes still wait for the index.", err=True)
                raise SystemExit(1)
            return
        if not delivered:
            idle_rounds += 1
            if written and idle_rounds >= OPTIMIZE_AFTER_IDLE_ROUNDS and index.optimize():
                written = False
        time.sleep(WORKER_IDLE_SECONDS)
