"""Text cells that a spreadsheet opens as text.

A CSV cell starting with « = », « + », « - », « @ », a tab or a carriage return is read by Excel and
LibreOffice as a formula (CSV injection): an organisation named « =HYPERLINK(...) » would run in the
agent's spreadsheet. Such a cell is written with a leading apostrophe, which spreadsheets show as
text (OWASP's advice). XLSX and ODS cells are typed as strings by their writers, never formulas.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """`value` as a CSV cell no spreadsheet reads as a formula (numbers and dates as they are)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
