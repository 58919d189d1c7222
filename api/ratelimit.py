"""Per-client rate limit on expensive requests: a token bucket per client address.

Each client may make `rate_limit_burst` expensive requests at once and then
`rate_limit_per_minute` a minute; past that it gets 429 with `Retry-After`.
Network views and embeds spend from the same bucket (`api.routes.pages`). Cheap
reads (health, search, entities, timelines) are not limited here; their cost is
bounded by page caps and time limits instead. The client is its address as
`api.clients` decides it: forwarded headers count only from trusted proxies.
"""

from __future__ import annotations

import math
import threading
import time

from fastapi import HTTPException, Request

from api.clients import client_address
from api.security import Audience


class TokenBuckets:
    def __init__(self, per_minute: int, burst: int, max_clients: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when)
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """The seconds until `client` has a token (0.0 if it has one now); spends nothing."""
        now = time.monotonic()
        with self._lock:
            tokens, when = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - when) * self.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def take(self, client: str) -> float:
        """Spend one token; 0.0 when allowed, else the seconds until one is available."""
        now = time.monotonic()
        with self._lock:
            tokens, when = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate)
            if tokens >= 1.0:
                if len(self._buckets) >= self.max_clients and client not in self._buckets:
                    self._buckets.clear()  # crude bound on memory under address floods
                self._buckets[client] = (tokens - 1.0, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate


def spend(request: Request) -> int:
    """Spend one of the client's tokens: 0 when allowed, else the seconds to wait (pages
    call this and answer in HTML; API routes use the `rate_limit` dependency)."""
    buckets: TokenBuckets = request.app.state.rate_limits
    audience: Audience | None = getattr(request.state, "audience", None)
    client = audience.who if audience is not None and audience.editor else (
        client_address(request))
    return math.ceil(buckets.take(client))


async def rate_limit(request: Request) -> None:
    """Dependency for expensive routes (async: it runs on the event loop, not in a thread)."""
    wait = spend(request)
    if wait > 0:
        raise HTTPException(status_code=429, detail="too many expensive requests; "
                            f"retry in {wait} s", headers={"Retry-After": str(wait)})
