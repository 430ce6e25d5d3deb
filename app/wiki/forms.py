from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.wiki.models import MAX_TITLE
from app.wiki.service import MAX_BODY, MAX_COMMENT


class PageForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    body = TextAreaField(_l("Text (Markdown)"), validators=[Length(max=MAX_BODY)])
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=500)])
    # 0 stands for "none": the global wiki, no parent page. The service checks the choice.
    space_id = SelectField(_l("Space"), coerce=int, validate_choice=False, default=0)
    parent_id = SelectField(_l("Parent page"), coerce=int, validate_choice=False, default=0)
    comment = StringField(_l("What did you change?"), validators=[Length(max=MAX_COMMENT)])
    is_template = BooleanField(_l("This page is a template"))
    base_revision = HiddenField()


class ImportForm(FlaskForm):
    files = MultipleFileField(_l("Documents (.docx, .odt)"))
    space_id = SelectField(_l("Space"), coerce=int, validate_choice=False, default=0)
    parent_id = SelectField(_l("Parent page"), coerce=int, validate_choice=False, default=0)


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired()])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
