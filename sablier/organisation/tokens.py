"""Creating API tokens: the token is returned once, only its digest is kept."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from sablier.errors import FieldError, NotFound
from sablier.organisation.models import ApiToken
from sablier.organisation.models.token import token_digest

TOKEN_PREFIX = "sbl_"


def do_create_token(user: User, label: str = "") -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=token_digest(token), label=label)
    return token


def do_create_token_for(username: str, label: str = "") -> str:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"no user named {username!r}", [FieldError("user", "create the user first")])
    return do_create_token(user, label)
