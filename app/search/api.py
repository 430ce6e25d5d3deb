"""JSON API: `GET /api/v1/search` and `GET /api/v1/experts` (DESIGN.md)."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.accounts.auth import api_actor
from app.search import service
from app.search.documents import KINDS

blp = Blueprint("search_api", __name__, url_prefix="", description="Search and experts")


class SearchQuery(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=2000))
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    space = fields.Integer(load_default=None, validate=validate.Range(min=1))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100))


class FileSchema(Schema):
    name = fields.String()
    url = fields.String()


class ResultSchema(Schema):
    kind = fields.String()
    id = fields.Integer()
    title = fields.String()
    url = fields.String()
    snippet = fields.String()
    score = fields.Float()
    # Only for kind "file": the attached file the words were found in (title and url are
    # those of the page or post it is attached to). Other results keep their shape.
    file = fields.Nested(FileSchema)


class SearchAnswer(Schema):
    total = fields.Integer()
    results = fields.List(fields.Nested(ResultSchema))
    # What was searched once the question's phrasing was removed; "" when taken as typed.
    understood = fields.String()


class ExpertsQuery(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=2000))
    limit = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=service.MAX_EXPERTS)
    )


class EvidenceSchema(Schema):
    kind = fields.String()
    title = fields.String()
    url = fields.String()


class ExpertSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    score = fields.Float()
    evidence = fields.List(fields.Nested(EvidenceSchema))


class ExpertsAnswer(Schema):
    experts = fields.List(fields.Nested(ExpertSchema))


@blp.route("/search", methods=["GET"])
@blp.arguments(SearchQuery, location="query")
@blp.response(200, SearchAnswer)
def search(args: dict):
    filters = service.Filters(
        kinds=(args["kind"],) if args["kind"] else (), space=args["space"], page=args["page"]
    )
    found = service.search(api_actor(), args["q"], filters)
    return {
        "total": found.page.total,
        "results": [_result(result) for result in found.results],
        "understood": found.understood,
    }


def _result(result: service.Result) -> dict:
    answer = {
        "kind": result.hit.kind,
        "id": result.id,
        "title": result.hit.title,
        "url": result.hit.url,
        "snippet": result.hit.snippet_html,
        "score": result.hit.score,
    }
    if result.hit.file_name:
        answer["file"] = {"name": result.hit.file_name, "url": result.hit.file_url}
    return answer


@blp.route("/experts", methods=["GET"])
@blp.arguments(ExpertsQuery, location="query")
@blp.response(200, ExpertsAnswer)
def experts(args: dict):
    found = service.find_experts(api_actor(), args["q"], args["limit"])
    return {
        "experts": [
            {
                "username": expert.user.username,
                "display_name": expert.user.display_name,
                "score": expert.score,
                "evidence": [
                    {"kind": item.kind, "title": item.title, "url": item.url}
                    for item in expert.evidence
                ],
            }
            for expert in found
        ]
    }
