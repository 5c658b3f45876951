"""Security headers on every response, as a plain ASGI middleware (it also covers errors and static files)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.render import render_error

TWO_HOSTS = ("The request has more than one Host header, so it names no single site. "
             "Send one Host header.")


def content_security_policy(htmx_url: str | None) -> str:
    """Our own origin only; a CDN for htmx (Settings.htmx_url) is the one origin that may be added."""
    scripts = ["'self'"]
    if htmx_url:
        parts = urlsplit(htmx_url)
        if parts.scheme and parts.netloc:
            scripts.append(f"{parts.scheme}://{parts.netloc}")
    return "; ".join([
        "default-src 'self'",
        f"script-src {' '.join(scripts)}",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def security_headers(htmx_url: str | None) -> dict[str, str]:
    """The headers every response carries (the middleware adds them; the 500 handler, outside it, too)."""
    return {
        "Content-Security-Policy": content_security_policy(htmx_url),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    }


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, htmx_url: str | None = None) -> None:
        self.app = app
        self.headers = security_headers(htmx_url)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SingleHost:
    """A request with two Host headers is a 400 page: they would name two sites, and a link built from one
    would be cached under the other (Starlette reads the first, a dict of the headers keeps the last)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and sum(name == b"host" for name, _ in scope["headers"]) > 1:
            response = render_error(Request(scope), 400, TWO_HOSTS)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
