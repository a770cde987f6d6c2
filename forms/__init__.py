"""Printable documents: plain data in, PDF bytes out (reportlab). No Qt and no database, so a
form renders the same from the window, the command line and the tests."""
