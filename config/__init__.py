"""The service's settings: one pydantic-settings class, read from the environment.

It lives outside `graph/` because every layer reads it (the stores, the web
service, the command line), and none of them owns it.
"""

from __future__ import annotations

from config.settings import Settings, get_settings

__all__ = ["Settings", "get_settings"]
