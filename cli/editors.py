"""`repgraph editor add|revoke|list`: editors' keys, which a running service picks up at
its next request (no restart). Keys are printed once, at `add`, and never stored."""

from __future__ import annotations

import argparse
import sys

from api import audit
from api.editors import add_editor, configured_editor, read_file, revoke_editor
from config import Settings


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    editor = sub.add_parser("editor", help="add, revoke or list editors' keys").add_subparsers(
        dest="editor", required=True)
    add = editor.add_parser("add", help="make a key for a new editor (printed once)")
    add.add_argument("name", help="lower-case letters, digits, . _ - (shown in the audit log)")
    revoke = editor.add_parser("revoke", help="end an editor's key and their sessions")
    revoke.add_argument("name")
    editor.add_parser("list", help="editors, their key fingerprints and when they were added")


def run(args: argparse.Namespace, settings: Settings, who: str) -> int:
    path = settings.editor_keys_path
    if args.editor == "list":
        for entry in read_file(path):
            print(f"{entry['name']:<24} key {entry['sha256'][:12]}  added {entry.get('added', '?')}")
        for item in settings.editor_key_hashes:
            editor = configured_editor(item)
            print(f"{editor.name:<24} key {editor.fingerprint}  (REPGRAPH_EDITOR_KEY_HASHES)")
        return 0
    if args.editor == "add":
        key = add_editor(path, args.name)
        audit.record(settings.audit_log_path, who=who, action="editor-add", editor=args.name)
        print(f"added editor {args.name!r}; their key, shown this once (give it to them "
              f"privately):", file=sys.stderr)
        print(key)
        return 0
    revoke_editor(path, args.name)
    audit.record(settings.audit_log_path, who=who, action="editor-revoke", editor=args.name)
    print(f"revoked {args.name!r}: their key and sessions no longer work", file=sys.stderr)
    return 0
