"""Routes of `web/staff` (being built)."""

from fastapi import APIRouter

router = APIRouter()
