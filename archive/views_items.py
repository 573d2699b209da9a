"""Dossiers and items: search (the archive's home), the expected list, the dossier and item
pages, receipt and moves, and the ledger and label PDFs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.pdf import pdf_response
from loancenter.web import show_refusal

from . import list_exports, panels, selectors
from .forms_items import ItemSearchForm, LocationForm, ReceiveForm, RegisterItemForm
from .models import ItemStatus
from .pdf_items import labels_pdf, ledger_pdf
from .services import items as service

PAGE_SIZE = 25


@login_required
def search(request):
    form = ItemSearchForm(request.GET or None)
    filters = form.filters()
    items = selectors.search_items(request.user, **filters)
    if (export := export_response(request, items, list_exports.ITEMS, _("Archive"))) is not None:
        return export
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "archive/items/search.html",
        {
            "form": form,
            "page": page,
            "dossiers": selectors.matching_dossiers(request.user, filters.get("q", "")),
            "searched": any(filters.values()),
            "whole_archive": selectors.sees_whole_archive(request.user),
            "is_archivist": selectors.is_archivist(request.user),
        },
    )


@login_required
def expected(request):
    if not selectors.sees_whole_archive(request.user):
        raise Http404
    items = selectors.expected_items(request.user)
    if (
        export := export_response(
            request, items, list_exports.EXPECTED, _("Expected, not yet received")
        )
    ) is not None:
        return export
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "archive/items/expected.html",
        {"page": page, "is_archivist": selectors.is_archivist(request.user)},
    )


@login_required
def dossier_detail(request, pk):
    dossier = selectors.dossier_for(request.user, pk)
    groups = selectors.dossier_contents(request.user, dossier)
    return render(
        request,
        "archive/items/dossier.html",
        {
            "dossier": dossier,
            "groups": groups,
            "total": sum(len(group.items) for group in groups),
            "is_archivist": selectors.is_archivist(request.user),
        },
    )


@login_required
def item_register(request, pk):
    """An archivist adds a paper no workflow step announces to the dossier."""
    dossier = selectors.dossier_for(request.user, pk)
    if not selectors.is_archivist(request.user):
        raise Http404
    form = RegisterItemForm(request.POST or None, dossier=dossier)
    if request.method == "POST" and form.is_valid():
        try:
            item = service.register_item(dossier=dossier, user=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("%(item)s is expected in the archive.") % {"item": item})
            return redirect("archive:item_detail", pk=item.pk)
    return render(request, "archive/items/register.html", {"dossier": dossier, "form": form})


@login_required
def item_detail(request, pk):
    item = selectors.item_for(request.user, pk)
    return _item_page(request, item)


def _item_page(request, item, *, receive_form=None, move_form=None, status=200):
    archivist = selectors.is_archivist(request.user)
    may_receive = archivist and item.status == ItemStatus.EXPECTED and not item.is_vital
    may_move = archivist and item.status == ItemStatus.IN_CUSTODY and not item.is_vital
    if may_receive and receive_form is None:
        receive_form = ReceiveForm(initial={"pages": item.pages})
    if may_move and move_form is None:
        move_form = LocationForm(
            initial={f: getattr(item, f) for f in ("room", "cabinet", "shelf", "box")}
        )
    return render(
        request,
        "archive/items/item.html",
        {
            "item": item,
            "history": selectors.history(item),
            "receive_form": receive_form if may_receive else None,
            "move_form": move_form if may_move else None,
            "is_archivist": archivist,
            "item_panels": panels.panels_for(request.user, item),
        },
        status=status,
    )


@require_POST
@login_required
def item_receive(request, pk):
    item = selectors.item_for(request.user, pk)
    form = ReceiveForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, receive_form=form, status=400)
    try:
        item = service.receive_item(item=item, user=request.user, **form.cleaned_data)
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("%(item)s received at %(place)s.") % {"item": item, "place": item.location},
        )
        if request.POST.get("next") == "expected":
            return redirect("archive:expected")
    return redirect("archive:item_detail", pk=item.pk)


@require_POST
@login_required
def item_move(request, pk):
    item = selectors.item_for(request.user, pk)
    form = LocationForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, move_form=form, status=400)
    try:
        item = service.move_item(item=item, user=request.user, **form.cleaned_data)
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("%(item)s moved to %(place)s.") % {"item": item, "place": item.location}
        )
    return redirect("archive:item_detail", pk=item.pk)


@login_required
def ledger(request):
    """台账: the custody ledger of the current search, as a PDF."""
    filters = ItemSearchForm(request.GET or None).filters()
    rows = list(selectors.search_items(request.user, **filters)[: selectors.LEDGER_LIMIT + 1])
    truncated = len(rows) > selectors.LEDGER_LIMIT
    pdf = ledger_pdf(
        rows[: selectors.LEDGER_LIMIT], user=request.user, filters=filters, truncated=truncated
    )
    return pdf_response(pdf, f"档案保管台账-{timezone.localdate():%Y%m%d}.pdf")


@login_required
def labels(request):
    """Barcode labels of the chosen items (?item=1&item=2) or of a dossier (?dossier=1)."""
    dossier_pk = request.GET.get("dossier")
    if dossier_pk:
        dossier = selectors.dossier_for(request.user, _int_or_404(dossier_pk))
        items = selectors.items_for_labels(request.user, dossier_pk=dossier.pk)
        name = f"档案标签-{dossier.number}.pdf"
    else:
        pks = [_int_or_404(value) for value in request.GET.getlist("item")]
        items = selectors.items_for_labels(request.user, item_pks=pks)
        name = f"档案标签-{timezone.localdate():%Y%m%d}.pdf"
    if not items:
        messages.error(request, _("Choose the items to print labels for."))
        return redirect("archive:search")
    return pdf_response(labels_pdf(items, user=request.user), name)


def _int_or_404(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number
