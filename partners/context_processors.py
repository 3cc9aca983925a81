def memberships(request):
    """The signed-in user's partner memberships, for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"memberships": []}
    return {"memberships": list(user.memberships.select_related("partner"))}
