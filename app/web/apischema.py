"""The API's schema (/openapi.json): the JSON twins of the pages.

A page and its twins are one route (/days/{day:isoday}{fmt:json_csv}); the schema documents the JSON twin,
at the path and under the operation id it had when it was a route of its own, so clients built from the
schema keep working."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from fastapi.utils import generate_unique_id

from app.web.urls import JSON

FORMAT = "{fmt}"  # how a route's format suffix appears in its path without the convertor
PAGE_NAME, JSON_NAME = "_page", "_json"  # day_page is the route; its twin was day_json


def twin_operation_id(route: APIRoute) -> str:
    """day_json_days__day__json_get for the day page's route, as FastAPI made it for the twin's own route."""
    if FORMAT not in route.path_format:
        return generate_unique_id(route)
    twin = copy.copy(route)
    twin.name = route.name.removesuffix(PAGE_NAME) + JSON_NAME
    twin.path_format = route.path_format.replace(FORMAT, JSON)
    return generate_unique_id(twin)


def json_twins(generated: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """The app's openapi(): FastAPI's schema, each page's path shown as its JSON twin's (/days/{day}.json)."""

    def openapi() -> dict[str, Any]:
        schema = generated()  # cached by FastAPI, so renamed once and the same object after
        schema["paths"] = {path.replace(FORMAT, JSON): item for path, item in schema["paths"].items()}
        return schema

    return openapi
