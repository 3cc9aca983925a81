"""The demo world's organisations: the Drechtsteden (docs/domain.md §2), its neighbourhoods, the social
service, three housing corporations, their agreements and the demo users.

Deterministic and idempotent: every row is keyed by a natural key and created with
``update_or_create``, so running the demo seed twice changes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from outreach.services import outreach_defaults_install
from partners import services
from partners.models import Agreement, Destination, Membership, Municipality, Neighbourhood, Partner, Role, RoutingRule

DEMO_PASSWORD = "demo"  # noqa: S105 (documented demo credential; seed_demo refuses to run in production)


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    population: int
    postcode_range: tuple[int, int]
    # (district number, neighbourhood number, neighbourhood name, streets)
    neighbourhoods: tuple[tuple[int, int, str, tuple[str, ...]], ...]


DRECHTSTEDEN = (
    Place(
        "0505",
        "Dordrecht",
        120_000,
        (3311, 3319),
        (
            (1, 1, "Binnenstad", ("Voorstraat", "Wijnstraat", "Nieuwstraat", "Vriesestraat", "Groenmarkt")),
            (1, 2, "Noordflank", ("Spuiboulevard", "Noordendijk", "Vest")),
            (2, 1, "Oud-Krispijn", ("Krispijnseweg", "Bosboom Toussaintstraat", "Van der Palmstraat")),
            (2, 2, "Nieuw-Krispijn", ("Mauritsweg", "Jacob Marisstraat", "Anton Mauvestraat")),
            (3, 1, "Wielwijk", ("Wielwijkpark", "Brouwersdijk", "Talmaweg")),
            (3, 2, "Crabbehof", ("Zuidendijk", "Burgemeester de Raadtsingel", "Dubbeldamseweg Noord")),
            (4, 1, "Sterrenburg", ("Dr. Abraham Kuyperlaan", "Sterrenburg", "Mijlweg")),
            (5, 1, "Stadspolders", ("Wantijdijk", "Sportlaan", "Reeweg Oost")),
            (6, 1, "Dubbeldam", ("Dubbeldamseweg Zuid", "Patersweg", "Vlij")),
        ),
    ),
    Place(
        "0642",
        "Zwijndrecht",
        45_000,
        (3331, 3335),
        (
            (1, 1, "Walburg", ("Onderlangs", "Stationsweg", "Burgemeester Jansenlaan")),
            (2, 1, "Kort Ambacht", ("Kort Ambacht", "Lindtsedijk", "Ringdijk")),
            (3, 1, "Heer Oudelands Ambacht", ("Oranjelaan", "Veerweg", "Kerkstraat")),
            (4, 1, "Nederhoven", ("Nederhovenpark", "Koninginneweg", "Jeroen Boschstraat")),
        ),
    ),
    Place(
        "0590",
        "Papendrecht",
        32_000,
        (3350, 3356),
        (
            (1, 1, "Oud-Papendrecht", ("Markt", "Veerdam", "Westeind")),
            (2, 1, "Wilgendonk", ("Burgemeester Keijzerweg", "Wilgendonk", "Toulonselaan")),
            (3, 1, "Oostpolder", ("Oosteind", "Molenvliet", "Merelstraat")),
        ),
    ),
    Place(
        "0610",
        "Sliedrecht",
        26_000,
        (3361, 3364),
        (
            (1, 1, "Kerkbuurt", ("Kerkbuurt", "Rivierdijk", "Stationsweg")),
            (2, 1, "Baanhoek", ("Baanhoek", "Thorbeckelaan", "Burgemeester Winklerlaan")),
        ),
    ),
    Place(
        "0482",
        "Alblasserdam",
        20_000,
        (2951, 2954),
        (
            (1, 1, "Centrum", ("Dam", "Cortgene", "Kerkstraat")),
            (2, 1, "Kinderdijk", ("Nederwaard", "Souburgh", "Polderweg")),
        ),
    ),
    Place(
        "0531",
        "Hendrik-Ido-Ambacht",
        31_000,
        (3341, 3344),
        (
            (1, 1, "Dorp", ("Weverskade", "Dorpsstraat", "Sophiastraat")),
            (2, 1, "De Volgerlanden", ("Volgerlandseweg", "Achterambachtseweg", "Park Sandeling")),
        ),
    ),
    Place(
        "0523",
        "Hardinxveld-Giessendam",
        18_000,
        (3371, 3373),
        (
            (1, 1, "Boven-Hardinxveld", ("Peulenstraat", "Nieuweweg", "Talmastraat")),
            (2, 1, "Giessendam", ("Buitendams", "Rivierdijk", "Stationsstraat")),
        ),
    ),
)

SOCIAL_SERVICE = ("sdd", "Sociale Dienst Drechtsteden")
# slug, name, KvK number, the municipalities it lets homes in (weight of its stock there)
CORPORATIONS = (
    ("drechtwonen", "DrechtWonen", "24012345", {"0505": 6, "0642": 2, "0590": 1}),
    ("rivierhuis", "Rivierhuis", "24023456", {"0505": 3, "0590": 2, "0610": 2, "0482": 2}),
    ("merwede-wonen", "Merwede Wonen", "24034567", {"0642": 2, "0531": 3, "0523": 2, "0610": 1}),
)
# A pair without an agreement: its cases stay with the corporation (docs/domain.md §2), visibly.
NO_AGREEMENT = {("merwede-wonen", "0523")}
# The routing rules every demo agreement holds (the routing issue's example), besides the legal default.
# Every rule to the social service passes the Besluit art. 2 gate (docs/adr/0023): "late" marks a
# signal, it does not waive the checklist.
DEMO_RULES = (
    {
        "position": 10,
        "name": "Meer dan 100 dagen achterstand, checklist compleet: laat signaal aan de sociale dienst",
        "min_days_overdue": 101,
        "checklist_complete": True,
        "destination": Destination.SOCIAL_SERVICE,
        "mark_late": True,
    },
    {
        "position": 20,
        "name": "Twee maanden huur of 60 dagen, checklist compleet: signaal aan de sociale dienst",
        "threshold_match": RoutingRule.Match.ANY,
        "min_months_of_rent": 2,
        "min_days_overdue": 60,
        "checklist_complete": True,
        "destination": Destination.SOCIAL_SERVICE,
    },
)


def neighbourhood_code(place: Place, district: int, number: int) -> str:
    return f"BU{place.code}{district:02d}{number:02d}"


def build_world():
    """Municipalities, neighbourhoods, partners and agreements. Returns ``(social_service, corporations)``."""
    for place in DRECHTSTEDEN:
        municipality, _ = Municipality.objects.update_or_create(code=place.code, defaults={"name": place.name})
        for district, number, name, _streets in place.neighbourhoods:
            Neighbourhood.objects.update_or_create(
                code=neighbourhood_code(place, district, number),
                defaults={"name": name, "municipality": municipality},
            )
    slug, name = SOCIAL_SERVICE
    social_service, _ = Partner.objects.update_or_create(
        slug=slug, defaults={"name": name, "kind": Partner.Kind.SOCIAL_SERVICE}
    )
    social_service.municipalities.set([place.code for place in DRECHTSTEDEN])
    corporations = []
    for slug, name, kvk, stock in CORPORATIONS:
        corporation, _ = Partner.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": Partner.Kind.CORPORATION, "kvk_number": kvk}
        )
        corporations.append(corporation)
        for code in stock:
            if (slug, code) in NO_AGREEMENT:
                continue
            agreement, _ = Agreement.objects.update_or_create(
                corporation=corporation,
                municipality_id=code,
                defaults={"social_service": social_service, "is_active": True},
            )
            for rule in DEMO_RULES:
                RoutingRule.objects.update_or_create(
                    agreement=agreement,
                    position=rule["position"],
                    defaults={k: v for k, v in rule.items() if k != "position"},
                )
    for partner in (social_service, *corporations):  # the lawful default letters (docs/adr/0095)
        outreach_defaults_install(partner)
    return social_service, corporations


SURNAMES = (
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
    "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kaya", "El Amrani", "Yılmaz",
)  # fmt: skip


def build_users(partners):
    """``<slug>-caseworker``, ``<slug>-caseworker2``, ``<slug>-manager``, ``<slug>-admin`` per partner and the
    platform administrator ``admin``; every password is ``demo``. Returns ``{username: user}``."""
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow
    first_names = {"caseworker": "Sanne", "caseworker2": "Mehmet", "manager": "Petra", "admin": "Joost"}
    users = {}
    admin, _ = user_model.objects.update_or_create(
        username="admin",
        defaults={"is_staff": True, "is_superuser": True, "first_name": "Beheerder", "password": password},
    )
    users["admin"] = admin
    for number, partner in enumerate(partners):
        for position, (suffix, role) in enumerate(
            (
                ("caseworker", Role.CASEWORKER),
                ("caseworker2", Role.CASEWORKER),
                ("manager", Role.MANAGER),
                ("admin", Role.ADMIN),
            )
        ):
            username = f"{partner.slug}-{suffix}"
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_names[suffix],
                    # A person's name, not the partner's: the page adds the partner ("Sanne de Vries
                    # (DrechtWonen)"), so a name holding it read twice.
                    "last_name": SURNAMES[(number * 4 + position) % len(SURNAMES)],
                    "is_staff": role == Role.ADMIN,
                    "password": password,
                },
            )
            if created or not Membership.objects.filter(user=user, partner=partner, role=role).exists():
                services.membership_set(user=user, partner=partner, role=role)
            users[username] = user
    return users
