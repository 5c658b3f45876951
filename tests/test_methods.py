"""HEAD wherever GET works, and the Allow header on every 405 (app/methods.py, app/web.py's error handler)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PATHS = ["/", "/days/2016-09-17", "/days/2016-09-17?outlet=rt", "/days/2016-09-17.json", "/days/2016-09-17.csv",
         "/feed.atom", "/healthz", "/static/css/site.css", "/openapi.json", "/days/1999-01-01"]


@pytest.mark.parametrize("path", PATHS)
def test_head_answers_wherever_get_does(client: TestClient, path: str) -> None:
    head = client.head(path)
    get = client.get(path)
    assert head.status_code == get.status_code and get.status_code in (200, 404)
    assert head.content == b"" and get.content
    assert dict(head.headers) == dict(get.headers)  # Content-Length, ETag, CSP: the GET's own


def test_head_of_a_cached_page_comes_from_memory(client: TestClient) -> None:
    etag = client.get("/days/2016-09-17").headers["etag"]
    head = client.head("/days/2016-09-17", headers={"If-None-Match": etag})
    assert head.status_code == 304 and head.headers["etag"] == etag


@pytest.mark.parametrize(("method", "path"), [("POST", "/days/2016-09-17"), ("DELETE", "/days/2016-09-17.json"),
                                              ("PUT", "/healthz"), ("POST", "/static/css/site.css"),
                                              ("PATCH", "/feed.atom")])
def test_a_method_not_allowed_says_which_are(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.headers["content-security-policy"]
