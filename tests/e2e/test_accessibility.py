"""Every page, for every role, checked by axe-core against WCAG 2.1 A and AA (docs/accessibility.md).

The pages come from the URL conf: every named URL outside the API's endpoints is in ``PAGES`` — with the
URLs to visit (a case in each state a case page shows differently, the queue with filters, …) — or in
``NOT_PAGES`` with the reason it is no page to check (a POST target, a download); a new URL fails
``test_every_url_is_a_page_or_says_why_not`` until it is placed. The admin's pages come from the admin's
registry: its index, each app's index, and each model's list, add form and change form.

Each role logs in once through the real login form, in one browser context, and visits every URL; what it
reaches (an HTML page, or an error page once per status) is checked with every ``<details>`` opened, so
the folded action forms (eviction step, respite, consent withdrawal, …) are checked too. A few flows reach
what no GET shows: a form sent back with its errors, a search, two-factor enrolment and its recovery codes,
the privacy lookup, a wrong password and the lockout page.

Axe runs the rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa, and its best practices (heading order,
unique landmarks, all content in landmarks); any violation fails, listed as page, role, rule and target.
Django's own admin markup has a short allow-list (``ADMIN_ALLOWED``), for admin pages only.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from arrears.models import Case, EvictionStep, Signal
from arrears.services import cases as case_services
from arrears.services import notes, referrals, respite
from arrears.vocabularies import ContactKind, CorporationOutcome
from ledger.models import LedgerImport
from tests.arrears.factories import flagged_case
from tests.arrears.test_permission_matrix import _url_names
from tests.e2e.conftest import login
from tests.ledger.factories import ArrearsSnapshotFactory, LedgerImportFactory
from tests.partners.factories import NeighbourhoodFactory, RoutingRuleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
#: WCAG 2.1 A and AA; and axe's best practices, which hold the rules on headings and landmarks.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
#: axe-core from npm (package.json, pinned; `npm ci` in .ci/run), injected into each page by Playwright.
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_SOURCE = AXE_JS.read_text() if AXE_JS.exists() else ""
#: WCAG 1.4.10 (reflow) and 1.4.4 (resize text): at 320 CSS pixels wide (1280 px at 400 %) and at 640
#: (1280 px at 200 %) nothing scrolls sideways but a data table inside its own scrollable region.
REFLOW_WIDTHS = (320, 640)
VIEWPORT = {"width": 1366, "height": 900}
#: The outermost elements (or, failing those, the texts) that stick out to the right, outside any scroll
#: container of their own (at most five). An absolutely positioned element escapes the scroll containers
#: between it and its containing block, so they do not count for it.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth, found = [], outermost = [];
  if (document.documentElement.scrollWidth <= width + 1) return found;
  const clips = style => ["auto", "scroll", "hidden", "clip"].includes(style.overflowX);
  const clipped = el => {
    const position = getComputedStyle(el).position;
    let escapesTo = position === "absolute" || position === "fixed" ? el.offsetParent : undefined;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (escapesTo !== undefined && p !== escapesTo) continue;
      const style = getComputedStyle(p);
      if (clips(style)) return true;
      escapesTo = style.position === "absolute" || style.position === "fixed" ? p.offsetParent : undefined;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const report = (el, r, what) => {
    outermost.push(el);
    found.push(name(el) + what + ` (right edge ${Math.round(r.right)} px)`);
  };
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1 && !clipped(el) && !outermost.some(o => o.contains(el))) {
      report(el, r, "");
      if (found.length === 5) return found;
    }
  }
  // A word longer than its box sticks out of it without moving the box's edge.
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), range = document.createRange();
  for (let text = texts.nextNode(); text && found.length < 5; text = texts.nextNode()) {
    const el = text.parentElement;
    if (!text.data.trim() || !el || outermost.some(o => o.contains(el))) continue;
    range.selectNodeContents(text);
    const r = range.getBoundingClientRect();
    if (r.width && r.right > width + 1 && !clips(getComputedStyle(el)) && !clipped(el)) report(el, r, " (its text)");
  }
  return found.length ? found : ["the page (scrollWidth " + document.documentElement.scrollWidth + " px)"];
}"""

#: Resolves after three animation frames: once resize observers and the frame callbacks they ask for have run.
SETTLED_JS = """() => new Promise(done =>
  requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done))))"""

#: The roles, as (partner, role) of the ``people`` fixture; the partner admin is a staff user, as the
#: demo's are, so it reaches the admin. The anonymous visitor sees the login page (last: it ends locked out).
ROLES = {
    "corporation caseworker": ("corp_a", "caseworker"),
    "corporation manager": ("corp_a", "manager"),
    "social-service caseworker": ("sd", "caseworker"),
    "social-service manager": ("sd", "manager"),
    "partner admin": ("corp_a", "admin"),
    "anonymous": None,
}

#: Rule → why axe may report it on the Django admin's own pages (never on the portal's). Each entry is
#: markup of django.contrib.admin's templates, not ours, that we would have to copy to change. Keep it
#: short: fix what is ours instead (``LabelledInlineFormSet`` in partners/admin.py names the inline
#: formsets' fields; static/css/admin.css underlines the breadcrumbs).
ADMIN_ALLOWED = {
    # A best practice, not a WCAG criterion: the tabular inline's first column heading is empty
    # (admin/edit_inline/tabular.html); its cells hold each row's title, which needs no heading.
    "empty-table-header": "Django's tabular inline leaves its first column heading empty",
}


def _case_urls(name):
    return lambda s: [reverse(name, args=[case.pk]) for case in s.cases.values()]


#: URL name → the URLs to visit (given the built site). Every role visits every one.
PAGES = {
    "login": lambda s: [reverse("login")],
    "home": lambda s: [reverse("home")],
    "queue": lambda s: [
        reverse("queue"),
        reverse("queue") + "?state=new&overdue=on&sort=-amount",
        reverse("queue") + "?respite=yes&per_page=50",
        reverse("queue") + "?amount_min=100000",  # nothing found
        reverse("queue") + "?queue=all&repeat=yes&age=under27&arrears=cleared",  # the triage filters
    ],
    "own-file": lambda s: [reverse("own-file")],
    "case-detail": _case_urls("case-detail"),
    "letter-new": _case_urls("letter-new"),
    "imports": lambda s: [reverse("imports")],
    "import-detail": lambda s: [reverse("import-detail", args=[i.pk]) for i in s.imports],
    "dashboard": lambda s: [reverse("dashboard")],
    "dashboard-report": lambda s: [reverse("dashboard-report")],
    "dashboard-ddas": lambda s: [reverse("dashboard-ddas")],
    "privacy-find": lambda s: [reverse("privacy-find")],
    "two-factor-setup": lambda s: [reverse("two-factor-setup")],
    "two-factor-recovery-codes": lambda s: [reverse("two-factor-recovery-codes")],
}
#: URL name → why it is not visited as a page here.
NOT_PAGES = {
    "logout": "POST only",
    "set_language": "POST only (the language buttons are in every page's header)",
    "health": "JSON",
    "queue-search": "POST only (its result is the queue page, checked with a search in _flows)",
    "queue-bulk-assign": "POST only",
    "case-action": "POST only (each action's form is on the case page; a form with errors in _flows)",
    "case-compliance-file": "a PDF (its link is on the case page)",
    "letter-pdf": "a PDF (its link is on the timeline after a letter is sent)",
    "import-errors-csv": "CSV",
    "dashboard-export": "CSV or XLSX",
    "privacy-household": "reached by the lookup only (no browsing by id): checked in _flows",
    "privacy-export": "POST only, JSON",
    "privacy-erase": "POST only",
    "two-factor-qr": "an SVG image (on the enrolment page)",
    "two-factor-verify": "needs a confirmed authenticator: checked in _flows",
    "api:schema": "the OpenAPI schema (YAML/JSON)",
    # The API's documentation for developers is drawn in the browser by vendored Swagger UI and Redoc:
    # their markup and colours are theirs, not ours (axe finds nested controls and low contrast in
    # them), and the same content is the schema above. Known and left: docs/accessibility.md.
    "api:docs": "third-party developer documentation (Swagger UI); see docs/accessibility.md",
    "api:redoc": "third-party developer documentation (Redoc); see docs/accessibility.md",
}


def _api_names():
    return {name for name in _url_names() if name.startswith("api:")} - set(PAGES) - set(NOT_PAGES)


def test_every_url_is_a_page_or_says_why_not():
    names = set(_url_names()) - _api_names()  # the API's endpoints answer JSON (tests/api/)
    assert names == set(PAGES) | set(NOT_PAGES), "put the new URL in PAGES (or NOT_PAGES, saying why)"


def _admin_urls():
    """The admin's index, each app's index, each model's list, add form and change form (of its first
    row, if any): the admin's own permission checks decide what a role gets."""
    urls = [reverse("admin:index")]
    apps = set()
    for model, _model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        meta = model._meta
        if meta.app_label not in apps:
            apps.add(meta.app_label)
            urls.append(reverse("admin:app_list", args=[meta.app_label]))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
    return urls


@pytest.fixture
def site(world, people):
    """One corporation's cases in every state a page shows differently, an import with errors, and a
    user per role."""
    today = timezone.localdate()
    alice, charlie = world.alice, world.charlie
    admin_user = people["corp_a", "admin"]
    admin_user.is_staff = True
    admin_user.save()
    bu = NeighbourhoodFactory(municipality=world.dordrecht, code="BU05050301", name="Krispijn")

    def household(name, number):
        return {
            "name": name,
            "street": "Vrieseweg",
            "house_number": number,
            "postcode": "3311 AB",
            "phone": "0612345678",
            "municipality": world.dordrecht,
            "neighbourhood": bu,
        }

    new = flagged_case(world.corp_a, opened_days_ago=9, amount="1312.40", household=household("M. Jansen", 1))
    for back in range(6, 0, -1):
        ArrearsSnapshotFactory(
            tenancy=new.household.tenancies.get(),
            as_of=today - dt.timedelta(days=30 * back),
            balance=Decimal(120 * (7 - back)),
        )
    checklist = flagged_case(world.corp_a, household=household("P. de Wit", 2))
    case_services.case_claim(case=checklist, by=alice)
    case_services.checklist_record(case=checklist, by=alice, item="reminder_sent", date=today)
    case_services.contact_attempt_record(
        case=checklist, by=alice, kind=ContactKind.PHONE, reached=True, date=today, outcome="Belt terug"
    )
    notes.note_record(case=checklist, by=alice, text="Mevrouw belt terug na haar dienst.")
    in_respite = flagged_case(world.corp_a, queue_partner=world.sd, household=household("K. Yilmaz", 3))
    case_services.case_take_up(case=in_respite, by=charlie)
    respite.respite_grant(case=in_respite, by=charlie, until=today + dt.timedelta(days=30))
    crisis = flagged_case(world.corp_a, household=household("S. Bakker", 4))
    kind = EvictionStep.Kind
    case_services.eviction_step_record(case=crisis, by=alice, kind=kind.SUMMONS, date=today, note="Deurwaarder")
    case_services.eviction_step_record(case=crisis, by=alice, kind=kind.JUDGMENT_GRANTED, date=today)
    case_services.eviction_step_record(case=crisis, by=alice, kind=kind.ANNOUNCED, date=today + dt.timedelta(days=20))
    referred = flagged_case(world.corp_a, household=household("A. Visser", 5))
    referrals.referral_create(
        case=referred, by=alice, to_partner=world.sd, consent_on=today, reason="Schulden bij meerdere partijen"
    )
    withdrawn = flagged_case(world.corp_a, household=household("B. Smit", 6))
    referrals.referral_create(case=withdrawn, by=alice, to_partner=world.sd, consent_on=today)
    referrals.consent_withdraw(case=withdrawn, by=alice, date=today)
    closed = flagged_case(world.corp_a, household=household("C. Mulder", 7))
    case_services.case_close(case=closed, by=alice, corporation_outcome=CorporationOutcome.TENANCY_ENDED)
    # Arrears cleared (docs/adr/0093): the notice with its one-click close.
    cleared = flagged_case(world.corp_a, household=household("D. Kaya", 8))
    cleared.signals.update(status=Signal.Status.CLOSED, closed_on=today, amount=0)
    Case.objects.filter(pk=cleared.pk).update(arrears_ended_on=today)
    # A rule on the agreement, after the case work above (it would route): the admin shows it as a form.
    RoutingRuleFactory(agreement=world.corp_a.agreements.get(), name="Hoge achterstand", min_amount=Decimal(2000))
    imports = [
        LedgerImportFactory(
            partner=world.corp_a,
            status=LedgerImport.Status.SUCCEEDED,
            errors=[{"line": 2, "column": "Saldo", "value": "=1+1", "reason": "geen bedrag"}],
        ),
        LedgerImportFactory(partner=world.corp_a, status=LedgerImport.Status.FAILED),
    ]
    cases = {
        "new": new,
        "checklist": checklist,
        "in respite": in_respite,
        "crisis": crisis,
        "referred": referred,
        "consent withdrawn": withdrawn,
        "closed": closed,
        "arrears cleared": cleared,
    }
    users = {role: None if key is None else people[key] for role, key in ROLES.items()}
    return type("Site", (), {"world": world, "cases": cases, "imports": imports, "users": users})


class Checker:
    """Visits pages in one role's browser context and collects axe's violations."""

    def __init__(self, page, role):
        self.page, self.role = page, role
        self.checked: list[str] = []  # what was checked, by final URL (or error status)
        self.violations: list[str] = []

    def visit(self, url):
        response = self.page.goto(url)
        status = response.status if response else 0
        final = urlsplit(self.page.url)
        path = final.path + (f"?{final.query}" if final.query else "")
        content_type = (response.headers.get("content-type", "") if response else "") or ""
        if "html" not in content_type:
            return
        key = f"error {status}" if status >= 400 else path
        if final.path != urlsplit(url).path:
            key = f"{final.path} (redirected)"  # the login's ?next=… differs per page; the page does not
        if key in self.checked:
            return
        self.check(key)

    def check(self, label):
        self.checked.append(label)
        self.page.wait_for_load_state("load")
        # Folded content (the case page's action forms, the filters, tables behind "show as a table").
        self.page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        # Evaluated through the DevTools protocol: the pages' CSP (script-src 'self') stays as it is.
        self.page.evaluate(AXE_SOURCE)
        results = self.page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        admin_page = label.startswith("/admin/")
        for violation in results["violations"]:
            if admin_page and violation["id"] in ADMIN_ALLOWED:
                continue
            for node in violation["nodes"]:
                target = " ".join(str(t) for t in node["target"])
                self.violations.append(
                    f"{label} [{self.role}] {violation['id']} ({violation['impact']}): {target} — {violation['help']}"
                )
        if not admin_page:  # Django's admin is the platform's own tool, used on a desktop
            self.check_reflow(label)

    def check_reflow(self, label):
        for width in REFLOW_WIDTHS:
            self.page.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
            # Let the page's own resize handlers run first (Chart.js redraws its canvases on the next
            # animation frame after a resize): what counts is the layout a reader sees at this width.
            self.page.evaluate(SETTLED_JS)
            for element in self.page.evaluate(OVERFLOW_JS):
                self.violations.append(f"{label} [{self.role}] reflow at {width} px: {element} scrolls sideways")
        self.page.set_viewport_size(VIEWPORT)


def _flows(checker, site):
    """What no GET shows: forms sent back with errors, a search, the privacy lookup, two-factor pages."""
    page, role = checker.page, checker.role
    if role == "corporation caseworker":
        page.goto(reverse("queue"))
        page.fill("#id_q", "3311")
        with page.expect_response(lambda r: "/queue/search/" in r.url):
            page.click("#queue-search button[type=submit]:not([name])")
        page.wait_for_selector("#queue-results")
        checker.check(reverse("queue") + " (search)")
        # An action form sent back with its errors (htmx swaps the case page's main part).
        page.goto(reverse("case-detail", args=[site.cases["new"].pk]))
        page.click("#action-note > summary")
        page.fill("#action-note textarea", "")
        page.eval_on_selector("#action-note form", "form => form.noValidate = true")
        with page.expect_response(lambda r: "/note/" in r.url and r.request.method == "POST"):
            page.click("#action-note button[type=submit]")
        page.wait_for_selector("#action-note .errorlist, #action-note .error")
        checker.check(reverse("case-detail", args=[site.cases["new"].pk]) + " (a form with errors)")
        # Two-factor enrolment: a wrong code, then the right one (recovery codes), then the verify page.
        page.goto(reverse("two-factor-setup"))
        page.fill("input[name=token]", "000000")
        page.eval_on_selector("main form", "form => form.noValidate = true")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        checker.check(reverse("two-factor-setup") + " (a wrong code)")
        device = TOTPDevice.objects.get(user=site.users[role], confirmed=False)
        page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        checker.check(reverse("two-factor-setup") + " (recovery codes)")
        checker.visit(reverse("two-factor-verify"))
    if role == "partner admin":
        page.goto(reverse("privacy-find"))
        page.eval_on_selector("main form", "form => form.noValidate = true")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        checker.check(reverse("privacy-find") + " (a form with errors)")
        household = site.cases["new"].household
        page.fill("input[name=contract_number]", household.tenancies.get().contract_number)
        page.fill("input[name=postcode]", household.postcode)
        page.fill("input[name=reference]", "AVG-2026-001")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "/privacy/households/" in page.url, page.locator("main").inner_text()
        checker.check(reverse("privacy-household", args=[household.pk]))
    if role == "anonymous":
        page.goto(reverse("login"))
        for attempt in range(django_settings.AXES_FAILURE_LIMIT):
            page.fill("input[name=username]", "nobody")
            page.fill("input[name=password]", "wrong")
            with page.expect_navigation():
                page.click("main form button[type=submit]")
            if attempt == 0:
                checker.check(reverse("login") + " (a wrong password)")
        assert page.locator("h1").inner_text() == "Account tijdelijk geblokkeerd"
        checker.check(reverse("login") + " (locked out)")


def _must_reach(site):
    """Pages each role must have had checked: a login or a data change that quietly sent a role to
    fewer pages would otherwise pass."""
    case = {key: reverse("case-detail", args=[c.pk]) for key, c in site.cases.items()}
    work = {reverse("home"), reverse("queue"), reverse("two-factor-setup")}
    dashboards = {reverse("dashboard"), reverse("dashboard-report")}
    agreement = site.world.corp_a.agreements.get()
    return {
        "corporation caseworker": work | set(case.values()) | {reverse("two-factor-setup") + " (recovery codes)"},
        "corporation manager": work | set(case.values()) | dashboards,
        "social-service caseworker": work | {case["in respite"], case["referred"], reverse("own-file")},
        "social-service manager": work | {case["in respite"], reverse("dashboard-ddas")} | dashboards,
        "partner admin": work
        | dashboards
        | {reverse("imports"), reverse("import-detail", args=[site.imports[0].pk])}
        | {reverse("admin:partners_agreement_change", args=[agreement.pk])}
        | {reverse("privacy-household", args=[site.cases["new"].household_id])},
        "anonymous": {reverse("login"), reverse("login") + " (locked out)"},
    }


def test_every_page_passes_axe_wcag_21_aa_for_each_role(browser, live_server, settings, site):
    assert AXE_SOURCE, f"{AXE_JS} is missing: run `make test-tools` (npm ci)"
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    urls = [url for build in PAGES.values() for url in build(site)] + _admin_urls()
    violations, counts = [], {}
    for role, user in site.users.items():
        context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=VIEWPORT)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            if user is not None:
                login(page, user.username, PASSWORD)
            checker = Checker(page, role)
            for url in urls:
                if url.startswith("/admin/") and not (user and user.is_staff):
                    continue  # only staff reach the admin; others get the error pages checked elsewhere
                checker.visit(url)
            _flows(checker, site)
            counts[role] = len(checker.checked)
            missed = _must_reach(site)[role] - set(checker.checked)
            assert not missed, f"{role} did not reach {sorted(missed)}; checked {checker.checked}"
            violations += checker.violations
        finally:
            context.close()
    print("pages checked per role:", counts, "total:", sum(counts.values()))
    assert not violations, f"{len(violations)} accessibility violations:\n" + "\n".join(violations)
