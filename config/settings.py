"""All settings in one place, read from the environment (prefix REPGRAPH_) or a .env file."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REPGRAPH_", env_file=".env", extra="ignore")

    backend: Literal["memory", "neo4j"] = "memory"
    data_dir: Path = Path("var/graph")
    dataset_dir: Path = Path("data")
    #: the private data tier: restricted records, in the dataset's format, never committed
    #: (gitignored); loaded beside `dataset_dir` whenever that is loaded (docs/ethics.md)
    private_dataset_dir: Path = Path("private")

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
    #: SHA-256 hex digests of editor API keys (never the keys themselves), comma-separated
    #: or a JSON list. Make one with `repgraph key-hash`.
    editor_key_hashes: Annotated[list[str], NoDecode] = Field(default_factory=list)
    #: secret for the pseudonyms of restricted persons; generated beside the data if unset
    redaction_secret: str | None = None
    audit_log: Path | None = None  # default: <data_dir>/audit.log
    max_import_bytes: int = Field(5_000_000, ge=1)
    #: expensive requests (paths, neighbourhoods, case links, exports, imports) per client
    rate_limit_per_minute: int = Field(120, ge=1)
    rate_limit_burst: int = Field(30, ge=1)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("editor_key_hashes", "cors_origins", mode="before")
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
            if not re.fullmatch(r"[0-9a-f]{64}", item):
                raise ValueError("editor_key_hashes holds SHA-256 hex digests (64 characters "
                                 "0-9a-f), not keys; make one with `repgraph key-hash`")
        return value

    @property
    def audit_log_path(self) -> Path:
        return self.audit_log or self.data_dir / "audit.log"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
