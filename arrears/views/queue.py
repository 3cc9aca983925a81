"""The queue (werkvoorraad): filter (query string), search (POST, kept in the session), sort, paginate,
and the team lead's bulk assignment."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from arrears import selectors
from arrears.forms.queue import BulkAssignForm, QueueFilterForm, SearchForm
from arrears.selectors.queue import contact_deadline_days
from arrears.services.cases import case_bulk_assign
from arrears.views._common import QUEUE_CHANNEL, add_row_urls, can_assign, membership_for_request
from partners import audit
from partners.errors import DomainError
from partners.pages import htmx_target_is

SEARCH_SESSION_KEY = "queue_search"
RESULTS_ID = "queue-results"


def queue_context(request, params: QueryDict):
    """Everything the queue page and its results partial need, for the filters in ``params``."""
    user = request.user
    form = QueueFilterForm(params, options=_options(request), overdue_days=contact_deadline_days())
    search = request.session.get(SEARCH_SESSION_KEY, "")
    filters = form.filters(search=search)
    page = selectors.queue_page(user=user, filters=filters, number=params.get("page"), per_page=form.page_size)
    audit.record_reads(user=user, objects=page.object_list, channel=QUEUE_CHANNEL)
    add_row_urls(page.object_list)
    membership = membership_for_request(request)
    return {
        "form": form,
        "filters": filters,
        "search_form": SearchForm(initial={"q": search, "query": form.querystring()}),
        "search": search,
        "page_obj": page,
        "cases": page.object_list,
        "query": form.querystring(),
        "queue_url": reverse("queue") + "?" + form.querystring(),
        "active_filters": sum(
            1 for key, _value in QueryDict(form.querystring()).lists() if key not in ("per_page", "sort")
        ),
        "membership": membership,
        "my_partner_ids": {membership.partner_id} if membership else set(),
        "can_assign": can_assign(membership),
        "assignees": _assignees(user, membership),
        "overdue_days": contact_deadline_days(),
    }


def _assignees(user, membership):
    """People the team lead may give cases to (nobody for anyone else)."""
    if not can_assign(membership):
        return []
    return list(selectors.assignable_users(user=user, partner=membership.partner).order_by("first_name", "username"))


def _render_queue(request, params):
    context = queue_context(request, params)
    if htmx_target_is(request, RESULTS_ID):
        response = render(request, "arrears/_queue_results.html", context)
        # The address bar shows the cleaned filters (and page), never a search term.
        query = context["query"]
        if context["page_obj"].number > 1:
            query = "&".join(filter(None, [query, f"page={context['page_obj'].number}"]))
        response["HX-Push-Url"] = _queue_url(QueryDict(query))
    else:
        response = render(request, "arrears/queue.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_GET
def queue(request):
    return _render_queue(request, request.GET)


@login_required
@require_POST
def queue_search(request):
    """Keep the search term in the session (never in a URL), then show the queue with the same filters."""
    form = SearchForm(request.POST)
    term, query = "", ""
    if form.is_valid():
        term, query = form.cleaned_data["q"], form.cleaned_data["query"]
    else:
        messages.error(request, _("The search term is too long (at most 100 characters)."))
    if term and "clear" not in request.POST:
        request.session[SEARCH_SESSION_KEY] = term
    else:
        request.session.pop(SEARCH_SESSION_KEY, None)
    params = _filters_only(request, query)
    if request.htmx:
        return _render_queue(request, params)
    return redirect(_queue_url(params))


def _filters_only(request, query):
    """The filter part of a query string, cleaned by the filter form (so nothing else ever survives)."""
    form = QueueFilterForm(QueryDict(query), options=_options(request))
    return QueryDict(form.querystring())


def _options(request):
    """The filter form's choices, and which of its filters the user's role may use (read once per request)."""
    if not hasattr(request, "_tijdig_queue_options"):
        request._tijdig_queue_options = selectors.queue_filter_options(user=request.user)
    return request._tijdig_queue_options


def _queue_url(params):
    url = reverse("queue")
    return f"{url}?{params.urlencode()}" if params else url


@login_required
@require_POST
def queue_bulk_assign(request):
    """A team lead assigns the ticked cases to one person (``case_bulk_assign``)."""
    membership = membership_for_request(request)
    if not can_assign(membership):
        messages.error(request, _("Only a team lead can assign cases."))
        return _after_bulk(request)
    form = BulkAssignForm(request.POST, assignees=_assignees(request.user, membership))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _after_bulk(request)
    cases = list(selectors.case_list(user=request.user).filter(pk__in=form.cleaned_data["case"]))
    if len(cases) != len(form.cleaned_data["case"]):
        messages.error(request, _("Some of the selected cases are not visible to you; nothing was assigned."))
        return _after_bulk(request)
    assignee = get_user_model().objects.get(pk=form.cleaned_data["assignee"])
    try:
        count = case_bulk_assign(cases=cases, assignee=assignee, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        name = assignee.get_full_name() or assignee.username
        messages.success(
            request,
            ngettext("%(count)d case assigned to %(name)s.", "%(count)d cases assigned to %(name)s.", count)
            % {"count": count, "name": name},
        )
    return _after_bulk(request)


def _after_bulk(request):
    params = _filters_only(request, request.POST.get("query", ""))
    if request.htmx:
        return _render_queue(request, params)
    return redirect(_queue_url(params))
