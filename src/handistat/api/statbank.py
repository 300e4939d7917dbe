"""Routes of `api/statbank` (being built)."""

from fastapi import APIRouter

router = APIRouter()
