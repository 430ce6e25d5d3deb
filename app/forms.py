"""What every feature's forms share."""

from flask_wtf import FlaskForm

from app.errors import DomainError


def show_errors(form: FlaskForm, err: DomainError) -> None:
    """Put a service's field errors on the form's fields; the rest on the form as a whole."""
    unplaced = []
    for name, messages in err.errors.items():
        field = form._fields.get(name)
        if field is None:
            unplaced.extend(messages)
        else:
            field.errors = [*field.errors, *messages]
    form.form_errors.extend(unplaced or ([] if err.errors else [err.message]))
