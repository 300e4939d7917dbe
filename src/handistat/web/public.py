"""Routes of `web/public` (being built)."""

from fastapi import APIRouter

router = APIRouter()
