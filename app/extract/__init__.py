"""Pure extraction: article text in, outlet, publication date and dated reports out. No database here."""
