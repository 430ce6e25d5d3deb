"""Dates beyond what the calendar code holds are no page (404) or no filter, never a 500."""

import pytest

from tests.factories import make_blog, make_space
from tests.web import sign_in


@pytest.mark.parametrize(
    "year_month",
    ["9999/12", "10000/1", "99999999999999999999/1", "2025/13", "2025/0", "0/1", "1969/12"],
)
def test_blog_archive_month_out_of_range_is_404(client, member, year_month):
    blog = make_blog(space=make_space(members=[member]))
    sign_in(client, member)
    assert client.get(f"/blog/{blog.id}/archive/2025/3").status_code == 200
    assert client.get(f"/blog/{blog.id}/archive/{year_month}").status_code == 404


def test_blog_archive_last_possible_month_answers(client, member):
    blog = make_blog(space=make_space(members=[member]))
    sign_in(client, member)
    assert client.get(f"/blog/{blog.id}/archive/9998/12").status_code == 200


@pytest.mark.parametrize(
    "query", ["until=9999-12-31", "since=0001-01-01&until=9999-12-31", "since=9999-12-31"]
)
def test_audit_period_at_the_calendars_ends(client, admin, query):
    sign_in(client, admin)
    response = client.get(f"/admin/audit/?{query}")
    assert response.status_code == 200
    assert "Not a date" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    ["from=0001-01-01&to=9999-12-31", "to=9999-12-31", "from=9999-12-31", "from=10000-01-01"],
)
def test_search_period_at_the_calendars_ends(client, member, query):
    sign_in(client, member)
    assert client.get(f"/search?q=Antrag&{query}").status_code == 200
