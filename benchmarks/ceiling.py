"""The ceiling of the page benchmarks: a raw ASGI hello-world, served by uvicorn as `timeline serve` serves the app.

    python -m benchmarks.ceiling [--host 127.0.0.1] [--port 8001] [--workers 1]

No framework, no routing, no middleware, no database: every request gets the same 2-byte text. Whatever a page
costs beyond it is the app's own, so benchmarks/page_throughput.py gives each page's req/s as a share of it.
"""

from __future__ import annotations

import argparse

APP = "benchmarks.ceiling:app"  # uvicorn imports it by name, in every worker
BODY = b"ok"
HEADERS = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(BODY)).encode())]


async def app(scope, receive, send) -> None:
    """Answers every HTTP request with BODY; acknowledges the lifespan events so uvicorn need not guess."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    # The same call as `timeline serve` (app/cli.py), without the access log as serve runs by default.
    uvicorn.run(APP, host=args.host, port=args.port, workers=args.workers, access_log=False)


if __name__ == "__main__":
    main()
