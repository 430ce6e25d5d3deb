from flask import url_for
from marshmallow import Schema, fields, validate

from app.profiles.avatars import LARGE, SMALL
from app.profiles.models import LANGUAGE_LEVELS, MAX_SKILL_LEVEL, MIN_SKILL_LEVEL
from app.profiles.vocabulary import MAX_SKILL_NAME
from app.restapi import UtcDateTime


class SkillInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=MAX_SKILL_NAME))
    level = fields.Integer(
        required=True, validate=validate.Range(min=MIN_SKILL_LEVEL, max=MAX_SKILL_LEVEL)
    )


class LanguageInSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(equal=2))
    level = fields.String(required=True, validate=validate.OneOf(LANGUAGE_LEVELS))


class TrainingInSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    provider = fields.String(load_default="", validate=validate.Length(max=200))
    completed_on = fields.Date(load_default=None, allow_none=True)


class ProfileEditSchema(Schema):
    display_name = fields.String(validate=validate.Length(max=120))
    title = fields.String(validate=validate.Length(max=120))
    department_id = fields.Integer(allow_none=True)
    location = fields.String(validate=validate.Length(max=120))
    phone = fields.String(validate=validate.Length(max=60))
    about = fields.String(validate=validate.Length(max=10_000))
    ask_me_about = fields.String(validate=validate.Length(max=500))
    skills = fields.List(fields.Nested(SkillInSchema), validate=validate.Length(max=50))
    languages = fields.List(fields.Nested(LanguageInSchema), validate=validate.Length(max=20))
    trainings = fields.List(fields.Nested(TrainingInSchema), validate=validate.Length(max=50))
    projects = fields.List(
        fields.String(validate=validate.Length(max=200)), validate=validate.Length(max=20)
    )


class HeldSkillSchema(Schema):
    name = fields.Function(lambda held: held.skill.name)
    id = fields.Function(lambda held: held.skill.id)
    level = fields.Integer()
    level_name = fields.String()
    endorsements = fields.Integer(attribute="endorsement_count")
    endorsed_by = fields.Function(lambda held: [user.username for user in held.endorsers])


class LanguageSchema(Schema):
    code = fields.String()
    level = fields.String()


class TrainingSchema(Schema):
    title = fields.String()
    provider = fields.String()
    completed_on = fields.Date(allow_none=True)


def _avatar_urls(person) -> dict | None:
    if not person.avatar_hash:
        return None
    return {
        str(size): url_for("profiles.avatar", avatar_hash=person.avatar_hash, size=size)
        for size in (LARGE, SMALL)
    }


class ProfileSchema(Schema):
    username = fields.Function(lambda person: person.user.username)
    display_name = fields.Function(lambda person: person.user.display_name)
    email = fields.Function(lambda person: person.user.email)
    former = fields.Function(lambda person: person.user.is_former)
    title = fields.String(attribute="job_title")
    department = fields.Function(
        lambda person: (
            {"id": person.department.id, "name": person.department.name}
            if person.department
            else None
        )
    )
    location = fields.String()
    phone = fields.String()
    about = fields.String()
    about_html = fields.String()
    ask_me_about = fields.String()
    skills = fields.List(fields.Nested(HeldSkillSchema))
    languages = fields.List(fields.Nested(LanguageSchema))
    trainings = fields.List(fields.Nested(TrainingSchema))
    projects = fields.List(fields.String())
    avatar = fields.Function(_avatar_urls)
    url = fields.Function(
        lambda person: url_for("profiles.show_profile", username=person.user.username)
    )


class ProfileListQuery(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    skill = fields.String(load_default="", validate=validate.Length(max=200))
    min_level = fields.Integer(validate=validate.Range(min=MIN_SKILL_LEVEL, max=MAX_SKILL_LEVEL))
    language = fields.String(load_default="", validate=validate.Length(max=2))
    min_language_level = fields.String(validate=validate.OneOf(LANGUAGE_LEVELS))
    department = fields.Integer()
    location = fields.String(load_default="", validate=validate.Length(max=200))
    include_former = fields.Boolean(load_default=False)
    sort = fields.String(load_default="name", validate=validate.OneOf(["name", "department"]))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100))


class ProfileListSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(ProfileSchema))


class SkillQuery(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100))


class SkillSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    slug = fields.String()
    aliases = fields.Function(lambda skill: [alias.name for alias in skill.aliases])
    url = fields.Function(lambda skill: url_for("profiles.show_skill", skill_ref=skill.slug))


class SkillListSchema(Schema):
    total = fields.Integer()
    items = fields.List(fields.Nested(SkillSchema))


class MergeSchema(Schema):
    into = fields.Integer(required=True)


class EndorsementSchema(Schema):
    endorser = fields.Function(lambda e: e.endorser.username)
    skill_id = fields.Integer()
    created_at = UtcDateTime()
