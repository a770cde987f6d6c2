"""The database's file name in the data folder, in a module of its own: the settings read before
the window shows need it (to tell the data folder's own files), and must not load SQLAlchemy."""

DATABASE_FILE = "crisisdesk.sqlite3"
