"""Serializers and filters for households and tenancies (the viewsets live in ``arrears.api``:
which household a user may see depends on cases)."""
