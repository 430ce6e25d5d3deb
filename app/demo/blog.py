"""Demo blogs: the project blog of "Einführung E-Akte" with questions and answers, and a
department blog of the Bauaufsicht."""

from __future__ import annotations

from datetime import timedelta

from app.blog import service as blog
from app.clock import utcnow
from app.demo.organisation import DemoOrganisation
from app.social import service as social

E_AKTE_POSTS = (
    (
        "anna.schmidt",
        "Startschuss für die E-Akte",
        "Liebe Kolleginnen und Kollegen,\n\nab heute begleitet dieser Blog die **Einführung der "
        "elektronischen Akte**. Wir berichten hier regelmäßig über den Stand, die nächsten "
        "Schritte und beantworten Ihre Fragen.\n\n## Der Zeitplan\n\n1. Pilot im Hauptamt\n"
        "2. Bauamt und Kämmerei\n3. alle übrigen Ämter bis Ende 2027\n\n"
        "Stellen Sie Ihre Fragen gern als Kommentar — markieren Sie ihn als *Frage*. #e-akte",
        ("e-akte", "projekt"),
        40,
    ),
    (
        "jonas.weber",
        "Scannen im Pilotamt: die ersten Erfahrungen",
        "Seit drei Wochen scannt die Poststelle des Hauptamts alle Eingänge. Ein paar "
        "Erkenntnisse:\n\n- Heftklammern vorher entfernen spart Zeit.\n- Farbige Formulare "
        "brauchen die Einstellung *Farbe*.\n- Das Scanhandbuch steht im Wiki: [[Scanhandbuch]]."
        "\n\nFragen bitte in die Kommentare! #scannen #e-akte",
        ("scannen",),
        12,
    ),
    (
        "anna.schmidt",
        "Schulungstermine im Frühjahr",
        "Die Schulungen zur E-Akte finden im Schulungsraum 2.14 statt. Bitte melden Sie sich "
        "über Ihre Amtsleitung an. Jede Schulung dauert drei Stunden. #schulung",
        ("schulung", "e-akte"),
        3,
    ),
)


def seed(demo: DemoOrganisation) -> None:
    """Create the demo blogs, posts, questions and answers."""
    people = demo.people
    now = utcnow()
    lead = people["anna.schmidt"]
    project = blog.create_blog(
        lead,
        blog.NewBlog(
            "Projektblog E-Akte",
            "Neuigkeiten, Termine und Ihre Fragen zur Einführung der elektronischen Akte.",
            demo.spaces["e-akte"].id,
        ),
    )
    blog.name_author(lead, project, "jonas.weber")
    posts = []
    for username, title, body, tags, days_ago in E_AKTE_POSTS:
        posts.append(
            blog.write_post(
                people[username],
                project,
                blog.PostDraft(title, body, "published", now - timedelta(days=days_ago), tags),
            )
        )
    blog.write_post(
        lead,
        project,
        blog.PostDraft(
            "Entwurf: Rollout im Bauamt",
            "Noch nicht abgestimmt: der Rollout im Bauamt beginnt voraussichtlich im Mai.",
            "draft",
        ),
    )
    scanning = f"blog_post:{posts[1].id}"
    question = social.add_comment(
        people["katrin.wolf"],
        social.NewComment(
            scanning, "Werden auch alte Akten aus dem Keller gescannt?", is_question=True
        ),
    )
    answer = social.add_comment(
        people["jonas.weber"],
        social.NewComment(
            scanning,
            "Nein, nur laufende Vorgänge. Altakten werden bei Bedarf gescannt.",
            parent_id=question.id,
        ),
    )
    social.mark_answer(people["jonas.weber"], answer.id)
    social.add_comment(
        people["thomas.becker"],
        social.NewComment(
            f"blog_post:{posts[2].id}",
            "Gibt es auch einen Termin am Nachmittag für Teilzeitkräfte?",
            is_question=True,
        ),
    )
    social.like(people["stefan.richter"], f"blog_post:{posts[0].id}")
    social.like(people["katrin.wolf"], f"blog_post:{posts[0].id}")
    social.follow(people["katrin.wolf"], f"blog:{project.id}")

    department = blog.create_blog(
        demo.admin,
        blog.NewBlog(
            "Aus der Bauaufsicht",
            "Praxiswissen rund um Baugenehmigungen.",
            demo.spaces["bauaufsicht"].id,
        ),
    )
    blog.name_author(demo.admin, department, "thomas.becker")
    blog.write_post(
        people["thomas.becker"],
        department,
        blog.PostDraft(
            "So prüfen wir Bauanträge schneller",
            "Mit einer Checkliste für die Vollständigkeitsprüfung haben wir die Bearbeitungszeit "
            "um zwei Wochen verkürzt. Die Checkliste teilen wir gern. #baugenehmigung",
            "published",
            now - timedelta(days=8),
            ("baugenehmigung",),
        ),
    )
