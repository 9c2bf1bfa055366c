"""FAB views per audience; registered in app.initialization."""
