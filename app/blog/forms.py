from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateTimeLocalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class BlogForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    space_id = SelectField(_l("Whose blog?"), coerce=int, validators=[Optional()])


class PostForm(FlaskForm):
    # Lengths are the service's rules: it refuses with a message and the text stays.
    title = StringField(_l("Title"))
    body = TextAreaField(_l("Text (Markdown)"), render_kw={"rows": 16})
    tags = StringField(_l("Tags"))
    status = RadioField(
        _l("Publication"),
        choices=[
            ("draft", _l("Save as draft")),
            ("published", _l("Publish now")),
            ("scheduled", _l("Publish at the time below")),
        ],
        default="draft",
    )
    publish_at = DateTimeLocalField(
        _l("Publication time"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    cover = FileField(_l("Cover image (optional)"))


class AuthorForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
