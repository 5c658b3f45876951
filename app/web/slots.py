"""Page requests built at once are held to the page-thread count, waiting their turn on the event loop.

The synchronous page routes run in anyio's worker threads, and so do Starlette's static files (each read
of a file is a call in a thread) and the synchronous error handlers. When the pool's size was the number of
page threads, two pages slow to build (a day of a thousand reports) held every thread, and /static waited
behind them. Now the pool has SPARE_THREADS beyond the page threads, and the pages are held to the page
threads here instead: a page request waits for a slot before it is routed, holding nothing (its session
opens after), while /static, /healthz and the page cache's hits (which answer outside this) never wait.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

from app.web.pagecache import UNCACHED_PREFIXES

# Threads beyond the page threads, for what runs in threads without a slot (static files, error pages). A
# static file costs a few short calls, so a handful serve many browsers at once.
SPARE_THREADS = 4


class PageSlots:
    def __init__(self, app: ASGIApp, *, slots: int) -> None:
        self.app = app
        self.slots = slots
        self._free = asyncio.Semaphore(slots)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNCACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        async with self._free:
            await self.app(scope, receive, send)
