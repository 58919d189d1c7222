"""Public redaction of restricted persons: pseudonymous ids and scrubbed text.

The public sees a restricted person as "a restricted person" with an opaque id
(`restricted-` plus an HMAC of the real id under a secret that is never served),
so that structure can still be shown without anything that identifies them:
no name, alias, id slug, description or property. Redaction works on plain
JSON-like data, so it applies the same way to every API response, page payload
and export, whatever produced it.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import re
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from schema.models import Node

PLACEHOLDER = "a restricted person"
PSEUDONYM_PREFIX = "restricted-"
#: fields of a node-shaped object that may identify a person
_IDENTIFYING: dict[str, Any] = {"aliases": [], "description": None, "roles": [], "status": [],
                "properties": {}, "matched": None}


def load_secret(data_dir: Path | None, configured: str | None) -> str:
    """The configured secret, else one generated once and kept beside the data."""
    if configured:
        return configured
    if data_dir is None:
        return secrets.token_hex(32)
    path = data_dir / ".redaction-secret"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_hex(32)
        path.write_text(value)
        path.chmod(0o600)
        return value


class Redactor:
    """Maps restricted ids to pseudonyms and scrubs their names from any text."""

    def __init__(self, restricted: Iterable[Node], secret: str) -> None:
        self._secret = secret.encode()
        nodes = list(restricted)
        self.pseudonyms = {n.id: self.pseudonym(n.id) for n in nodes}
        self.real_ids = {p: i for i, p in self.pseudonyms.items()}
        replacements: dict[str, str] = {}
        for node in nodes:
            for label in (node.name, *node.aliases):
                for variant in _variants(label):
                    replacements[variant.casefold()] = PLACEHOLDER
            for variant in _variants(node.id):
                replacements[variant.casefold()] = self.pseudonyms[node.id]
        self._replacements = replacements
        keys = sorted(replacements, key=len, reverse=True)
        self._pattern = (re.compile("|".join(re.escape(k) for k in keys), re.IGNORECASE)
                         if keys else None)

    def pseudonym(self, node_id: str) -> str:
        digest = hmac.new(self._secret, node_id.encode(), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + digest[:16]

    @property
    def active(self) -> bool:
        return self._pattern is not None

    def is_restricted(self, node_id: str) -> bool:
        return node_id in self.pseudonyms

    def real_id(self, public_id: str) -> str | None:
        """The id a public request means: pseudonyms map back; a restricted real id is
        unknown to the public (None), so its existence is not confirmed."""
        if public_id in self.real_ids:
            return self.real_ids[public_id]
        if public_id in self.pseudonyms:
            return None
        return public_id

    def text(self, value: str) -> str:
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda m: self._replacements[m.group(0).casefold()], value)

    def data(self, value: Any) -> Any:
        """Redact JSON-like data: node-shaped objects of restricted persons lose every
        identifying field; every string has restricted names and ids replaced."""
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.data(v) for v in value]
        if isinstance(value, dict):
            out = {self.text(k) if isinstance(k, str) else k: self.data(v)
                   for k, v in value.items()}
            if out.get("id") in self.real_ids:
                out["name"] = PLACEHOLDER
                for key, empty in _IDENTIFYING.items():
                    if key in out:
                        out[key] = empty
                if "citations" in out and isinstance(out["citations"], list):
                    out["citations"] = [{**c, "note": None} if isinstance(c, dict) else c
                                        for c in out["citations"]]
            return out
        return value


def _variants(label: str) -> set[str]:
    """The label as it may appear in output: raw, HTML-escaped, JSON-escaped."""
    if not label:
        return set()
    json_form = json.dumps(label)[1:-1]
    ascii_json = json.dumps(label, ensure_ascii=True)[1:-1]
    return {label, html.escape(label), html.escape(label, quote=False), json_form, ascii_json}
