"""`repgraph rotate-secret`: a new pseudonym secret, keeping the published ids or not.

After a leak, every id derived from the old secret must stop answering: rotate without
`--keep-published`, and the old pseudonyms and `redacted-` ids answer like unknown ids (a
pseudonym an editor pinned on a record stays). A routine rotation, with the secret not leaked,
can keep every id published so far: `--keep-published` pins them beside the new secret, and new
restricted records get pseudonyms under the new one. Ids of records that name nobody restricted
never depend on the secret (docs/ethics.md).
"""

from __future__ import annotations

from api import audit
from config import Settings
from graph.public import RESTRICTED_PREFIX, PublicView
from graph.redaction import RedactionKeys, SecretConfigured
from graph.store import GraphStore


def rotate_secret(store: GraphStore, settings: Settings, *, keep_published: bool,
                  who: str) -> str:
    """Rotate, record it in the audit log, and say what changed for the public."""
    keys = RedactionKeys.of(settings)
    current = keys.current()
    derived = PublicView(store, current.secret, store.version, current.pins).hidden_ids()
    pins = derived if keep_published else {}
    entry = {"who": who, "action": "rotate-secret", "keep_published": keep_published,
             "pinned": len(pins)}
    try:
        keys.rotate(pins)
    except SecretConfigured as exc:
        audit.record(settings.audit_log_path, **entry, result="secret-configured")
        done = f"pinned {len(pins)} public ids in {keys.pins_path}; " if pins else ""
        raise SecretConfigured(f"{done}{exc}") from exc
    audit.record(settings.audit_log_path, **entry, result="ok")
    persons = sum(1 for v in derived.values() if v.startswith(RESTRICTED_PREFIX))
    what = (f"{persons} restricted records and {len(derived) - persons} records whose ids name "
            "one, with the relationships touching them")
    if keep_published:
        return (f"new secret in {keys.secret_path}; the public ids of {what} are pinned in "
                f"{keys.pins_path} and keep working")
    return (f"new secret in {keys.secret_path}; the public ids of {what} have changed, and "
            "their old URLs answer like unknown ids (pseudonyms pinned on records stay); ids "
            "of records that name nobody restricted are unchanged")
