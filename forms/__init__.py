"""Printable documents: plain data in, PDF bytes out (reportlab). No Qt and no database, so a
form renders the same from the window, the command line and the tests.

Build a `forms.document.FormDocument` (with `forms.verify.verification` for its code), then
`forms.render.render_pdf(doc)` gives the PDF and `forms.odt.render_odt(doc)` the same form as
an ODF text document. docs/architecture.md describes the layout.
"""
