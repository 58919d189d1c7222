"""Interactive network views: graph queries -> pyvis network data -> the project's own pages.

pyvis builds the node and edge records and the vis-network options; the pages
are rendered from this package's templates, never pyvis's, so that nothing is
loaded from a CDN and no name from the data is ever interpreted as HTML.
"""
