"""JSON API for profiles, skills and endorsements."""

from flask_smorest import Blueprint

from app.accounts import service as accounts
from app.accounts.auth import api_actor
from app.profiles import directory, endorsements, service, vocabulary
from app.profiles.schemas import (
    EndorsementSchema,
    MergeSchema,
    ProfileEditSchema,
    ProfileListQuery,
    ProfileListSchema,
    ProfileSchema,
    SkillListSchema,
    SkillQuery,
    SkillSchema,
)
from app.restapi import page_envelope, per_page

blp = Blueprint("profiles_api", __name__, url_prefix="/profiles", description="Profiles")
skills_blp = Blueprint("skills_api", __name__, url_prefix="/skills", description="Skills")


@blp.route("", methods=["GET"])
@blp.arguments(ProfileListQuery, location="query")
@blp.response(200, ProfileListSchema)
def list_profiles(args: dict):
    wanted = directory.DirectoryFilter(
        q=args["q"],
        skill=args["skill"],
        min_level=args.get("min_level"),
        language=args["language"],
        min_language_level=args.get("min_language_level"),
        department_id=args.get("department"),
        location=args["location"],
        include_former=args["include_former"],
        sort=args["sort"],
    )
    found = directory.search_directory(
        api_actor(), wanted, page=args["page"], per_page=per_page(args["per_page"])
    )
    return {**page_envelope(found.pagination), "items": found.people}


@blp.route("/<username>", methods=["GET"])
@blp.response(200, ProfileSchema)
def get_profile(username: str):
    return service.get_person(api_actor(), username)


@blp.route("/<username>", methods=["PUT"])
@blp.arguments(ProfileEditSchema)
@blp.response(200, ProfileSchema)
def update_profile(data: dict, username: str):
    actor = api_actor()
    person = accounts.get_user_by_username(actor, username)
    skills = data.get("skills")
    languages = data.get("languages")
    trainings = data.get("trainings")
    edit = service.ProfileEdit(
        display_name=data.get("display_name"),
        job_title=data.get("title"),
        department_id=(data["department_id"] or 0) if "department_id" in data else None,
        location=data.get("location"),
        phone=data.get("phone"),
        about=data.get("about"),
        ask_me_about=data.get("ask_me_about"),
        skills=None if skills is None else tuple(service.SkillEntry(**s) for s in skills),
        languages=None
        if languages is None
        else tuple(service.LanguageEntry(**entry) for entry in languages),
        trainings=None
        if trainings is None
        else tuple(service.TrainingEntry(**entry) for entry in trainings),
        projects=None if data.get("projects") is None else tuple(data["projects"]),
    )
    service.update_profile(actor, person, edit)
    return service.get_person(actor, username)


@blp.route("/<username>/skills/<path:skill>/endorsements", methods=["POST"])
@blp.response(201, EndorsementSchema)
def endorse(username: str, skill: str):
    actor = api_actor()
    return endorsements.endorse(actor, accounts.get_user_by_username(actor, username), skill)


@blp.route("/<username>/skills/<path:skill>/endorsements", methods=["DELETE"])
@blp.response(204)
def withdraw_endorsement(username: str, skill: str):
    actor = api_actor()
    endorsements.withdraw_endorsement(actor, accounts.get_user_by_username(actor, username), skill)


@skills_blp.route("", methods=["GET"])
@skills_blp.arguments(SkillQuery, location="query")
@skills_blp.response(200, SkillListSchema)
def list_skills(args: dict):
    found = vocabulary.suggest_skills(api_actor(), args["q"])
    return {"total": len(found), "items": found}


@skills_blp.route("/<int:skill_id>/merge", methods=["POST"])
@skills_blp.arguments(MergeSchema)
@skills_blp.response(200, SkillSchema)
def merge_skill(data: dict, skill_id: int):
    actor = api_actor()
    source = vocabulary.get_skill(actor, skill_id)
    target = vocabulary.get_skill(actor, data["into"])
    return vocabulary.merge_skills(actor, source, target)
