"""How each statistic receives deliveries (R-IN-4)."""

from __future__ import annotations

from handistat.intake.formats import GENBRUG, HANDBU
from handistat.intake.service import Policy

HANDBU_POLICY = Policy(HANDBU, partial_ok=True, scope_column="kommune")
"""Incremental: valid rows are accepted and the rejected rows listed."""

GENBRUG_POLICY = Policy(GENBRUG, partial_ok=False, scope_column="indberetningskommune")
"""Full load: rejected whole on any structural error, since it replaces the previous load."""
