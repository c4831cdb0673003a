"""Code lists for forms: countries, languages and ISCED-F fields, names in the reader's
language (`Accept-Language`; English otherwise). Public: no login needed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel

from app.core import code_lists

router = APIRouter(tags=["code lists"])
AcceptLanguage = Annotated[str | None, Header(alias="Accept-Language")]


class CodeName(BaseModel):
    code: str
    name: str


class CodeList(BaseModel):
    language: str
    items: list[CodeName]


def _answer(response: Response, language: str, items: tuple[tuple[str, str], ...]) -> CodeList:
    response.headers["Content-Language"] = language
    response.headers["Cache-Control"] = "public, max-age=86400"
    return CodeList(language=language, items=[CodeName(code=c, name=n) for c, n in items])


@router.get("/code-lists/countries", response_model=CodeList)
async def countries(response: Response, accept_language: AcceptLanguage = None) -> CodeList:
    """ISO 3166-1 alpha-2 countries, by name."""
    language = code_lists.best_language(accept_language)
    return _answer(response, language, code_lists.countries(language))


@router.get("/code-lists/languages", response_model=CodeList)
async def languages(response: Response, accept_language: AcceptLanguage = None) -> CodeList:
    """ISO 639-1 languages (the codes class profiles use), by name."""
    language = code_lists.best_language(accept_language)
    return _answer(response, language, code_lists.languages(language))


@router.get("/code-lists/isced-fields", response_model=CodeList)
async def isced_fields(response: Response, accept_language: AcceptLanguage = None) -> CodeList:
    """ISCED-F 2013 detailed fields, by code; UNESCO's English titles in every language
    (`language` says so)."""
    del accept_language  # one language only, declared so clients may send it
    return _answer(response, "en", code_lists.isced_fields())
