"""A lively stream for Musterstadt: a pinned announcement, questions with replies, mentions,
hashtags and likes."""

from __future__ import annotations

from datetime import timedelta

from app.clock import utcnow
from app.demo.organisation import DemoOrganisation
from app.extensions import db
from app.microblog import service
from app.social import service as social

# (key, author, space key or None, reply-to key or None, minutes ago, text)
POSTS = (
    (
        "rohrbruch",
        "admin",
        None,
        None,
        95,
        "**Rohrbruch im Rathaus:** Eingang B ist bis auf Weiteres gesperrt. Bitte nutzen Sie "
        "Eingang A am Marktplatz; Besuchende im #Bürgerbüro werden dort empfangen.",
    ),
    (
        "eakte-frage",
        "thomas.becker",
        "e-akte",
        None,
        240,
        "Kurze Frage zur #E-Akte: Wie legen wir Bauanträge mit mehreren Beteiligten an? "
        "@anna.schmidt, gibt es dafür schon eine Vorlage?",
    ),
    (
        "eakte-antwort",
        "anna.schmidt",
        "e-akte",
        "eakte-frage",
        225,
        "Ja, die Vorlage „Vorgang mit Beteiligten“ ist seit Montag freigeschaltet. "
        "@katrin.wolf hat sie mit der Kämmerei abgestimmt.",
    ),
    (
        "eakte-danke",
        "thomas.becker",
        "e-akte",
        "eakte-antwort",
        210,
        "Danke, das hilft uns in der Bauaufsicht sehr!",
    ),
    (
        "oepnv",
        "lukas.braun",
        None,
        None,
        180,
        "Ab Dezember fährt die Linie 5 im 10-Minuten-Takt bis zum Gewerbegebiet. "
        "Gut für alle, die mit dem #ÖPNV zum Bauhof kommen.",
    ),
    (
        "oepnv-frage",
        "julia.koch",
        None,
        "oepnv",
        170,
        "Gilt das auch am Wochenende? @lukas.braun",
    ),
    (
        "oepnv-antwort",
        "lukas.braun",
        None,
        "oepnv-frage",
        160,
        "Samstags ja, sonntags bleibt es beim 20-Minuten-Takt.",
    ),
    (
        "buergerbuero",
        "aylin.demir",
        "ordnungsamt",
        None,
        120,
        "Im #Bürgerbüro sind heute Nachmittag zwei Schalter wegen Fortbildung geschlossen. "
        "Wartezeit bitte großzügig einplanen.",
    ),
    (
        "stammtisch",
        "mehmet.yilmaz",
        "stammtisch",
        None,
        60,
        "Digital-Stammtisch am Donnerstag: Tastenkürzel, die Zeit sparen. Wer zeigt seine "
        "liebsten? #Tipps",
    ),
    (
        "vergabe",
        "jonas.weber",
        None,
        None,
        30,
        "Wer kennt sich mit dem Vergaberecht bei Softwarelizenzen aus? Wir brauchen für die "
        "#E-Akte eine Einschätzung bis Freitag.",
    ),
    (
        "vergabe-antwort",
        "michael.schulz",
        None,
        "vergabe",
        20,
        "@jonas.weber Unterhalb der Schwellenwerte reicht die Verfahrensart aus der UVgO; "
        "ich schicke Ihnen die Checkliste.",
    ),
)

LIKES = {
    "rohrbruch": ("anna.schmidt", "jonas.weber", "sabine.mueller", "stefan.richter"),
    "eakte-antwort": ("thomas.becker", "lena.hoffmann"),
    "oepnv": ("julia.koch", "maria.klein", "frank.neumann"),
    "vergabe-antwort": ("jonas.weber",),
    "buergerbuero": ("stefan.richter",),
}


def seed(demo: DemoOrganisation) -> None:
    """Create the stream of the demo town through the service."""
    now = utcnow()
    created = {}
    for key, author, space_key, reply_key, minutes_ago, text in POSTS:
        space = demo.spaces[space_key] if space_key else None
        new = service.NewPost(
            body=text,
            space_id=space.id if space and reply_key is None else None,
            reply_to=created[reply_key].id if reply_key else None,
        )
        created[key] = service.create_post(demo.people[author], new)
        # A stream written in one second looks dead: spread the posts over the morning.
        created[key].created_at = now - timedelta(minutes=minutes_ago)
    db.session.commit()
    service.pin_post(demo.admin, created["rohrbruch"].id)
    for key, usernames in LIKES.items():
        for username in usernames:
            social.like(demo.people[username], f"micropost:{created[key].id}")
