"""Figures for the directory: SQL statements and time per page as the organisation grows.

Run from the repository root: PYTHONPATH=. /work/main/.venv/bin/python bench/profiles.py [PEOPLE]
(prints figures; not a test)
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event

from app import create_app
from app.accounts.models import User
from app.extensions import db
from app.profiles.directory import DirectoryFilter, search_directory
from app.profiles.models import Endorsement, Language, Profile, UserSkill
from app.profiles.search import profile_evidence
from app.profiles.vocabulary import find_or_add_skill
from app.spaces.models import Space

SKILLS = ["Vergaberecht", "Haushaltsrecht", "GIS", "Baurecht", "E-Akte", "Datenschutz"]


def seed(people: int) -> list[int]:
    departments = [
        Space(
            name=f"Amt {n}", slug=f"amt-{n}", kind="department", visibility="public", description=""
        )
        for n in range(20)
    ]
    db.session.add_all(departments)
    skills = [find_or_add_skill(name) for name in SKILLS]
    db.session.flush()
    rng = random.Random(7)
    users = []
    for number in range(people):
        user = User(
            username=f"p{number}",
            email=f"p{number}@example.org",
            display_name=f"Person {number:05d}",
        )
        db.session.add(user)
        users.append(user)
    db.session.flush()
    for user in users:
        db.session.add(
            Profile(
                user_id=user.id,
                department_id=rng.choice(departments).id,
                job_title="Sachbearbeitung",
                location="Rathaus",
            )
        )
        for skill in rng.sample(skills, 3):
            db.session.add(UserSkill(user_id=user.id, skill_id=skill.id, level=rng.randint(1, 4)))
        db.session.add(
            Language(user_id=user.id, code="fr", level=rng.choice(["A2", "B1", "B2", "C1"]))
        )
    db.session.flush()
    for user in users[: people // 2]:
        other = rng.choice(users)
        if other.id != user.id:
            skill_id = db.session.scalar(
                db.select(UserSkill.skill_id).where(UserSkill.user_id == other.id).limit(1)
            )
            db.session.add(Endorsement(endorser_id=user.id, user_id=other.id, skill_id=skill_id))
    db.session.commit()
    return [user.id for user in users]


def measure(label: str, function) -> None:
    statements = []

    def record(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    started = time.perf_counter()
    try:
        function()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    elapsed = (time.perf_counter() - started) * 1000
    print(f"{label:<55} {len(statements):>3} statements {elapsed:8.1f} ms")


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "SECRET_KEY": "bench-secret-key-0123456789",
        },
        instance_path=str(folder),
    )
    with app.app_context(), app.test_request_context():
        upgrade()
        ids = seed(people)
        reader = db.session.get(User, ids[0])
        print(f"{people} people, SQLite")
        measure("directory page 1 (20 people)", lambda: search_directory(reader, DirectoryFilter()))
        measure(
            "directory, Vergaberecht 3+",
            lambda: search_directory(reader, DirectoryFilter(skill="vergaberecht", min_level=3)),
        )
        measure(
            "directory, French B2+ in one department",
            lambda: search_directory(
                reader, DirectoryFilter(language="fr", min_language_level="B2", department_id=1)
            ),
        )
        measure(
            "directory, page 40 sorted by department",
            lambda: search_directory(reader, DirectoryFilter(sort="department"), page=40),
        )
        measure("profile_evidence for 100 people", lambda: profile_evidence(ids[:100]))


if __name__ == "__main__":
    main()
