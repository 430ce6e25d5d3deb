"""Forms of the profile pages. They only validate shape; the service applies the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from app.profiles.levels import SKILL_LEVEL_NAMES, language_choices
from app.profiles.models import LANGUAGE_LEVELS
from app.profiles.service import LanguageEntry, ProfileEdit, SkillEntry, TrainingEntry

# Blank rows offered for new entries when the page works without JavaScript.
BLANK_ROWS = 2


def skill_level_choices() -> list[tuple[str, str]]:
    return [
        (str(int(level)), f"{int(level)} – {name}") for level, name in SKILL_LEVEL_NAMES.items()
    ]


def language_level_choices() -> list[tuple[str, str]]:
    return [(level, _l("native") if level == "native" else level) for level in LANGUAGE_LEVELS]


class SkillRow(Form):
    name = StringField(_l("Skill"), validators=[Optional(), Length(max=200)])
    level = SelectField(_l("Level"), choices=skill_level_choices, default="2")


class LanguageRow(Form):
    code = SelectField(_l("Language"), choices=[])
    level = SelectField(_l("Level"), choices=language_level_choices, default="B1")


class TrainingRow(Form):
    title = StringField(_l("Training"), validators=[Optional(), Length(max=300)])
    provider = StringField(_l("Provider"), validators=[Optional(), Length(max=300)])
    completed_on = DateField(_l("Completed on"), validators=[Optional()])


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[Length(max=200)])
    email = StringField(_l("E-mail address"), validators=[Length(max=300)])
    job_title = StringField(_l("Job title or function"), validators=[Length(max=300)])
    department_id = SelectField(_l("Department"), coerce=int, validators=[Optional()])
    location = StringField(_l("Room or location"), validators=[Length(max=300)])
    phone = StringField(_l("Phone"), validators=[Length(max=100)])
    about = TextAreaField(_l("About me"), validators=[Length(max=20_000)])
    ask_me_about = StringField(_l("Ask me about"), validators=[Length(max=1000)])
    projects = TextAreaField(_l("Current projects (one per line)"), validators=[Length(max=10_000)])
    skills = FieldList(FormField(SkillRow), min_entries=0, max_entries=60)
    languages = FieldList(FormField(LanguageRow), min_entries=0, max_entries=30)
    trainings = FieldList(FormField(TrainingRow), min_entries=0, max_entries=60)

    def offer_languages(self) -> None:
        choices = [("", _l("— choose —")), *language_choices()]
        for row in self.languages:
            row.form.code.choices = choices

    def add_blank_rows(self) -> None:
        for rows in (self.skills, self.languages, self.trainings):
            for _number in range(BLANK_ROWS):
                rows.append_entry()
        self.offer_languages()

    def to_edit(self) -> ProfileEdit:
        """The edit the form asks for; blank rows are left out."""
        return ProfileEdit(
            display_name=self.display_name.data or "",
            email=self.email.data or "",
            job_title=self.job_title.data or "",
            department_id=self.department_id.data or 0,
            location=self.location.data or "",
            phone=self.phone.data or "",
            about=self.about.data or "",
            ask_me_about=self.ask_me_about.data or "",
            projects=tuple((self.projects.data or "").splitlines()),
            skills=tuple(
                SkillEntry(row.form.name.data, int(row.form.level.data))
                for row in self.skills
                if (row.form.name.data or "").strip()
            ),
            languages=tuple(
                LanguageEntry(row.form.code.data, row.form.level.data)
                for row in self.languages
                if row.form.code.data
            ),
            trainings=tuple(
                TrainingEntry(
                    row.form.title.data or "",
                    row.form.provider.data or "",
                    row.form.completed_on.data,
                )
                for row in self.trainings
                if (row.form.title.data or "").strip() or (row.form.provider.data or "").strip()
            ),
        )


class AvatarForm(FlaskForm):
    avatar = FileField(_l("Photo (JPEG, PNG, GIF or WebP, at most 5 MB)"))
    remove = BooleanField(_l("Remove my photo"))


class MergeSkillForm(FlaskForm):
    into = SelectField(_l("Merge into"), coerce=int)


class CertificateForm(FlaskForm):
    certificate = FileField(_l("Certificate (PDF, JPEG or PNG, at most 10 MB)"))
    remove = BooleanField(_l("Remove the certificate"))
