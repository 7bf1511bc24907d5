"""Write stage for Word: Markdown drafts → DOCX in Drucksache layout, and reading a DOCX back.

Import the submodules directly (``anfrage.docx.writer``, ``anfrage.docx.text``): this package
loads nothing by itself, so reading a DOCX as text does not pay for the writer.
"""
