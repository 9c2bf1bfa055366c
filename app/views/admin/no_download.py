"""No FAB file download route on banshi's ModelViews.

FAB's ``ModelView.download`` (``/<view>/download/<filename>``) sends any file of
``UPLOAD_FOLDER`` to whoever holds ``can_download`` — and ``UPLOAD_FOLDER`` is the materials
store. No banshi model has a FAB file column, so the route only answered 500s (a missing file,
a name without ``_sep_``). Material files go out only through handlers keyed by attachment id
that check owner and region (SECURITY_TESTS.md C5).
"""

#: FAB's route methods every banshi ModelView leaves out (``exclude_route_methods``).
EXCLUDED_ROUTES = frozenset({"download"})


class NoFileDownload:
    """Mix into a ModelView (first) so that FAB registers no ``download`` route for it."""

    exclude_route_methods = EXCLUDED_ROUTES
