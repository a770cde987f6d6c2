"""The domain and its storage. Plain Python and SQLAlchemy: nothing here imports Qt or ui/,
so every user action can run from the GUI's worker, the command line and the tests alike."""
