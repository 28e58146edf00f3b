"""Modal forms and dialogs: validation at the field, nothing saved until valid, Escape cancels."""
