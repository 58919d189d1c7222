"""All settings in one place, read from the environment (prefix REPGRAPH_) or a .env file."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import AliasChoices, Field, IPvAnyNetwork, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: the repository this package was installed from (editable installs, as `make` makes them)
REPOSITORY = Path(__file__).resolve().parent.parent


def public_url(value: str) -> str:
    """An http(s) base URL with a host and no query, fragment or credentials, without its
    trailing slash (a path is kept: the service may be published under a prefix)."""
    parts = urlsplit(value.strip())
    parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.query
            or parts.fragment or parts.username is not None or re.search(r"[?#\s<>\"'`\\]", value)):
        raise ValueError("public_url must be an http(s) URL with a host and no query, "
                         "fragment or user name, such as https://graph.example.org")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REPGRAPH_", env_file=".env", extra="ignore")

    backend: Literal["memory", "neo4j"] = "memory"
    data_dir: Path = Path("var/graph")
    dataset_dir: Path = Path("data")
    #: the private data tier: restricted records, in the dataset's format, never committed
    #: (gitignored); loaded beside `dataset_dir` whenever that is loaded (docs/ethics.md)
    private_dataset_dir: Path = Path("private")
    #: where source documents' texts are kept, each found by the file name its record's
    #: `path` gives (`sources.library`); default: `../shared/sources` beside the repository
    sources: Path | None = None

    default_max_hops: int = Field(6, ge=1)
    max_hops_cap: int = Field(8, ge=1)
    max_depth: int = Field(3, ge=1)
    max_page: int = Field(500, ge=1)
    max_paths: int = Field(100, ge=1)
    query_timeout_s: float = Field(5.0, gt=0)
    #: On the embedded store a query first runs on the event loop; one still running after
    #: this long moves to a worker thread, so that it does not hold up other requests.
    inline_query_s: float = Field(0.025, gt=0)
    #: Whole-graph downloads take longer than a query (the FtM model alone loads in seconds).
    export_timeout_s: float = Field(60.0, gt=0)

    # Network views and embeds: the largest view drawn, and who may frame /embed/ pages
    # (a CSP frame-ancestors source list; "*" since the data is public).
    view_max_nodes: int = Field(1000, ge=1)
    view_max_edges: int = Field(3000, ge=0)
    embed_frame_ancestors: str = "*"

    host: str = "127.0.0.1"
    port: int = 8000
    #: the address readers use, for links that leave the page (embed snippets); never
    #: taken from a request's Host header (default: http://<host>:<port>, see
    #: `public_base_url`)
    public_url: str | None = None
    #: peers whose X-Forwarded-For and X-Forwarded-Proto are believed (`api.clients`):
    #: addresses or networks, comma-separated or a JSON list; none by default
    trusted_proxies: Annotated[list[IPvAnyNetwork], NoDecode] = Field(default_factory=list)
    #: a connection whose request head (request line and headers) is not complete this
    #: long after it opened, or after the head's first byte, is closed (`api.connections`)
    header_timeout_s: float = Field(10.0, gt=0)
    #: exports rendered at once; more wait for a turn, at most `export_timeout_s`
    export_concurrency: int = Field(2, ge=1)

    neo4j_uri: str = Field("bolt://localhost:7687",
                           validation_alias=AliasChoices("NEO4J_URI", "REPGRAPH_NEO4J_URI"))
    neo4j_user: str = Field("neo4j",
                            validation_alias=AliasChoices("NEO4J_USER", "REPGRAPH_NEO4J_USER"))
    neo4j_password: str = Field("", validation_alias=AliasChoices(
        "NEO4J_PASSWORD", "REPGRAPH_NEO4J_PASSWORD"))
    neo4j_database: str = Field("neo4j", validation_alias=AliasChoices(
        "NEO4J_DATABASE", "REPGRAPH_NEO4J_DATABASE"))
    batch_size: int = Field(1000, ge=1)
    #: Neo4j loads of up to this many records run in one transaction; larger ones commit
    #: batch by batch, stamped with a load id so that a failure can be cleaned up.
    neo4j_tx_rows: int = Field(100_000, ge=1)
    #: Neo4j aborts a read that runs longer (a transaction timeout sent with each query): the
    #: web service stops waiting after `query_timeout_s`, this stops the server's work too.
    neo4j_read_timeout_s: float = Field(60.0, gt=0)
    #: How long the Neo4j store reuses the content version it last read (asked on every
    #: web request); its own writes forget it at once, other processes' show within this.
    neo4j_version_ttl_s: float = Field(1.0, ge=0)

    # -- trust and safety ----------------------------------------------------
    #: Editors and the SHA-256 digests of their keys, kept by `repgraph editor add|revoke`
    #: and reread when it changes (default: <data_dir>/editor-keys.json)
    editor_keys_file: Path | None = None
    #: More editor keys from the environment: `name:digest` (or a bare digest), comma-
    #: separated or a JSON list. Changing these needs a restart; the file does not.
    editor_key_hashes: Annotated[list[str], NoDecode] = Field(default_factory=list)
    #: signs editors' session cookies; every worker must share it (default: a file made
    #: once beside the data, <data_dir>/.session-secret)
    session_secret: str | None = Field(None, min_length=32)
    #: sessions ended by signing out, until they would have expired; every worker and
    #: machine must read the same file (default: <data_dir>/signed-out-sessions)
    signed_out_file: Path | None = None
    #: an editor's browser session ends this long after sign-in
    session_ttl_s: int = Field(8 * 3600, ge=60)
    #: sign-in attempts per client address (a bucket like the rate limit's)
    signin_per_minute: int = Field(5, ge=1)
    signin_burst: int = Field(5, ge=1)
    #: how long browsers may keep a public answer (`Cache-Control: private, max-age`):
    #: with the data version, this bounds how long a takedown takes to reach a reader
    public_cache_s: int = Field(60, ge=0)
    #: secret for the pseudonyms of restricted persons; generated beside the data if unset
    redaction_secret: str | None = None
    audit_log: Path | None = None  # default: <data_dir>/audit.log
    max_import_bytes: int = Field(5_000_000, ge=1)
    #: expensive requests (paths, neighbourhoods, case links, exports, imports) per client
    rate_limit_per_minute: int = Field(120, ge=1)
    rate_limit_burst: int = Field(30, ge=1)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("editor_key_hashes", "cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("editor_key_hashes")
    @classmethod
    def _check_hashes(cls, value: list[str]) -> list[str]:
        for item in value:
            if not re.fullmatch(r"(?:[a-z0-9][a-z0-9._-]{0,39}:)?[0-9a-f]{64}", item):
                raise ValueError("editor_key_hashes holds `name:digest` entries (a SHA-256 hex "
                                 "digest, 64 characters 0-9a-f), not keys; `repgraph editor "
                                 "add NAME` makes a key and keeps its digest in a file instead")
        return value

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str | None) -> str | None:
        return None if value is None else public_url(value)

    @property
    def public_base_url(self) -> str:
        """`public_url`, else where `repgraph serve` listens (localhost for a wildcard)."""
        if self.public_url:
            return self.public_url
        host = "localhost" if self.host in ("", "0.0.0.0", "::") else self.host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    @property
    def sources_path(self) -> Path:
        """`sources`, else the `shared/sources` folder beside the repository's."""
        return self.sources or REPOSITORY.parent / "shared" / "sources"

    @property
    def audit_log_path(self) -> Path:
        return self.audit_log or self.data_dir / "audit.log"

    @property
    def signed_out_path(self) -> Path:
        return self.signed_out_file or self.data_dir / "signed-out-sessions"

    @property
    def editor_keys_path(self) -> Path:
        return self.editor_keys_file or self.data_dir / "editor-keys.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
