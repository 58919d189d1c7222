"""All settings in one place, read from the environment (prefix REPGRAPH_) or a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REPGRAPH_", env_file=".env", extra="ignore")

    backend: Literal["memory", "neo4j"] = "memory"
    data_dir: Path = Path("var/graph")
    dataset_dir: Path = Path("data")

    default_max_hops: int = Field(6, ge=1)
    max_hops_cap: int = Field(8, ge=1)
    max_depth: int = Field(3, ge=1)
    max_page: int = Field(500, ge=1)
    max_paths: int = Field(100, ge=1)
    query_timeout_s: float = Field(5.0, gt=0)

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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
