"""Publishing one message to one recipient, by channel. Connectors register their networks here."""

from __future__ import annotations

from collections.abc import Callable

from django.core.mail import EmailMessage

from sablier.answer.models import OutgoingPost
from sablier.people.models import Handle

Publisher = Callable[[OutgoingPost, Handle], None]


class NoPublisher(Exception):
    """No connector can publish on this channel (yet): a permanent failure for the recipient."""


def publish_email(post: OutgoingPost, recipient: Handle) -> None:
    EmailMessage(subject=post.subject or post.text[:60], body=post.text, to=[recipient.handle]).send()


PUBLISHERS: dict[str, Publisher] = {"email": publish_email}


def register_publisher(channel: str, publisher: Publisher) -> None:
    PUBLISHERS[channel] = publisher


def publish(post: OutgoingPost, recipient: Handle) -> None:
    publisher = PUBLISHERS.get(post.channel)
    if publisher is None:
        raise NoPublisher(f"no connector publishes on {post.channel} yet")
    publisher(post, recipient)
