"""Fuzzing every page's query parameters and forms (hypothesis): no input gives a 5xx (docs/adr/0067).

The URL patterns come from the resolver, so a new view is fuzzed without anyone adding it here. Each
pattern's path parameters are filled with real ids of a small seeded world (and an id too big for any
database); the parameter and field names are the ones the pages themselves show (every ``<form>``'s
inputs, mapped to the URL it posts to, and the query keys of every link), plus the names views read
from the query string. Then, for each role — a corporation's caseworker, manager and partner admin
(staff), a social service's caseworker, the platform administrator and an anonymous visitor — each
pattern gets hypothesis-made values by GET and POST (CSRF checks off: the point is the view, not the
token), with and without htmx headers. Any exception or 5xx answer fails, with the request that caused it.

The API is fuzzed against its schema by schemathesis as well (``make test-api-fuzz``); here it gets
the same browser-style treatment as every other URL. A longer run: ``FUZZ_FACTOR=20``.
"""

import datetime as dt
import itertools
import os
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrears.views.case_actions import ACTIONS
from arrears.workflow import CaseState
from ledger.models import LedgerImport
from reporting.page import TABLE_GROUPS
from tests.arrears.factories import ContactAttemptFactory, NoteFactory, ReferralFactory, flagged_case, move_case
from tests.ledger.factories import LedgerImportFactory
from tests.partners.factories import MembershipFactory, UserFactory

#: An exhaustive sweep: run once, on PostgreSQL (``make test-sqlite`` deselects ``sweep``).
pytestmark = [pytest.mark.django_db, pytest.mark.sweep]

FACTOR = int(os.environ.get("FUZZ_FACTOR", "1"))
#: Examples per (pattern, role), and concrete URLs per pattern. The portal's own pages get the most; the
#: admin's get two for staff and one for everyone else (it refuses them before reading any parameter);
#: the API gets one (schemathesis fuzzes it against its schema). About two minutes of CPU for all six roles.
EXAMPLES = {"portal": 4 * FACTOR, "admin": 2 * FACTOR, "api": 1 * FACTOR}
URLS_PER_PATTERN = {"portal": 8, "admin": 2, "api": 2}
#: Query keys views read without a form showing them (pagination, the admin's changelist, the API).
READ_BY_VIEWS = {"page", "partner", "next", "q", "o", "p", "e", "all", "cursor", "page_size", "format", "_popup"}
TOO_BIG_ID = 10**25

NASTY = [
    "",
    "0",
    "-1",
    "1",
    "9" * 20,
    "9" * 40,
    "1e999",
    "NaN",
    "-0.0",
    "1,5",
    "²",
    "٣",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "31-12-9999",
    "2026-W99",
    "x" * 3000,
    "a\x00b",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "//evil.example/",
    "true",
    "on",
    "caseworker",
    "new",
    "closed",
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(dt.date.isoformat),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


class _Forms(HTMLParser):
    """The names in a page's forms (by the URL each form sends to) and in its links' query strings."""

    def __init__(self, page_url):
        super().__init__()
        self.page_url = page_url
        self.by_action: dict[str, set[str]] = {}
        self.link_keys: set[str] = set()
        self._action = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or attrs.get("hx-post") or attrs.get("hx-get") or self.page_url
            self._action = urlsplit(urljoin(self.page_url, action)).path
            self.by_action.setdefault(self._action, set())
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            target = attrs.get("formaction") or attrs.get("hx-post") or attrs.get("hx-get")
            action = urlsplit(urljoin(self.page_url, target)).path if target else self._action or self.page_url
            self.by_action.setdefault(action, set()).add(attrs["name"])
        elif tag == "a" and attrs.get("href"):
            self.link_keys.update(key for key, _value in parse_qsl(urlsplit(attrs["href"]).query))
        for name in ("hx-post", "hx-get"):
            if tag not in ("form", "input", "select", "textarea", "button") and attrs.get(name):
                self.by_action.setdefault(urlsplit(urljoin(self.page_url, attrs[name])).path, set())

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None


def _patterns(resolver=None, prefix=""):
    """Every URL pattern as (route as written, the pattern), depth first."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


_PATH_PARAM = re.compile(r"(?<!\?P)<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")


def _values_for(name, body, ids):
    """Candidate values of one path parameter."""
    if name in ("pk", "object_id", "id"):
        return [str(i) for i in ids]
    if name == "action":
        return [*ACTIONS, "nope"]
    if name == "table":
        return [*TABLE_GROUPS, "all"]
    if name == "fmt":
        return ["csv", "xlsx"]
    if body and re.fullmatch(r"[\w|-]+", body):  # an alternation: the admin's app labels
        return body.split("|")
    return ["x"]


def _concrete_urls(route, ids, limit):
    """Paths that resolve to this pattern, its parameters filled with candidate values."""
    text = re.sub(r"\$$", "", re.sub(r"(^|/)\^", r"\1", route))  # the regexes' anchors, not "[^/.]"
    params = [(m.group("name"), None) for m in _PATH_PARAM.finditer(text)]
    params += [(m.group("name"), m.group("body")) for m in _REGEX_GROUP.finditer(text)]
    choices = [_values_for(name, body, ids) for name, body in params]
    urls = []
    for combination in itertools.islice(itertools.product(*choices), 200):
        path = text
        for (name, _body), value in zip(params, combination, strict=True):
            path = re.sub(rf"(?<!\?P)<(?:[^>:]+:)?{name}>", value, path)
            path = re.sub(rf"\(\?P<{name}>(?:[^()]|\([^()]*\))*\)", value, path)
        if path.endswith(".*"):  # a catch-all (the API's JSON 404)
            path = path[:-2] + "no-such-thing/"
        if re.search(r"[\\()\[\]*+?{}|]", path):
            continue  # a regex we cannot fill: reported below as a pattern without a URL
        urls.append("/" + path)
    return urls if len(urls) <= limit else [*urls[: limit - 1], urls[-1]]  # the last has the too-big id


def _kind(route):
    if route.startswith("admin/"):
        return "admin"
    if route.startswith("api/"):
        return "api"
    return "portal"


@pytest.fixture
def small_world(world, settings):
    """The alice/bob/charlie world with a case in every stage, a referral, notes, contact attempts,
    an import with an error report and a user per role; throttling counts in a cache of its own."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fuzz"}}
    new = flagged_case(world.corp_a)
    signalled = move_case(
        flagged_case(world.corp_a), queue_partner=world.sd, state=CaseState.SIGNALLED, signalled_at=timezone.now()
    )
    taken_up = move_case(
        flagged_case(world.corp_a),
        queue_partner=world.sd,
        state=CaseState.TAKEN_UP,
        signalled_at=timezone.now(),
        taken_up_at=timezone.now(),
        assignee=world.charlie,
        respite_until=timezone.localdate() + dt.timedelta(days=10),
    )
    referred = flagged_case(world.corp_a)
    ReferralFactory(case=referred, to_partner=world.sd)
    for case in (new, taken_up):
        NoteFactory(case=case, partner=case.queue_partner, author=world.alice, text="Gebeld")
        ContactAttemptFactory(case=case, partner=case.queue_partner, date=timezone.localdate())
    other = flagged_case(world.corp_b)
    report = LedgerImportFactory(
        partner=world.corp_a,
        status=LedgerImport.Status.SUCCEEDED,
        errors=[{"line": 2, "column": "Saldo", "value": "=1+1", "reason": "geen bedrag"}],
    )
    roles = {
        "corporation caseworker": world.alice,
        "corporation manager": MembershipFactory(
            user=UserFactory(username="fuzz-manager"), partner=world.corp_a, role="manager"
        ).user,
        "corporation partner admin": MembershipFactory(
            user=UserFactory(username="fuzz-admin", is_staff=True), partner=world.corp_a, role="admin"
        ).user,
        "social-service caseworker": world.charlie,
        "platform administrator": UserFactory(username="fuzz-root", is_staff=True, is_superuser=True),
        "anonymous": None,
    }
    cases = [new, signalled, taken_up, referred, other]
    real = {c.pk for c in cases} | {c.household_id for c in cases} | {report.pk, world.corp_a.pk, world.alice.pk}
    real |= {c.referrals.first().pk for c in cases if c.referrals.exists()}
    ids = [*sorted(real), TOO_BIG_ID]
    return type("SmallWorld", (), {"roles": roles, "ids": ids, "cases": cases})


def _client(user):
    client = Client(enforce_csrf_checks=False, raise_request_exception=True, HTTP_ACCEPT_LANGUAGE="nl")
    if user is not None:
        client.force_login(user)
    return client


def _discover(targets, roles):
    """GET every concrete URL as every role; collect the form field names per URL they send to and
    the links' query keys per page."""
    names: dict[str, set[str]] = {}
    for user in roles.values():
        client = _client(user)
        for urls in targets.values():
            for url in urls:
                response = client.get(url)
                if "html" not in response.get("Content-Type", "") or response.status_code != 200:
                    continue
                parser = _Forms(url)
                parser.feed(response.content.decode("utf-8", "replace"))
                for action, fields in parser.by_action.items():
                    names.setdefault(action, set()).update(fields)
                names.setdefault(url, set()).update(parser.link_keys)
    return names


def _route_names(route, urls, names):
    """The names to fuzz at a pattern: those found for any of its URLs, plus what views read."""
    found = set(READ_BY_VIEWS)
    for url in urls:
        found |= names.get(url, set())
    found.discard("csrfmiddlewaretoken")
    return sorted(found)


#: Besides hypothesis's draws, every portal URL gets each of these in every parameter at once, by GET
#: and by POST: the values that broke pages before (a NUL, a 20-digit number, the calendar's end, "²").
SWEEP = ["a\x00b", "9" * 20, "9999-12-31", "²"]


def _sweep(client_for, urls, field_names):
    for url, value, method in itertools.product(urls, SWEEP, ("get", "post")):
        params = dict.fromkeys(field_names, value)
        response = getattr(client_for(), method)(url, params)
        assert response.status_code < 500, f"{method.upper()} {url} {params!r} → {response.status_code}"


def _fuzz(client_for, route, urls, field_names, examples):
    htmx_targets = ["queue-results", "case-main", "import-status", "import-row-1", "case-row-1"]

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,  # the same requests every run: CI failures reproduce
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        url=st.sampled_from(urls),
        method=st.sampled_from(["get", "post"]),
        params=st.dictionaries(
            st.sampled_from(field_names), st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3)), max_size=8
        ),
        htmx=st.one_of(st.none(), st.sampled_from(htmx_targets)),
    )
    def run(url, method, params, htmx):
        headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": htmx} if htmx else {}
        response = getattr(client_for(), method)(url, params, **headers)
        assert response.status_code < 500, f"{method.upper()} {url} {params!r} {headers} → {response.status_code}"

    run()


@pytest.mark.parametrize(
    "role",
    [
        "corporation caseworker",
        "corporation manager",
        "corporation partner admin",
        "social-service caseworker",
        "platform administrator",
        "anonymous",
    ],
)
def test_no_input_to_any_page_gives_a_server_error(small_world, role):
    targets, unreachable = {}, []
    for route, pattern in _patterns():
        urls, shadowed = [], False
        for url in _concrete_urls(route, small_world.ids, URLS_PER_PATTERN[_kind(route)]):
            try:
                match = resolve(url)
            except Resolver404:
                continue
            if match.func is pattern.callback:
                urls.append(url)
            else:
                shadowed = True  # an earlier pattern answers this path (the admin's own login form)
        if urls:
            targets[route] = urls
        elif not shadowed:
            unreachable.append(route)
    # Every pattern is reached (a new kind of path parameter needs a value in ``_values_for``).
    assert unreachable == []
    user = small_world.roles[role]
    staff = user is not None and user.is_staff
    pages = {r: u if _kind(r) == "portal" else u[:1] for r, u in targets.items() if _kind(r) == "portal" or staff}
    names = _discover(pages, {role: user})
    client = _client(user)

    def client_for():
        # A POST to logout (or a lockout) ends the session: sign in again where needed.
        if user is not None and "_auth_user_id" not in client.session:
            client.force_login(user)
        return client

    for route, urls in targets.items():
        examples = 1 if _kind(route) == "admin" and not staff else EXAMPLES[_kind(route)]
        if _kind(route) == "portal":
            _sweep(client_for, urls[:1], _route_names(route, urls, names))
        _fuzz(client_for, route, urls, _route_names(route, urls, names), examples)
