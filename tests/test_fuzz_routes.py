"""Random Unicode against every route: no 5xx, and API errors always in JSON.

The routes come from the app's url_map and the JSON fields from the OpenAPI document, so a
new route is covered without touching this test. Values are what breaks naive parsing:
digits of other scripts, lone surrogates, control and combining characters, signs, numbers
beyond any column, very long strings. Bounded: a few hundred requests in all.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_blog, make_micropost, make_page, make_post, make_space, make_token
from tests.web import csrf_token, sign_in

ODD_VALUES = [
    *("²", "٣", "４", "߁", "0", "-1", "+1", "1_000", " 7", "1e3", "99999999999999999999"),
    *("\ud800", "\udfff x", "\x00", "\x1b[31m", "e\u0301", "\u202etxt", "\ufeff", "\u00a0"),
    *("", " ", "null", "[]", "{}", "..", "../../etc", "<script>alert(1)</script>", "%", "%%"),
    *("micropost:²", "wiki_page:٣", "blog_post:-1", "space:\ud800", "user:", "tag:#"),
    *("all", "following", "space:1", "tag:x", "person:mia", "2026-02-30", "9999-12-31"),
    "x" * 20_000,
]
text = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=40),  # any code point, surrogates and controls included
    st.text(st.characters(categories=["Nd", "No", "Mn", "Cc", "Cf", "Zs"]), max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
json_value = st.one_of(
    text,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([None, True, 1.5, [], {}, ["\ud800"], {"a": "²"}]),
)
# Query parameters the pages and the API read, plus whatever the OpenAPI document names.
QUERY_NAMES = [
    *("page", "per_page", "space", "space_id", "q", "target", "stream", "since", "cursor"),
    *("tag", "from", "to", "mode", "kind", "next", "author", "person", "skill", "min_level"),
    *("language", "department", "unread", "limit", "title", "parent_id", "template", "days"),
]
FORM_NAMES = [*QUERY_NAMES, "body", "id", "reply_to", "space_id", "name", "username", "go"]
# Routes that end the fuzzer's own session or need a browser's file upload.
SKIPPED = {"static", "bootstrap.static", "accounts.logout", "accounts.sign_out_everywhere"}


def _encode(value: str) -> str:
    # Lone surrogates cannot be UTF-8: send their bytes as a broken client would.
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


@pytest.fixture
def world(app, client, member):
    """A small world to aim at, and the routes to fuzz."""
    space = make_space("Amt", members=[member])
    page = make_page("Seite", author=member, space=space)
    blog = make_blog("Blog", owner=member)
    make_post(blog, member, "Beitrag")
    make_micropost(member, "Hallo #welt")
    sign_in(client, member)
    token = make_token(member)
    form_token = csrf_token(client)
    openapi = client.get("/api/v1/openapi.json").get_json()
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in SKIPPED and not rule.endpoint.endswith(".static")
    ]
    return {
        "rules": rules,
        "ids": [space.id, page.id, blog.id, 1, member.id],
        "token": token,
        "csrf": form_token,
        "openapi": openapi,
    }


def _body_fields(openapi: dict, path: str, method: str) -> list[str]:
    operation = openapi["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    schema = openapi.get("components", {}).get("schemas", {}).get(ref.rpartition("/")[2], {})
    return list(schema.get("properties", {}))


def _openapi_path(rule) -> str:
    path = rule.rule
    for argument in rule.arguments:
        path = path.replace(f"<int:{argument}>", f"{{{argument}}}")
        path = path.replace(f"<{argument}>", f"{{{argument}}}")
    return path


def _send(client, world, rule, method, value_of):
    """One request to ``rule`` with ``value_of(slot_name)`` in every path parameter, query
    parameter and form or JSON field; asserts no 5xx and JSON errors from the API."""
    path = rule.rule
    for argument in rule.arguments:
        value = _encode(str(value_of(argument)))
        path = path.replace(f"<int:{argument}>", value).replace(f"<{argument}>", value)
    is_api = rule.rule.startswith("/api/v1/")
    names = QUERY_NAMES
    query = "&".join(f"{name}={_encode(str(value_of(name)))}" for name in names)
    kwargs: dict = {"headers": {"Authorization": f"Bearer {world['token']}"} if is_api else {}}
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        if is_api:
            fields = _body_fields(world["openapi"], _openapi_path(rule), method)
            # ensure_ascii: lone surrogates travel as "\ud800", as JSON allows
            kwargs["data"] = json.dumps({name: value_of(name) for name in fields})
            kwargs["content_type"] = "application/json"
        else:
            form = "&".join(f"{n}={_encode(str(value_of(n)))}" for n in FORM_NAMES)
            kwargs["data"] = f"csrf_token={world['csrf']}&{form}"
            kwargs["content_type"] = "application/x-www-form-urlencoded"
    response = client.open(f"{path}?{query}", method=method, **kwargs)
    assert response.status_code < 500, (method, path, query[:200], response.status_code)
    if is_api and response.status_code >= 400:
        assert response.is_json, (method, path, response.status_code, response.mimetype)


def _targets(value: str) -> str:
    return f"micropost:{value}"


# Each sweep puts one kind of trouble into every slot of every route at once.
SWEEPS = {
    "digits of other scripts": lambda name: _targets("²") if name == "target" else "²",
    "Arabic-Indic digits": lambda name: _targets("٣٣") if name == "target" else "٣٣",
    "lone surrogates": lambda name: _targets("\ud800") if name == "target" else "a\ud800",
    "beyond any column": lambda name: (
        _targets("99999999999999999999") if name == "target" else "99999999999999999999"
    ),
    "very long": lambda name: "x" * 20_000,
}


def test_every_route_survives_each_sweep(client, world):
    for rule in world["rules"]:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for value_of in SWEEPS.values():
                _send(client, world, rule, method, value_of)


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_route_answers_5xx_to_random_input(client, world, data):
    rule = data.draw(st.sampled_from(world["rules"]), label="route")
    method = data.draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})), label="method")
    real_id = st.sampled_from(world["ids"]).map(str)
    drawn: dict[str, object] = {}

    def value_of(name: str):
        if name not in drawn:
            strategy = json_value if rule.rule.startswith("/api/v1/") else text
            drawn[name] = data.draw(st.one_of(real_id, strategy), label=name)
        return drawn[name]

    _send(client, world, rule, method, value_of)
