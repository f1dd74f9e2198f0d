from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from congress_portal.errors import show_error
from organisation.access import get_visible_or_404, role_required
from organisation.roles import OFFICE
from reports.forms import GenerateForm
from reports.models import GeneratedReport
from reports.selectors import months_page
from reports.services import ReportError, official_report, report_request


def _index(request: HttpRequest, form: GenerateForm, status: int = 200):
    page, months = months_page(request.user, request.GET.get("page"))
    return render(
        request,
        "reports/index.html",
        {"form": form, "page": page, "months": months},
        status=status,
    )


@require_GET
@role_required(OFFICE)
def index(request: HttpRequest) -> HttpResponse:
    return _index(request, GenerateForm())


@require_POST
@role_required(OFFICE)
def generate(request: HttpRequest) -> HttpResponse:
    form = GenerateForm(request.POST)
    status = 400
    if form.is_valid():
        month, regenerate = form.cleaned_data["month"], form.cleaned_data["regenerate"]
        try:
            report = report_request(month=month, user=request.user, regenerate=regenerate)
        except ReportError as error:
            status = show_error(form, error)
        else:
            if request.htmx:
                return render(request, "reports/status.html#report-status", _status_context(report))
            return redirect("reports:status", pk=report.pk)
    if request.htmx:
        return render(request, "reports/index.html#generate-form", {"form": form}, status=status)
    return _index(request, form, status=status)


@require_GET
@role_required(OFFICE)
def status(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(GeneratedReport, request.user, pk=pk)
    if request.htmx:
        return render(request, "reports/status.html#report-status", _status_context(report))
    return render(request, "reports/status.html", _status_context(report))


def _status_context(report: GeneratedReport) -> dict:
    """A version's page says whether it is the month's official report."""
    official = official_report(report.month) if report.status == report.Status.DONE else None
    return {"report": report, "is_official": official is not None and official.pk == report.pk}


@require_GET
@role_required(OFFICE)
def download(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(GeneratedReport, request.user, pk=pk)
    if report.status != GeneratedReport.Status.DONE or not report.file:
        raise Http404
    # FileResponse writes filename*=utf-8''… so the Chinese name survives every browser.
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
