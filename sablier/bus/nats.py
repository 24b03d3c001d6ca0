"""NATS for several processes: events fan out on a core subject to every web and worker process
(SSE across processes); work goes through a JetStream work-queue stream with one durable pull
consumer per stage, explicit acks, redelivery and a dead-letter subject.

nats-py is asyncio; Sablier's workers and views are threads, so one connection per process runs
on its own event loop thread and the sync methods below wait on it."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, ClassVar, TypeVar

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from sablier.bus.base import Delivery, Handler
from sablier.errors import ConfigurationError

log = logging.getLogger(__name__)
T = TypeVar("T")

PREFIX = "sablier"  # subjects PREFIX.events, PREFIX.work.<stage>, PREFIX.dead.<stage>; streams PREFIX_WORK…
ACK_WAIT_SECONDS = 30.0  # a worker that dies holding messages gives them back after this
MAX_DELIVER = 50  # a backstop: the stage's own failure count makes items dead letters first
DEAD_KEPT_SECONDS = 30 * 24 * 3600
IDS_PER_MESSAGE = 500


class NatsLink:
    """One reconnecting NATS connection per process and URL, on its own event loop thread."""

    _shared: ClassVar[dict[str, NatsLink]] = {}
    _shared_lock = threading.Lock()

    def __init__(self, url: str) -> None:
        self.url = url
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="sablier-nats", daemon=True).start()
        try:
            self.client: Client = self.call(self._connect(), timeout=15)
        except Exception as exc:
            self.loop.call_soon_threadsafe(self.loop.stop)
            raise ConfigurationError(f"cannot reach NATS at {url} (SABLIER_NATS_URL): {exc}") from exc
        self.js: JetStreamContext = self.client.jetstream(timeout=5)

    @classmethod
    def shared(cls, url: str) -> NatsLink:
        with cls._shared_lock:
            if url not in cls._shared:
                cls._shared[url] = cls(url)
            return cls._shared[url]

    async def _connect(self) -> Client:
        async def disconnected() -> None:
            log.warning("NATS connection lost; reconnecting")

        async def reconnected() -> None:
            log.warning("NATS connection back")

        async def error(exc: Exception) -> None:
            log.debug("NATS: %s", exc)

        return await nats.connect(
            self.url,
            name="sablier",
            max_reconnect_attempts=-1,
            reconnect_time_wait=0.5,
            connect_timeout=3,
            disconnected_cb=disconnected,
            reconnected_cb=reconnected,
            error_cb=error,
        )

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def fire(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Run without waiting (acks, events): the caller's thread goes on."""
        asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def close(self) -> None:
        try:
            self.call(self.client.close(), timeout=5)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            with self._shared_lock:
                if self._shared.get(self.url) is self:
                    del self._shared[self.url]


class NatsBus:
    """Events on a core NATS subject: every process that subscribes sees every event, its own too."""

    def __init__(self, link: NatsLink, prefix: str = PREFIX) -> None:
        self.link = link
        self.subject = f"{prefix}.events"
        self._handlers: list[Handler] = []
        self._lock = threading.Lock()
        link.call(link.client.subscribe(self.subject, cb=self._receive))

    async def _receive(self, msg: Msg) -> None:
        event = json.loads(msg.data)
        with self._lock:
            handlers = list(self._handlers)
        for handler in handlers:
            try:
                handler(event)
            except Exception:
                log.exception("bus handler failed on %s", event.get("name"))

    def publish(self, event: dict[str, Any]) -> None:
        self.link.fire(self.link.client.publish(self.subject, json.dumps(event, ensure_ascii=False).encode()))

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        with self._lock:
            self._handlers.append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers:
                    self._handlers.remove(handler)

        return unsubscribe


class JetStreamDelivery:
    def __init__(self, link: NatsLink, msg: Msg) -> None:
        self.link, self.msg = link, msg
        body = json.loads(msg.data)
        self._ids = tuple(int(i) for i in body["ids"])

    @property
    def ids(self) -> tuple[int, ...]:
        return self._ids

    @property
    def deliveries(self) -> int:
        return int(self.msg.metadata.num_delivered)

    def ack(self) -> None:
        self.link.fire(self.msg.ack())

    def retry(self, delay: float) -> None:
        self.link.fire(self.msg.nak(delay=delay))


class JetStreamQueue:
    def __init__(self, link: NatsLink, prefix: str = PREFIX, ack_wait: float = ACK_WAIT_SECONDS) -> None:
        self.link, self.prefix, self.ack_wait = link, prefix, ack_wait
        self.work_stream, self.dead_stream = f"{prefix.upper()}_WORK", f"{prefix.upper()}_DEAD"
        self._subscriptions: dict[str, JetStreamContext.PullSubscription] = {}
        self._lock = threading.Lock()
        link.call(self._streams())

    async def _streams(self) -> None:
        wanted = (
            StreamConfig(
                name=self.work_stream,
                subjects=[f"{self.prefix}.work.>"],
                retention=RetentionPolicy.WORK_QUEUE,
                storage=StorageType.FILE,
            ),
            StreamConfig(
                name=self.dead_stream,
                subjects=[f"{self.prefix}.dead.>"],
                storage=StorageType.FILE,
                max_age=DEAD_KEPT_SECONDS,
            ),
        )
        for config in wanted:
            try:
                await self.link.js.add_stream(config)
            except BadRequestError:
                await self.link.js.update_stream(config)

    def put(self, stage: str, ids: Sequence[int]) -> bool:
        queued = True
        for start in range(0, len(ids), IDS_PER_MESSAGE):
            body = json.dumps({"ids": list(ids[start : start + IDS_PER_MESSAGE])}).encode()
            queued = self._publish(f"{self.prefix}.work.{stage}", body) and queued
        return queued

    def _publish(self, subject: str, body: bytes) -> bool:
        for attempt in (1, 2):
            try:
                self.link.call(self.link.js.publish(subject, body), timeout=6)
                return True
            except Exception as exc:
                if attempt == 2:
                    log.warning(
                        "could not queue on %s (%s); the reconciliation pass will find it", subject, exc
                    )
                    return False
                self._ensure_quietly()  # the stream may be gone: a server restarted without its store
        return False

    def _ensure_quietly(self) -> None:
        try:
            self.ensure()
        except Exception as exc:
            log.debug("NATS streams not re-created yet: %s", exc)

    def ensure(self) -> None:
        self.link.call(self._streams())
        with self._lock:
            stages = list(self._subscriptions)
        for stage in stages:
            try:
                self.link.call(self.link.js.consumer_info(self.work_stream, stage), timeout=6)
            except NotFoundError:
                with self._lock:
                    self._subscriptions.pop(stage, None)  # taken again, and so re-created, on next use

    def _subscription(self, stage: str) -> JetStreamContext.PullSubscription:
        with self._lock:
            if stage not in self._subscriptions:
                config = ConsumerConfig(ack_wait=self.ack_wait, max_deliver=MAX_DELIVER)
                self._subscriptions[stage] = self.link.call(
                    self.link.js.pull_subscribe(
                        f"{self.prefix}.work.{stage}", durable=stage, stream=self.work_stream, config=config
                    )
                )
            return self._subscriptions[stage]

    def take(self, stage: str, limit: int, wait: float) -> list[Delivery]:
        subscription = self._subscription(stage)
        try:
            messages = self.link.call(subscription.fetch(limit, timeout=wait), timeout=wait + 10)
        except (TimeoutError, nats.errors.TimeoutError):
            return []
        return [JetStreamDelivery(self.link, msg) for msg in messages]

    def dead(self, stage: str, item_id: int, error: str) -> None:
        body = json.dumps({"stage": stage, "item_id": item_id, "error": error}).encode()
        self._publish(f"{self.prefix}.dead.{stage}", body)
