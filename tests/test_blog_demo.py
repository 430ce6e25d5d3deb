"""The demo town's blogs: a project blog with an answered and an open question."""

from sqlalchemy import select

from app.blog.models import Blog, Post
from app.extensions import db
from app.social.models import Comment


def test_demo_has_a_project_blog_with_questions_and_answers(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    titles = set(db.session.scalars(select(Blog.title)))
    assert {"Projektblog E-Akte", "Aus der Bauaufsicht"} <= titles and len(titles) == 5
    questions = list(db.session.scalars(select(Comment).where(Comment.is_question)))
    assert {question.is_answered for question in questions} == {False, True}
    drafts = [post for post in db.session.scalars(select(Post)) if post.is_draft]
    assert drafts  # a draft shows what only its authors see
