"""JSON API for accounts: ``POST /api/v1/users`` (administrators only)."""

from flask_smorest import Blueprint

from app.accounts import service
from app.accounts.auth import api_actor
from app.accounts.schemas import NewUserSchema, UserSchema

blp = Blueprint("users_api", __name__, url_prefix="/users", description="People's accounts")


@blp.route("", methods=["POST"])
@blp.arguments(NewUserSchema)
@blp.response(201, UserSchema)
def create_user(data: dict):
    return service.create_user(api_actor(), service.NewUser(**data))
