"""Every write: one module per area, keyword-only arguments, one transaction each."""
