"""Representations (output) and action inputs of the arrears API, one module per area."""
