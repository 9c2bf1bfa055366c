"""Staff administration views (FAB layout)."""
