from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class SpaceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(
        _l("Kind"),
        choices=[
            ("project", _l("Project")),
            ("community", _l("Community")),
            ("department", _l("Department")),
        ],
    )
    visibility = SelectField(
        _l("Who may read it?"),
        choices=[
            ("public", _l("Every colleague")),
            ("members", _l("Only its members")),
        ],
    )
    parent_id = SelectField(_l("Parent department"), coerce=int, validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])


class MemberForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    role = SelectField(_l("Role"), choices=[("member", _l("Member")), ("owner", _l("Owner"))])


class RoleForm(FlaskForm):
    role = HiddenField(validators=[DataRequired()])
