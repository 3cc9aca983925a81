"""Tenancies and their master data from a ledger file: new households and tenancies inserted
set-based (ids allocated up front), known ones updated where the file says something new.

The personal fields (``households.models.PERSONAL_FIELDS``) are written only for households with an
open or recent arrears episode (the case app's rule, through :mod:`ledger.hooks`), and only after
flagging (:meth:`MasterData.fill_people`): a household whose episode opens tonight gets them from tonight's
file; every other household stays a row without a person (docs/adr/0071)."""

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _

from households.models import PERSONAL_FIELDS, Household, Tenancy
from ledger.hooks import episode_hooks
from ledger.importing import values
from partners.models import Municipality


class MasterData:
    """Mixed into :class:`~ledger.importing.applying.Applier`."""

    def _write_master(self):
        m = self.parsed.master
        if m is None:
            return
        applied_codes = np.unique(self.parsed.contract.codes[self.applied])
        m = m[m.index.isin(applied_codes)]
        if m.empty:
            return
        n = len(m)
        col = lambda name: m[name].tolist() if name in m else [None] * n  # noqa: E731
        names, initials, prefixes, surnames = [], [], [], []
        given_parts = ("initials" in m, "surname_prefix" in m, "surname" in m)
        for name, ini, pre, sur in zip(
            col("tenant_name"), col("initials"), col("surname_prefix"), col("surname"), strict=True
        ):
            if name and not any(given_parts):
                ini, pre, sur = values.split_name(name)
            names.append(name or " ".join(x for x in (ini, pre, sur) if x) or None)
            initials.append(ini)
            prefixes.append(pre)
            surnames.append(sur)
        streets, numbers, suffixes = col("street"), [], col("house_number_suffix")
        for i, (number, address) in enumerate(zip(col("house_number"), col("address"), strict=True)):
            if address and not streets[i]:
                streets[i], number_from_address, suffix = address
                number = (number_from_address, suffix)
            numbers.append(number[0] if number else None)
            if number and number[1] and not suffixes[i]:
                suffixes[i] = number[1]
        municipalities = col("municipality_code")
        self._check_municipalities(m, municipalities)
        codes = m.index.to_numpy()
        is_new = np.isin(codes, self.new_codes)
        household_of = dict(zip(self.new_codes.tolist(), self.new_household_ids.tolist(), strict=True))
        self._temp(
            "import_master",
            f"tenancy_id {self.db.bigint}, household_id {self.db.bigint}, is_new integer, contract_number text, "
            "name text, initials text, surname_prefix text, surname text, date_of_birth date, phone text, email text, "
            f"street text, house_number integer, house_number_suffix text, postcode text, city text, "
            f"municipality_code text, rent_c {self.db.bigint}",
        )
        self.db.load(
            self.cursor,
            "import_master",
            {
                "tenancy_id": self.tenancy_of[codes],
                "household_id": np.asarray([household_of.get(c, 0) for c in codes.tolist()], np.int64),
                "is_new": is_new.astype(np.int64),
                "contract_number": np.asarray([self.numbers[c] for c in codes], dtype=object),
                "name": _obj(names),
                "initials": _obj(initials),
                "surname_prefix": _obj(prefixes),
                "surname": _obj(surnames),
                "date_of_birth": _obj(col("date_of_birth")),
                "phone": _obj(col("phone")),
                "email": _obj(col("email")),
                "street": _obj(streets),
                "house_number": _obj(numbers),
                "house_number_suffix": _obj(suffixes),
                "postcode": _obj(col("postcode")),
                "city": _obj(col("city")),
                "municipality_code": _obj(municipalities),
                "rent_c": _obj(col("monthly_rent")),
            },
        )
        self._insert_new_tenancies()
        self._update_known_tenancies()

    def _check_municipalities(self, m, municipalities):
        wanted = {c for c in municipalities if c}
        if not wanted:
            return
        known = set(Municipality.objects.filter(code__in=wanted).values_list("code", flat=True))
        header = self.parsed.table.headers[self.parsed.table.found["municipality_code"]]
        for i, code in enumerate(municipalities):
            if code and code not in known:
                self.parsed.errors.add(
                    line=m["line"].iloc[i],
                    column=header,
                    value=code,
                    code="unknown_municipality",
                    reason=_("unknown municipality code; left empty"),
                    rejected=False,
                )
                municipalities[i] = None

    def _insert_new_tenancies(self):
        if not len(self.new_codes):
            return
        # A new household has no episode yet: no personal fields (fill_people adds them if it is flagged).
        given = {"id": "m.household_id", "corporation_id": "%s", "municipality_id": "mu.code"}
        # A join, not a subquery per row (the codes were checked in _check_municipalities).
        join = "LEFT JOIN partners_municipality mu ON mu.code = m.municipality_code"
        self._insert_select(Household, given, [self.partner_id], join=join)
        given = {
            "id": "m.tenancy_id",
            "corporation_id": "%s",
            "household_id": "m.household_id",
            "contract_number": "m.contract_number",
            "monthly_rent": self.db.money("m.rent_c"),
        }
        self._insert_select(Tenancy, given, [self.partner_id])

    def _insert_select(self, model, given, params, join=""):
        columns, defaults = self.db.other_columns(model, set(given))
        names = ", ".join([*given, *columns])
        selected = ", ".join([*given.values(), *["%s"] * len(columns)])
        self._exec(
            f"INSERT INTO {model._meta.db_table} ({names}) SELECT {selected} "
            f"FROM import_master m {join} WHERE m.is_new = 1",
            [*params, *defaults],
        )

    def _update_known_tenancies(self):
        """Master data in the file overwrites what is known; an empty cell keeps the known value. Here
        the municipality (every household keeps it: routing, dashboards) and the rent; the personal
        fields in :meth:`fill_people`."""
        h = "households_household"
        new = (
            f"COALESCE((SELECT code FROM partners_municipality WHERE code = m.municipality_code), {h}.municipality_id)"
        )
        self.summary["updated_households"] = self._exec(
            f"UPDATE {h} SET municipality_id = {new}, updated_at = %s FROM import_master m, households_tenancy t "
            f"WHERE m.is_new = 0 AND m.municipality_code IS NOT NULL AND t.id = m.tenancy_id "
            f"AND {h}.id = t.household_id AND ({self.db.differs(new, f'{h}.municipality_id')})",
            [self.now],
        )
        rent = self.db.money("m.rent_c")
        self._exec(
            f"UPDATE households_tenancy SET monthly_rent = {rent} FROM import_master m "
            f"WHERE m.is_new = 0 AND m.rent_c IS NOT NULL AND households_tenancy.id = m.tenancy_id "
            f"AND households_tenancy.monthly_rent <> {rent}"
        )

    def fill_people(self) -> None:
        """After flagging, in the import's transaction: the file's personal fields for the households
        that may hold them — those whose episode opened tonight, and those whose episode or case lives
        on (kept up to date). One set-based UPDATE; an empty cell keeps the known value. Counted in the
        summary :meth:`run` returned."""
        if "import_master" not in self.temp:
            return
        h = "households_household"
        new = {f: f"COALESCE(m.{f}, {h}.{f})" for f in PERSONAL_FIELDS}
        sets = ", ".join(f"{f} = {expr}" for f, expr in new.items())
        changed = " OR ".join(self.db.differs(expr, f"{h}.{f}") for f, expr in new.items())
        with connection.cursor() as cursor:
            self.cursor = cursor
            held = episode_hooks().person_held_sql(h)
            people = self._exec(
                f"UPDATE {h} SET {sets}, updated_at = %s FROM import_master m, households_tenancy t "
                f"WHERE t.id = m.tenancy_id AND {h}.id = t.household_id AND {held} AND ({changed})",
                [self.now],
            )
            self.db.drop(cursor, "import_master")
        self.temp.remove("import_master")
        self.summary["updated_households"] = self.summary.get("updated_households", 0) + people
        self.summary["personal_data_written"] = people


def _obj(items):
    return np.asarray(items, dtype=object)
