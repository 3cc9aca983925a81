"""Reproducible rent-ledger exports for the import benchmark (and for demo data).

``tenancies(n)`` makes the master data; ``write_snapshot`` an arrears list (one row per tenancy);
``write_transactions`` a transaction ledger: per tenancy and month a rent charge due on the 1st and,
for most tenants, a payment. A fixed seed gives the same bytes every run. Written like a Dutch ERP
export: ``;``-separated, decimal comma with thousands dots, ``dd-mm-yyyy`` dates.

    python bench/ledger_generator.py --tenancies 1000 --months 12 --as-of 2026-10-31 out.csv
"""

import argparse
import datetime as dt
import random

STREETS = ["Voorstraat", "Wijnstraat", "Singel", "Merwedestraat", "Dubbeldamseweg", "Krispijnseweg", "Reeweg",
           "Groenmarkt", "Vest", "Spuiboulevard", "Oranjelaan", "Bankastraat", "Vrieseweg", "Hallincqlaan"]  # fmt: skip
SURNAMES = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
            "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Yilmaz", "El Amrani"]  # fmt: skip
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]  # fmt: skip
LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
PLACES = [
    ("Dordrecht", "0505", 33),
    ("Zwijndrecht", "0642", 33),
    ("Papendrecht", "0590", 33),
    ("Sliedrecht", "0610", 33),
]


def tenancies(n, *, seed=1, prefix="DW"):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        place, code, pc = PLACES[i % len(PLACES)]
        out.append(
            {
                "contract": f"{prefix}{i + 1:07d}",
                "name": f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(SURNAMES)}",
                "street": rng.choice(STREETS),
                "number": rng.randint(1, 250),
                "suffix": rng.choice(["", "", "", "a", "b", "2"]),
                "postcode": f"{pc}{rng.randint(10, 99)} {''.join(rng.choices(LETTERS, k=2))}",
                "place": place,
                "municipality": code,
                "rent_c": rng.randrange(45000, 95000, 5),
                "habit": rng.choices(["punctual", "late", "slipping", "stopped"], weights=[84, 9, 5, 2])[0],
            }
        )
    return out


def money(cents):
    """-123456 → ``-1.234,56`` (Dutch)."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{frac:02d}"


def ddmmyyyy(day):
    return day.strftime("%d-%m-%Y")


def month_starts(as_of, months):
    first = as_of.replace(day=1)
    starts = []
    for back in range(months - 1, -1, -1):
        y, m = divmod(first.year * 12 + first.month - 1 - back, 12)
        starts.append(dt.date(y, m + 1, 1))
    return starts


def ledger(tenancy, starts, as_of, rng):
    """(booking date, due date, cents, description) lines of one tenancy."""
    lines = []
    habit = tenancy["habit"]
    rent = tenancy["rent_c"]
    for index, due in enumerate(starts):
        lines.append((due, due, rent, f"Huur {MONTHS[due.month - 1]} {due.year}"))
        last_months = len(starts) - index
        if habit == "stopped" and last_months <= 3:
            continue
        if habit == "slipping" and last_months <= 4 and rng.random() < 0.6:
            continue
        delay = rng.randint(0, 9) if habit in ("punctual", "stopped") else rng.randint(15, 45)
        paid_on = due + dt.timedelta(days=delay)
        if paid_on <= as_of:
            amount = rent if habit != "slipping" else rent // 2
            lines.append((paid_on, paid_on, -amount, "Betaling"))
    return lines


def write_transactions(path, tenancies, *, as_of, months=12, master=False, seed=2):
    rng = random.Random(seed)
    starts = month_starts(as_of, months)
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        head = "Contractnummer;Boekdatum;Vervaldatum;Bedrag;Omschrijving"
        if master:
            head += ";Huurder;Straat;Huisnummer;Toevoeging;Postcode;Plaats;Gemeentecode;Kale huur"
        out.write(head + "\n")
        for t in tenancies:
            tail = ""
            if master:
                tail = (
                    f";{t['name']};{t['street']};{t['number']};{t['suffix']};{t['postcode']};{t['place']};"
                    f"{t['municipality']};{money(t['rent_c'])}"
                )
            for booked, due, cents, text in ledger(t, starts, as_of, rng):
                out.write(f"{t['contract']};{ddmmyyyy(booked)};{ddmmyyyy(due)};{money(cents)};{text}{tail}\n")
                count += 1
    return count


def write_snapshot(path, tenancies, *, as_of, seed=3):
    """An arrears list: every tenancy, its balance and oldest unpaid due date."""
    rng = random.Random(seed)
    starts = month_starts(as_of, 6)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(
            "Contractnummer;Huurder;Straat;Huisnummer;Toevoeging;Postcode;Plaats;Gemeentecode;Kale huur;Saldo;"
            "Oudste vervaldatum;Datum laatste betaling;Datum aanmaning\n"
        )
        for t in tenancies:
            lines = ledger(t, starts, as_of, rng)
            balance = sum(c for _b, _d, c, _t in lines)
            paid = -sum(c for _b, _d, c, _t in lines if c < 0)
            oldest, running = "", 0
            for _b, due, cents, _t in lines:
                if cents > 0:
                    running += cents
                    if running > paid:
                        oldest = ddmmyyyy(due)
                        break
            last_payment = max((b for b, _d, c, _t in lines if c < 0), default=None)
            reminder = ""
            if oldest and balance > 0 and (as_of - dt.datetime.strptime(oldest, "%d-%m-%Y").date()).days > 21:
                reminder = ddmmyyyy(dt.datetime.strptime(oldest, "%d-%m-%Y").date() + dt.timedelta(days=21))
            out.write(
                f"{t['contract']};{t['name']};{t['street']};{t['number']};{t['suffix']};{t['postcode']};{t['place']};"
                f"{t['municipality']};€ {money(t['rent_c'])};€ {money(balance)};{oldest};"
                f"{ddmmyyyy(last_payment) if last_payment else ''};{reminder}\n"
            )
    return len(tenancies)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--tenancies", type=int, default=1000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 10, 31))
    parser.add_argument("--snapshot", action="store_true", help="An arrears list instead of a transaction ledger.")
    parser.add_argument("--master", action="store_true", help="Repeat tenancy master data on each line.")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = tenancies(args.tenancies, seed=args.seed)
    if args.snapshot:
        n = write_snapshot(args.path, rows, as_of=args.as_of)
    else:
        n = write_transactions(args.path, rows, as_of=args.as_of, months=args.months, master=args.master)
    print(f"{args.path}: {n} rows")


if __name__ == "__main__":
    main()
