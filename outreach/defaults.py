"""The default templates every partner starts with (Dutch): the corporation's Besluit art. 2 reminder,
the social service's invitation for a talk, the "we came by" card and the respite confirmation.

The art. 2 reminder is the legal one (Besluit gemeentelijke schuldhulpverlening art. 2, see
``arrears/checklist.py``): it points to debt help, offers to pass the household's details on to the
municipality and says how to object to that. ``tests/outreach/test_defaults.py`` holds it to those three.
"""

from __future__ import annotations

from dataclasses import dataclass

from outreach.models import Channel, Purpose


@dataclass(frozen=True)
class Default:
    purpose: str
    name: str
    subject: str
    body: str
    corporation: bool  # for a housing corporation (True) or a social service (False)


ART2_REMINDER = Default(
    purpose=Purpose.ART2_REMINDER,
    name="Herinnering huurachterstand (art. 2)",
    subject="Herinnering: u heeft een huurachterstand",
    corporation=True,
    body="""Beste {household_name},

Wij hebben gezien dat de huur voor {address}, {postcode} {city} niet (helemaal) is betaald. Sinds {arrears_since} heeft u een huurachterstand. Op {today} is dat {arrears_amount}.

Wij willen graag samen met u een oplossing zoeken, bijvoorbeeld een betalingsregeling. Neem contact met ons op.

Hulp bij geldzorgen
Heeft u moeite om rond te komen of heeft u meer schulden? De gemeente helpt u gratis met schuldhulpverlening. U kunt zelf contact opnemen met {debt_help_contact}.

Uw gegevens doorgeven aan de gemeente
Wij bieden u aan om uw naam, adres, contactgegevens en de hoogte van de achterstand door te geven aan de gemeente, zodat die u hulp kan aanbieden. Als de achterstand niet wordt opgelost, zijn wij op grond van de wet (Besluit gemeentelijke schuldhulpverlening, artikel 2) verplicht deze gegevens aan de gemeente te melden.

Bezwaar maken
Wilt u niet dat wij uw gegevens aan de gemeente doorgeven? Dan kunt u daartegen bezwaar maken. Laat ons dat binnen 14 dagen na de datum van deze brief weten: per brief, per e-mail of telefonisch bij {partner_name}. Vermeld uw naam en adres. Wij leggen uw bezwaar vast en geven uw gegevens dan niet door.

Met vriendelijke groet,

{caseworker_name}
{partner_name}""",
)

INVITATION = Default(
    purpose=Purpose.INVITATION,
    name="Uitnodiging voor een gesprek",
    subject="Uitnodiging voor een gesprek over uw geldzaken",
    corporation=False,
    body="""Beste {household_name},

Wij hebben van uw verhuurder gehoord dat er een huurachterstand is van {arrears_amount}. Wij willen u graag helpen om die achterstand en eventuele andere geldzorgen op te lossen, voordat het groter wordt.

Wij nodigen u daarom uit voor een gesprek. Dat kan bij u thuis of bij ons op kantoor. De hulp is gratis en vrijwillig.

Neem contact op met {partner_name} om een afspraak te maken. Wij nemen ook zelf nog contact met u op.

Met vriendelijke groet,

{caseworker_name}
{partner_name}""",
)

VISIT_CARD = Default(
    purpose=Purpose.VISIT_CARD,
    name="Kaartje: wij zijn langs geweest",
    subject="Wij zijn bij u langs geweest",
    corporation=True,
    body="""Beste {household_name},

Op {today} zijn wij bij u langs geweest, maar wij hebben u niet thuis getroffen. Wij willen graag met u praten over uw huurbetaling en hoe wij u kunnen helpen.

Wilt u contact met ons opnemen? Hulp bij geldzorgen kunt u ook krijgen bij {debt_help_contact}.

Met vriendelijke groet,

{caseworker_name}
{partner_name}""",
)

RESPITE_CONFIRMATION = Default(
    purpose=Purpose.RESPITE_CONFIRMATION,
    name="Bevestiging adempauze",
    subject="Bevestiging: adempauze voor uw huurachterstand",
    corporation=True,
    body="""Beste {household_name},

Met deze brief bevestigen wij dat u van ons een adempauze krijgt. Tijdens de adempauze zetten wij geen incassostappen voor uw huurachterstand van {arrears_amount}, zodat u samen met {debt_help_contact} aan een oplossing kunt werken.

Wilt u de lopende huur wel blijven betalen? Heeft u vragen, neem dan contact op met {partner_name}.

Met vriendelijke groet,

{caseworker_name}
{partner_name}""",
)

DEFAULTS = (ART2_REMINDER, INVITATION, VISIT_CARD, RESPITE_CONFIRMATION)


def defaults_for(*, corporation: bool) -> list[Default]:
    """The defaults for a corporation or a social service (the card is both's: either may come by)."""
    return [d for d in DEFAULTS if d.corporation == corporation or d.purpose == Purpose.VISIT_CARD]


CHANNEL = Channel.LETTER
