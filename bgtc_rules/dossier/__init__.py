"""The evidence dossier: its schema (`schema`), reading and validating it from files or mappings
(`loading`), and changing its fields by dotted path (`editing`)."""
