"""The DDAS Vroegsignalering v0.9 vocabularies (docs/domain.md §8; the standard's schema is
``reporting/schemas/ddas-v0.9-uitwisselmodel.json``), used as model choices so the national monitor
export is a mapping, not a translation. Values are the standard's own strings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignalPartnerType(models.TextChoices):
    RENT = "Huur", _("Rent")


class ContactKind(models.TextChoices):
    MAIL = "Mail", _("E-mail")
    LETTER = "Brief", _("Letter")
    SMS = "SMS/Whatsapp", _("SMS/WhatsApp")
    PHONE = "Telefoon", _("Phone")
    HOME_VISIT = "Huisbezoek", _("Home visit")
    CARD = "Kaartje", _("Card through the door")
    ADMINISTRATIVE = "Administratief", _("Administrative")
    OTHER = "Overige", _("Other")


class PartOfDay(models.TextChoices):
    MORNING = "Ochtend", _("Morning")
    AFTERNOON = "Middag", _("Afternoon")
    EVENING = "Avond", _("Evening")


class FinalResult(models.TextChoices):
    """EnumEindresultaat: the one final result of a case."""

    REPEATED = "Niet opgepakt: herhaalde melding", _("Not taken up: repeated signal")
    UNJUSTIFIED = "Niet opgepakt: onterecht signaal", _("Not taken up: unjustified signal")
    DECEASED = "Inwoner is overleden", _("Resident has died")
    NOT_RESIDENT = "Persoon is geen inwoner (meer) in de gemeente", _("Person no longer lives in the municipality")
    OTHER_REASON = "Niet opgepakt: andere reden", _("Not taken up: other reason")
    KNOWN_TO_DEBT_HELP = "Inwoner al bekend bij schuldhulpverlening", _("Resident already known to debt assistance")
    OTHER_TRAJECTORY = "Inwoner heeft al een ander lopend traject", _("Resident already has another trajectory")
    NO_CONTACT = "Definitief geen contact kunnen krijgen", _("No contact could be made")
    NO_RESPONSE = "Geen reactie na eerder contact", _("No response after earlier contact")
    NO_HELP_WANTED = "Inwoner hoeft geen hulp vanuit vroegsignalering", _("Resident does not want help")
    PAID = "Inwoner heeft zelf al betaald/betalingsregeling getroffen", _("Resident paid or made a payment arrangement")
    ADVICE = "(Budget)advies en/of quick fix", _("Budget advice or quick fix")
    FOLLOW_UP_FINANCIAL = "Vervolghulp en/of verwijzing financieel", _("Follow-up help or financial referral")
    REFERRAL_NO_CONTACT = "Verwijzing zonder contact", _("Referral without contact")
    FOLLOW_UP_NON_FINANCIAL = (
        "Vervolghulp en/of verwijzing niet financieel",
        _("Follow-up help or non-financial referral"),
    )


class SignalStatus(models.TextChoices):
    """EnumSignaalstatus: a signal's status in the monitor export. A signal that was taken up has none."""

    NOT_YET_TAKEN_UP = "Nog niet opgepakt", _("Not yet taken up")
    UNJUSTIFIED = "Niet opgepakt: onterecht signaal", _("Not taken up: unjustified signal")
    DECEASED = "Inwoner is overleden", _("Resident has died")
    NOT_RESIDENT = "Persoon is geen inwoner (meer) in de gemeente", _("Person no longer lives in the municipality")
    REPEATED = "Niet opgepakt: herhaalde melding", _("Not taken up: repeated signal")
    OTHER_REASON = "Niet opgepakt: andere reden", _("Not taken up: other reason")


class CorporationOutcome(models.TextChoices):
    """How a *corporation* closes its case (not a DDAS list: the municipality's final results are
    :class:`FinalResult`). Which list a closer gets, and what an outcome means for the DDAS monitor, is
    ``arrears.outcomes``. Values are stable slugs: they are stored, exported and counted."""

    ARREARS_PAID = "arrears_paid", _("Arrears paid")
    ARRANGEMENT_KEPT = "arrangement_kept", _("Payment arrangement kept")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")
    TENANCY_ENDED = "tenancy_ended", _("Tenancy ended")
    HANDED_TO_SOCIAL_SERVICE = "handed_to_social_service", _("Handed to the social service")
    EVICTION_EXECUTED = "eviction_executed", _("Eviction executed")
