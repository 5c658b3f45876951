"""HEAD answered wherever GET is: the GET's status and headers, without the body (RFC 9110, 9.3.2).

FastAPI registers a route for the methods it is declared with, and every route here is a GET, so HEAD was a
405 everywhere. Rather than declare HEAD on each route, this plain ASGI middleware runs a HEAD request as a
GET and drops the body on its way out: the headers (Content-Length, ETag, the security headers) are the
GET's own, and a page the cache holds answers HEAD from memory too.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# What this read-only site answers to, for the Allow header of a 405.
ALLOWED_METHODS = "GET, HEAD"


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
