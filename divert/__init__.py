"""divert: software for Law Enforcement Assisted Diversion programs."""
