"""Routes of `api/deliveries` (being built)."""

from fastapi import APIRouter

router = APIRouter()
