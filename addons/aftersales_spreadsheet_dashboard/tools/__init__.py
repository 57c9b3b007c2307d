from . import spreadsheet_queries
