"""Name and version of the application, shared by the window title, the CLI,
the database (which refuses files written by a newer release) and packaging."""

APP_NAME = "CrisisDesk"
APP_ID = "crisisdesk"
VERSION = "0.1.0"
