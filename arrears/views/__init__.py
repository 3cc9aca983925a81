"""Thin views, one module per page or area."""
