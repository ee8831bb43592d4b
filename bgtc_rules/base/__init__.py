"""The foundation: what every layer may use and that knows nothing of dossiers or rules.

Located errors (`errors`), strict YAML and JSON reading with a line for every value
(`documents`), pydantic errors turned into located problems (`validation`), atomic output files
(`outputs`) and bounded memory for remembered results (`memo`).
"""
