"""JSON API for wiki pages; the same service as the pages."""

from flask_smorest import Blueprint

from app.accounts.auth import api_actor
from app.restapi import PageQuery, page_envelope, per_page
from app.wiki import listings, service
from app.wiki.schemas import (
    NewPageSchema,
    PageEditSchema,
    PageListQuery,
    PageListSchema,
    PageSchema,
    RevisionListSchema,
)

blp = Blueprint("wiki_api", __name__, url_prefix="/wiki", description="Wiki pages")


@blp.route("/pages", methods=["POST"])
@blp.arguments(NewPageSchema)
@blp.response(201, PageSchema)
def create_page(data: dict):
    return service.create_page(api_actor(), service.NewPage(**data))


@blp.route("/pages", methods=["GET"])
@blp.arguments(PageListQuery, location="query")
@blp.response(200, PageListSchema)
def list_pages(args: dict):
    pages = listings.list_pages(
        api_actor(),
        space_id=args.get("space_id", args.get("space")),
        tag=args.get("tag"),
        page=args["page"],
        per_page=per_page(args["per_page"]),
    )
    return page_envelope(pages)


@blp.route("/pages/<int:page_id>", methods=["GET"])
@blp.response(200, PageSchema)
def get_page(page_id: int):
    return service.get_page(api_actor(), page_id)


@blp.route("/pages/<int:page_id>", methods=["PUT"])
@blp.arguments(PageEditSchema)
@blp.response(200, PageSchema)
@blp.alt_response(409, description="base_revision is not the latest revision")
def update_page(data: dict, page_id: int):
    """Save a new revision; ``space_id`` and ``parent_id`` move the page (null: to the
    global wiki, to the top). A stale ``base_revision`` answers 409: fetch, merge, retry."""
    actor = api_actor()
    page = service.get_page(actor, page_id)
    edit = service.PageEdit(
        title=data.get("title", page.title),
        body=data["body"],
        base_revision=data["base_revision"],
        tags=data.get("tags", page.tags),
        parent_id=data.get("parent_id", page.parent_id),
        space_id=data.get("space_id", page.space_id),
        comment=data["comment"],
    )
    return service.update_page(actor, page, edit, merge=False).page


@blp.route("/pages/<int:page_id>/revisions", methods=["GET"])
@blp.arguments(PageQuery, location="query")
@blp.response(200, RevisionListSchema)
def list_revisions(args: dict, page_id: int):
    actor = api_actor()
    page = service.get_page(actor, page_id)
    revisions = listings.history(
        actor, page, number=args["page"], per_page=per_page(args["per_page"])
    )
    return page_envelope(revisions)


@blp.route("/pages/<int:page_id>", methods=["DELETE"])
@blp.response(204)
def delete_page(page_id: int):
    actor = api_actor()
    service.delete_page(actor, service.get_page(actor, page_id))
