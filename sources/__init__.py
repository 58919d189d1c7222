"""Source documents' texts: where they are kept, and how they are cut into the paragraphs
citations name (`sources.text`) and their inline markup (`sources.inline`)."""

from sources.library import SourceLibrary
from sources.text import Block, Piece, SourceText, read_text

__all__ = ["Block", "Piece", "SourceLibrary", "SourceText", "read_text"]
