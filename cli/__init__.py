"""The `repgraph` command-line tool."""
