"""Who publishes the statistics (issue 12 item 8): one setting, used by every public output
that names a source or a contact (Nyt, PX, XLSX, JSON-stat, the API's tableinfo).

Set it in the settings file (``[publisher]`` with ``name``, ``name_en``, ``contact``, ``phone``,
``mail``) or as JSON in ``HANDISTAT_PUBLISHER``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Publisher:
    name: str = "Danmarks Statistik"
    name_en: str = "Statistics Denmark"
    contact: str = "Danmarks Statistik, Sociale forhold"
    phone: str = "+45 39 17 39 17"
    mail: str = "dst@dst.dk"

    def source(self, lang: str) -> str:
        """The source as a reader sees it: ``Danmarks Statistik`` (``Statistics Denmark``)."""
        return self.name_en if lang == "en" and self.name_en else self.name

    def contact_line(self) -> str:
        """``Danmarks Statistik, Sociale forhold, +45 39 17 39 17, dst@dst.dk``."""
        return ", ".join(p for p in (self.contact, self.phone, self.mail) if p)


DEFAULT_PUBLISHER = Publisher()
