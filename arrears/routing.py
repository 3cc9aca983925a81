"""Routing: which queue a case belongs in (DOMAIN.md §3). The one module that decides it.

The flagging step (``arrears.flagging``) calls :func:`cases_flagged` inside the import's
transaction, after it has bulk-created cases for new arrears episodes (state ``new``, in the
corporation's own queue) and updated the signals of open ones. Routing then grants access and
applies the (corporation, municipality) agreement's rules.
"""


def cases_flagged(*, corporation, new_case_ids, updated_case_ids) -> None:
    """Hand freshly flagged and updated cases to routing.

    ``new_case_ids``: cases just created for new episodes; ``updated_case_ids``: open cases whose
    signal the import changed. Must be set-based: an import can flag thousands of cases at once.
    """
    from partners import access

    access.grant_case_access(corporation=corporation, case_ids=new_case_ids)
