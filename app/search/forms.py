"""The search's forms (they only validate; the synonyms service decides)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.search.synonyms import MAX_NAME_CHARS, MAX_NAMES


class SynonymsForm(FlaskForm):
    names = TextAreaField(
        _l("Names that mean the same"),
        validators=[DataRequired(), Length(max=MAX_NAMES * (MAX_NAME_CHARS + 2))],
    )


class RemoveSynonymsForm(FlaskForm):
    """Only the CSRF token."""
