"""Demo households and tenancies: Dutch-looking names and addresses in the Drechtsteden.

Household *i* is always the same person at the same address (its random generator is seeded by *i*),
so ``--households 3000`` followed by ``--households 100000`` keeps the first 3,000 and adds the rest.
Idempotent: a tenancy's contract number is its key; existing ones are never created again.
"""

import datetime as dt
import random
from decimal import Decimal

from demo.partners import CORPORATIONS, DRECHTSTEDEN, neighbourhood_code
from households.models import Household, Tenancy
from partners.models import Partner

SEED = "tijdig-demo"
CONTRACT_PREFIX = {"drechtwonen": "DW", "rivierhuis": "RH", "merwede-wonen": "MW"}

FIRST_INITIALS = "AABCDEFGHIJJKLMMNPRSSTWY"
PREFIXES = ("", "", "", "", "", "de", "van", "van der", "van den", "van de", "den", "ter", "in 't")
SURNAMES = tuple(
    "Jong Jansen Vries Berg Dijk Bakker Janssen Visser Smit Meijer Boer Mulder Groot Bos Vos Peters Hendriks "
    "Leeuwen Dekker Brouwer Wit Dijkstra Smits Graaf Meer Linden Kok Jacobs Haan Vermeulen Heuvel Veen Broek "
    "Bruijn Heijden Schouten Beek Willems Vliet Ven Hoekstra Maas Verhoeven Koster Dam Wal Prins Blom Huisman "
    "Kuipers Post Kramer Brink Scholten Wijk Martens Vink Ruiter Timmermans Groen Gerritsen Jonker Loon Velde "
    "Bosch Dongen Schipper Koning Laan Driessen Doorn Hermans Evers Meulen Hofman Bosman Wolters Sanders Horst "
    "Mol Molenaar Pol Leeuw Verbeek Yilmaz Kaya Amrani Bouzid Öztürk Demir Ramdin Sewnath Tahiri Nguyen Kartosen "
    "Boateng Çelik Ouali Baldewsingh Mendes".split()
)
SUFFIXES = ("", "", "", "", "", "", "A", "B", "bis", "1", "2", "3")

# Each corporation's share of the homes in each municipality, weighted by population.
_CHOICES = [(slug, place) for slug, _name, _kvk, stock in CORPORATIONS for place in DRECHTSTEDEN if place.code in stock]
_STOCK = {slug: stock for slug, _name, _kvk, stock in CORPORATIONS}
_WEIGHTS = [place.population * _STOCK[slug][place.code] for slug, place in _CHOICES]


def demo_household(index: int) -> tuple[str, dict, dict]:
    """``(corporation slug, household fields, tenancy fields)`` of demo household ``index``."""
    rng = random.Random(f"{SEED}-{index}")
    slug, place = rng.choices(_CHOICES, weights=_WEIGHTS)[0]
    district, number, _neighbourhood_name, streets = rng.choice(place.neighbourhoods)
    initials = ".".join(rng.sample(FIRST_INITIALS, rng.choice((1, 1, 2)))) + "."
    prefix = rng.choice(PREFIXES)
    surname = rng.choice(SURNAMES)
    if prefix == "" and surname in {"Jong", "Vries", "Groot", "Boer", "Wit", "Haan", "Graaf", "Ruiter", "Leeuw"}:
        prefix = "de"
    full_surname = f"{prefix} {surname}".strip()
    low, high = place.postcode_range
    postcode = f"{rng.randint(low, high)} {rng.choice('ABCDEGHJKLMNPRSTVWX')}{rng.choice('ABCDEGHJKLMNPRSTVWX')}"
    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 64))
    household = {
        "name": f"{initials} {full_surname}",
        "initials": initials,
        "surname_prefix": prefix,
        "surname": surname,
        "date_of_birth": born if rng.random() < 0.7 else None,
        "phone": f"06{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.85 else "",
        "email": (
            f"{initials[0].lower()}.{surname.lower().replace(' ', '')}{index}@example.nl" if rng.random() < 0.6 else ""
        ),
        "street": rng.choice(streets),
        "house_number": rng.randint(1, 240),
        "house_number_suffix": rng.choice(SUFFIXES),
        "postcode": postcode,
        "city": place.name,
        "municipality_id": place.code,
        "neighbourhood_id": neighbourhood_code(place, district, number),
    }
    start = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 30))
    tenancy = {
        "contract_number": f"{CONTRACT_PREFIX[slug]}-{index + 100_001:07d}",
        "monthly_rent": Decimal(rng.randint(42_000, 89_000)) / 100,
        "start_date": start,
    }
    return slug, household, tenancy


def build_households(count: int, *, batch_size: int = 5_000, progress=None) -> int:
    """Make sure demo households ``0 … count-1`` exist; returns how many were created."""
    corporations = {p.slug: p for p in Partner.objects.filter(slug__in=CONTRACT_PREFIX)}
    existing = set(
        Tenancy.objects.filter(corporation__in=corporations.values()).values_list("contract_number", flat=True)
    )
    created = 0
    for start in range(0, count, batch_size):
        batch = []
        for index in range(start, min(start + batch_size, count)):
            slug, household, tenancy = demo_household(index)
            if tenancy["contract_number"] not in existing:
                batch.append((corporations[slug], household, tenancy))
        households = Household.objects.bulk_create(
            [Household(corporation=corp, **fields) for corp, fields, _t in batch], batch_size=batch_size
        )
        Tenancy.objects.bulk_create(
            [
                Tenancy(corporation=corp, household=household, **fields)
                for household, (corp, _h, fields) in zip(households, batch, strict=True)
            ],
            batch_size=batch_size,
        )
        created += len(batch)
        if progress:
            progress(min(start + batch_size, count))
    return created
