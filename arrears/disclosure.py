"""What of a household each side may see (DOMAIN.md §4, docs/adr/0021).

A social service sees a signalled household with the fields a DDAS signal carries and nothing more,
until it takes the signal up or accepts a referral; the corporation sees its own tenants in full.
The access levels themselves are granted in ``partners.access``; this module names the fields.
"""

#: The client part of a DDAS signal: name (initials, prefix, surname; ``name`` is the ledger's rendering
#: of the same), date of birth, address and place (municipality and neighbourhood follow from it), contact details.
SIGNAL_HOUSEHOLD_FIELDS = (
    "name",
    "initials",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "street",
    "house_number",
    "house_number_suffix",
    "postcode",
    "city",
    "municipality",
    "neighbourhood",
    "phone",
    "email",
)

#: Everything: the signal fields plus the tenancy (contract number, rent) and the arrears history.
FULL_HOUSEHOLD_FIELDS = (*SIGNAL_HOUSEHOLD_FIELDS, "tenancies", "arrears")
