"""Routes of `web/portal` (being built)."""

from fastapi import APIRouter

router = APIRouter()
