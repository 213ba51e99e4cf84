"""Printable documents of a case (issue 14 item 12): the case sheet and a prefilled request for
legal aid (Đơn yêu cầu trợ giúp pháp lý), from replaceable YAML templates, as blocks for the print
page and as an A4 PDF (fpdf2, a Vietnamese-capable TrueType font)."""
