"""Absolute links come from PUBLIC_URL (or hosts Flask checked against TRUSTED_HOSTS), never
from the Host header an attacker sends."""

from __future__ import annotations

from xml.etree import ElementTree

from app.blog import service as blog_service
from app.urls import absolute
from tests.factories import make_blog, make_post, make_user
from tests.web import sign_in

ATOM = "{http://www.w3.org/2005/Atom}"
EVIL = {"Host": "evil.example"}


def feed_links(response) -> list[str]:
    feed = ElementTree.fromstring(response.data)
    links = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    links += [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
    links.append(feed.findtext(f"{ATOM}entry/{ATOM}content") or "")
    return links


def test_a_feed_fetched_with_a_forged_host_links_to_the_public_url(app, client):
    app.config["PUBLIC_URL"] = "https://intranet.example"
    author = make_user("autor")
    make_post(make_blog("Amt", owner=author), author, "Neu", body="Siehe [[Handbuch]]")
    token = blog_service.feed_token(author)
    response = client.get(f"/blog/feeds/{token}/all.atom", headers=EVIL)
    assert response.status_code == 200
    links = feed_links(response)
    assert not any("evil.example" in link for link in links)
    assert any(link.startswith("https://intranet.example/blog/posts/") for link in links)


def test_without_public_url_a_forged_host_never_reaches_the_links(app, client, member):
    make_post(make_blog("Amt", owner=member), member, "Neu")
    token = blog_service.feed_token(member)
    response = client.get(f"/blog/feeds/{token}/all.atom", headers=EVIL)
    assert not any("evil.example" in link for link in feed_links(response))
    sign_in(client, member)
    page = client.get("/settings/feeds", headers=EVIL).get_data(as_text=True)
    assert "evil.example" not in page
    vcard = client.get("/people/mia.vcf", headers=EVIL).get_data(as_text=True)
    assert "evil.example" not in vcard


def test_trusted_hosts_admit_the_request_host_and_refuse_others(app, client, member):
    app.config["TRUSTED_HOSTS"] = ["intranet.example"]
    token = blog_service.feed_token(member)
    make_post(make_blog("Amt", owner=member), member, "Neu")
    assert client.get(f"/blog/feeds/{token}/all.atom", headers=EVIL).status_code == 400
    response = client.get(f"/blog/feeds/{token}/all.atom", headers={"Host": "intranet.example"})
    assert any(link.startswith("http://intranet.example/") for link in feed_links(response))


def test_email_links_ignore_the_request_host(app):
    with app.test_request_context("/", headers=EVIL):
        assert absolute("/wiki/pages/1") == "http://localhost/wiki/pages/1"
        app.config["PUBLIC_URL"] = "https://intranet.example"
        assert absolute("/wiki/pages/1") == "https://intranet.example/wiki/pages/1"
