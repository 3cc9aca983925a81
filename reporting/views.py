"""The managers' dashboards: the page, its CSV/XLSX exports, the printable weekly report and the DDAS
monitor export. Thin: the selectors decide who sees what, ``reporting`` computes."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partners import bounds
from partners.errors import DomainError
from reporting import exports, page, selectors
from reporting.forms import DashboardForm, DdasExportForm, previous_quarter
from reporting.weeks import Quarter

#: Reach and help accepted, above the sections: per week or per quarter (the view).
MONITOR_TABLES = {page.WEEK_VIEW: ("monitor-weeks",), page.QUARTER_VIEW: ("monitor-quarters",)}
SECTIONS = (
    ("trend", ("weekly-cases", "weekly-arrears", "weekly-referrals", "weekly-speed", "weekly-evictions")),
    ("week", ("outcomes", "arrears-distribution")),
    ("where", ("municipalities", "districts", "neighbourhoods")),
    ("who", ("caseworkers", "queues")),
)


def _options(request, partner):
    form = DashboardForm(request.GET or None, initial={"partner": partner.slug})
    if request.GET and not form.is_valid():
        return form, None, page.WEEK_VIEW
    data = form.cleaned_data if form.is_bound else {}
    options = {"weeks": data.get("weeks") or page.WEEK_RANGES[0], "week": data.get("week")}
    return form, options, data.get("view") or page.WEEK_VIEW


def _view_urls(request):
    """The same dashboard in each view of the monitor (the other options kept)."""
    urls = {}
    for view in (page.WEEK_VIEW, page.QUARTER_VIEW):
        params = request.GET.copy()
        params["view"] = view
        urls[view] = f"{request.path}?{params.urlencode()}"
    return urls


def _invalid(request, partner, form):
    return render(request, "dashboards/invalid.html", {"partner": partner, "form": form}, status=400)


@login_required
@require_GET
def dashboard(request, template="dashboards/dashboard.html"):
    partner = selectors.dashboard_partner(user=request.user, slug=request.GET.get("partner"))
    form, options, view = _options(request, partner)
    if options is None:
        return _invalid(request, partner, form)
    board = selectors.dashboard(user=request.user, partner=partner, **options)
    # Links to the queue (with the exact number it lists) on the screen, for whom the queue reproduces it.
    links = template != "dashboards/report.html" and selectors.queue_links(user=request.user, partner=partner)
    context = {
        "board": board,
        "form": form,
        "partner": partner,
        "view": view,
        "view_urls": _view_urls(request),
        "monitor_tables": [board.tables[name] for name in MONITOR_TABLES[view]],
        "sections": [(name, [board.tables[table] for table in names]) for name, names in SECTIONS],
        "headlines": board.headlines(queue_links=links),
        "queue_links": links,
        "query": request.GET.urlencode(),
        "ddas": selectors.ddas_municipalities(user=request.user, partner=partner).exists(),
        "ddas_quarter": board.quarters[-2] if len(board.quarters) > 1 else None,
        "other_partners": selectors.dashboard_partners(user=request.user).exclude(pk=partner.pk).order_by("name"),
    }
    return render(request, template, context)


@login_required
@require_GET
def dashboard_report(request):
    return dashboard(request, template="dashboards/report.html")


@login_required
@require_GET
def dashboard_export(request, table, fmt):
    if fmt not in ("csv", "xlsx") or (table not in page.TABLE_GROUPS and (table, fmt) != ("all", "xlsx")):
        raise Http404("No such export.")
    partner = selectors.dashboard_partner(user=request.user, slug=request.GET.get("partner"))
    form, options, _view = _options(request, partner)
    if options is None:
        return _invalid(request, partner, form)
    groups = tuple(dict.fromkeys(page.TABLE_GROUPS.values())) if table == "all" else (page.TABLE_GROUPS[table],)
    board = selectors.dashboard(user=request.user, partner=partner, groups=groups, **options)
    if table == "all":
        body, content_type = exports.tables_xlsx(board.tables.values(), partner), exports.XLSX_CONTENT_TYPE
    elif fmt == "csv":
        body, content_type = exports.table_csv(board.tables[table]), exports.CSV_CONTENT_TYPE
    else:
        body, content_type = exports.tables_xlsx([board.tables[table]], partner), exports.XLSX_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    filename = f"tijdig-{partner.slug}-{table}-{board.week.label}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache  # personal data: no copies in browser or proxy caches
@login_required
@require_GET
def dashboard_ddas(request):
    partner = selectors.dashboard_partner(user=request.user, slug=request.GET.get("partner"))
    municipalities = selectors.ddas_municipalities(user=request.user, partner=partner)
    if not municipalities.exists():
        raise Http404("The monitor export is for the social service's managers.")
    wanted = {key: request.GET[key] for key in ("municipality", "date_from", "date_to") if key in request.GET}
    if not wanted:
        date_from, date_to = previous_quarter()
        try:  # from the dashboard's quarter view: that quarter
            quarter = Quarter.parse(request.GET.get("quarter", ""))
        except ValueError:
            pass
        else:
            if bounds.is_business_date(quarter.first_day) and bounds.is_business_date(quarter.last_day):
                date_from, date_to = quarter.first_day, quarter.last_day
        form = DdasExportForm(
            municipalities=municipalities,
            initial={"partner": partner.slug, "date_from": date_from, "date_to": date_to},
        )
        return render(request, "dashboards/ddas.html", {"form": form, "partner": partner})
    form = DdasExportForm(request.GET, municipalities=municipalities)
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = selectors.monitor_export_get(
                user=request.user,
                partner=partner,
                municipality=data["municipality"],
                date_from=data["date_from"],
                date_to=data["date_to"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            response = HttpResponse(
                json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
            )
            filename = f"ddas-{data['municipality'].code}-{data['date_from']}-{data['date_to']}.json"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    return render(request, "dashboards/ddas.html", {"form": form, "partner": partner}, status=400)
