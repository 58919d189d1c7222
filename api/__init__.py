"""The FastAPI web service: JSON API, pages and embeds over a `GraphStore`."""
