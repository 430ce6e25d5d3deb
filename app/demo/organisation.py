"""People and spaces of the demo town, Musterstadt."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts import service as accounts
from app.accounts.models import User
from app.extensions import db
from app.spaces import service as spaces
from app.spaces.models import Space

ADMIN_USERNAME = "admin"

# username, display name, department
PEOPLE = (
    ("admin", "Petra Administratorin", "hauptamt"),
    ("anna.schmidt", "Anna Schmidt", "hauptamt"),
    ("jonas.weber", "Jonas Weber", "hauptamt"),
    ("mehmet.yilmaz", "Mehmet Yılmaz", "bauamt"),
    ("sabine.mueller", "Sabine Müller", "bauamt"),
    ("thomas.becker", "Thomas Becker", "bauaufsicht"),
    ("lena.hoffmann", "Lena Hoffmann", "bauaufsicht"),
    ("katrin.wolf", "Katrin Wolf", "kaemmerei"),
    ("michael.schulz", "Michael Schulz", "kaemmerei"),
    ("julia.koch", "Julia Koch", "kaemmerei"),
    ("stefan.richter", "Stefan Richter", "ordnungsamt"),
    ("aylin.demir", "Aylin Demir", "ordnungsamt"),
    ("frank.neumann", "Frank Neumann", "ordnungsamt"),
    ("maria.klein", "Maria Klein", "hauptamt"),
    ("lukas.braun", "Lukas Braun", "bauamt"),
    # The wider town hall: a directory worth searching (profiles in app/demo/town.py).
    ("claudia.fischer", "Claudia Fischer", "hauptamt"),
    ("tobias.wagner", "Tobias Wagner", "hauptamt"),
    ("nina.schaefer", "Nina Schäfer", "hauptamt"),
    ("daniel.meyer", "Daniel Meyer", "hauptamt"),
    ("fatma.arslan", "Fatma Arslan", "hauptamt"),
    ("peter.krueger", "Peter Krüger", "bauamt"),
    ("sandra.lange", "Sandra Lange", "bauamt"),
    ("markus.zimmermann", "Markus Zimmermann", "bauamt"),
    ("jana.schmitt", "Jana Schmitt", "bauaufsicht"),
    ("oliver.hartmann", "Oliver Hartmann", "bauaufsicht"),
    ("birgit.werner", "Birgit Werner", "kaemmerei"),
    ("christian.lehmann", "Christian Lehmann", "kaemmerei"),
    ("sophie.krause", "Sophie Krause", "kaemmerei"),
    ("andreas.schmid", "Andreas Schmid", "kaemmerei"),
    ("elena.popescu", "Elena Popescu", "ordnungsamt"),
    ("kevin.schulte", "Kevin Schulte", "ordnungsamt"),
    ("monika.vogel", "Monika Vogel", "ordnungsamt"),
    ("ralf.keller", "Ralf Keller", "ordnungsamt"),
    ("ines.frank", "Ines Frank", "standesamt"),
    ("heike.berger", "Heike Berger", "standesamt"),
    ("yusuf.kaya", "Yusuf Kaya", "standesamt"),
    ("uwe.hahn", "Uwe Hahn", "bauhof"),
    ("dennis.schroeder", "Dennis Schröder", "bauhof"),
    ("marco.roth", "Marco Roth", "bauhof"),
    ("svenja.beck", "Svenja Beck", "bauhof"),
    ("paul.jung", "Paul Jung", "bauhof"),
    ("lisa.otto", "Lisa Otto", "hauptamt"),
)

# key, name, kind, visibility, description, parent key
SPACES = (
    (
        "hauptamt",
        "Hauptamt",
        "department",
        "public",
        "Organisation, Personal und IT der Stadtverwaltung.",
        None,
    ),
    ("bauamt", "Bauamt", "department", "public", "Stadtplanung, Hochbau und Tiefbau.", None),
    (
        "bauaufsicht",
        "Bauaufsicht",
        "department",
        "public",
        "Baugenehmigungen und Bauüberwachung.",
        "bauamt",
    ),
    ("kaemmerei", "Kämmerei", "department", "public", "Haushalt, Kasse und Steuern.", None),
    (
        "bauhof",
        "Bauhof",
        "department",
        "public",
        "Grünpflege, Winterdienst, Straßen und Spielplätze.",
        "bauamt",
    ),
    (
        "ordnungsamt",
        "Ordnungsamt",
        "department",
        "public",
        "Öffentliche Sicherheit, Gewerbe und Bürgerbüro.",
        None,
    ),
    (
        "standesamt",
        "Standesamt",
        "department",
        "public",
        "Geburten, Eheschließungen, Sterbefälle und Namensrecht.",
        "ordnungsamt",
    ),
    (
        "e-akte",
        "Einführung E-Akte",
        "project",
        "public",
        "Wir führen bis Ende 2027 die elektronische Akte in allen Ämtern ein.",
        None,
    ),
    (
        "buergerservice",
        "Digitalisierung Bürgerservice",
        "project",
        "members",
        "Online-Dienste nach dem Onlinezugangsgesetz: Planung und Umsetzung.",
        None,
    ),
    (
        "stammtisch",
        "Digital-Stammtisch",
        "community",
        "public",
        "Austausch über Werkzeuge, Tipps und Fragen rund ums digitale Arbeiten.",
        None,
    ),
)

# Who belongs to the project and community spaces (the first one named owns it).
EXTRA_MEMBERS = {
    "e-akte": ("anna.schmidt", "jonas.weber", "katrin.wolf", "thomas.becker", "stefan.richter"),
    "buergerservice": ("jonas.weber", "aylin.demir", "maria.klein", "michael.schulz"),
    "stammtisch": ("lukas.braun", "anna.schmidt", "julia.koch", "mehmet.yilmaz", "lena.hoffmann"),
}


@dataclass
class DemoOrganisation:
    people: dict[str, User]
    spaces: dict[str, Space]

    @property
    def admin(self) -> User:
        return self.people[ADMIN_USERNAME]


def is_seeded() -> bool:
    return db.session.scalar(select(User.id).where(User.username == ADMIN_USERNAME)) is not None


def load() -> DemoOrganisation:
    """The demo organisation as already stored."""
    people = {
        user.username: user
        for user in db.session.scalars(
            select(User).where(User.username.in_([p[0] for p in PEOPLE]))
        )
    }
    names = {name for _key, name, *_rest in SPACES}
    by_name = {s.name: s for s in db.session.scalars(select(Space).where(Space.name.in_(names)))}
    spaces_by_key = {key: by_name[name] for key, name, *_rest in SPACES if name in by_name}
    return DemoOrganisation(people=people, spaces=spaces_by_key)


def seed(password: str) -> DemoOrganisation:
    """Create the people and spaces of the demo town, all with ``password``."""
    people: dict[str, User] = {}
    for username, display_name, _department in PEOPLE:
        people[username] = accounts.create_user(
            None,
            accounts.NewUser(
                username=username,
                email=f"{username}@musterstadt.example",
                display_name=display_name,
                password=password,
                is_admin=username == ADMIN_USERNAME,
            ),
        )
    admin = people[ADMIN_USERNAME]
    created: dict[str, Space] = {}
    for key, name, kind, visibility, description, parent in SPACES:
        owner = admin if kind == "department" else people[EXTRA_MEMBERS[key][0]]
        created[key] = spaces.create_space(
            owner,
            spaces.NewSpace(
                name=name,
                kind=kind,
                visibility=visibility,
                description=description,
                parent_id=created[parent].id if parent else None,
            ),
        )
    for username, _name, department in PEOPLE:
        if username != ADMIN_USERNAME:
            spaces.add_member(admin, created[department], username)
    for key, usernames in EXTRA_MEMBERS.items():
        owner = people[usernames[0]]
        for username in usernames[1:]:
            spaces.add_member(owner, created[key], username)
    return DemoOrganisation(people=people, spaces=created)
