"""Every input of the livelihood pages: the list's filters, the proposal form (a deputy's,
the office's, from a reception), a deputy's comment, the screening, the fund pool, the
candidate list."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress_portal.widgets import LongModelChoiceField
from deputies.models import Mandate
from livelihood.models import Level, Proposal
from organisation.access import has_role
from organisation.congresses import REGION_LEVEL, level_of
from organisation.models import Region, User
from organisation.roles import LIVELIHOOD_KEEPERS, Role


def congress_key(level: str, region_id: int) -> str:
    return f"{level}:{region_id}"


def congress_label(level: str, region: Region) -> str:
    return f"{region.name} · {Level(level).label}"


def kept_congresses(user: User) -> list[tuple[str, Region]]:
    """The congresses whose office this person is: the city's for staff, the county's
    and townships' of a secretary's region."""
    if not user.is_authenticated:
        return []
    if has_role(user, Role.ADMIN):
        regions = Region.objects.all()
    elif user.role == Role.STAFF:
        regions = Region.objects.filter(level=Region.Level.CITY)
    elif user.role == Role.SECRETARY and user.region_id:
        regions = Region.objects.filter(path__startswith=user.region.path).exclude(
            level=Region.Level.CITY
        )
    else:
        return []
    return [(level_of(r), r) for r in regions.order_by("path")]


def seat_congresses(user: User) -> list[tuple[str, Region]]:
    """The congresses a deputy sits in that decide projects here."""
    if not user.is_authenticated or user.role != Role.DEPUTY:
        return []
    seats = (
        Mandate.objects.active()
        .filter(deputy__user=user, level__in=Level.values)
        .select_related("region")
        .order_by("region__path")
    )
    return [(m.level, m.region) for m in seats]


class CongressField(forms.ChoiceField):
    """Picks one congress (level and region) out of those given."""

    def set_congresses(self, congresses: list[tuple[str, Region]]) -> None:
        self.congresses = {congress_key(level, r.pk): (level, r) for level, r in congresses}
        self.choices = [
            (key, congress_label(level, r)) for key, (level, r) in self.congresses.items()
        ]
        if len(self.congresses) == 1:
            self.initial = next(iter(self.congresses))


class ProposalForm(forms.Form):
    congress = CongressField(label=_("Congress"))
    title = forms.CharField(label=_("Title"), max_length=120)
    place = forms.CharField(label=_("Place"), max_length=80, help_text=_("Village, road, site."))
    estimated_cost = forms.DecimalField(
        label=_("Estimated cost (10,000 yuan)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("In 万元: 38.5 is 385,000 yuan."),
    )
    beneficiaries = forms.IntegerField(
        label=_("Beneficiaries (people)"), min_value=1, max_value=10_000_000
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (Proposal.Source.CONSTITUENT, Proposal.Source.CONSTITUENT.label),
            (Proposal.Source.GOVERNMENT, Proposal.Source.GOVERNMENT.label),
        ],
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, user: User, from_reception: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["congress"]
        if user.role == Role.DEPUTY:
            field.set_congresses(seat_congresses(user))
            del self.fields["source"]
        else:
            field.set_congresses(kept_congresses(user))
        if from_reception:
            self.fields.pop("source", None)

    def clean(self):
        data = super().clean()
        field = self.fields["congress"]
        picked = getattr(field, "congresses", {}).get(data.get("congress", ""))
        if picked is not None:
            data["level"], data["region"] = picked
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScreenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("reserve", _("Into the reserve pool")), ("reject", _("Reject"))],
    )
    feasibility = forms.CharField(
        label=_("Feasibility"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fund_source = forms.CharField(
        label=_("Fund source"),
        required=False,
        max_length=80,
        help_text=_("e.g. 县级民生实事专项资金"),
    )
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The proposer reads it."),
    )


class PoolForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    congress = CongressField(label=_("Projects of"))
    funded_by = forms.ModelChoiceField(
        label=_("Funded by"), queryset=Region.objects.none(), to_field_name="code"
    )
    amount = forms.DecimalField(
        label=_("Amount (10,000 yuan)"), max_digits=12, decimal_places=2, min_value=0
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=120)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        kept = kept_congresses(user)
        # A county may also fund a pool for its townships' projects.
        congresses = list(kept)
        for level, region in kept:
            if level == Level.COUNTY:
                congresses.append((Level.TOWNSHIP, region))
        field = self.fields["congress"]
        field.set_congresses(congresses)
        field.choices = [
            (
                key,
                congress_label(level, r)
                if REGION_LEVEL[Level(level)] == r.level
                else _("%(region)s · its townships") % {"region": r.name},
            )
            for key, (level, r) in field.congresses.items()
        ]
        self.fields["funded_by"].queryset = Region.objects.filter(
            pk__in=[r.pk for _level, r in kept]
        )
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        field = self.fields["congress"]
        picked = getattr(field, "congresses", {}).get(data.get("congress", ""))
        if picked is not None:
            data["level"], data["region"] = picked
        return data


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Proposal.Status.choices],
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("All sources")), *Proposal.Source.choices],
    )
    # A province's 2,900 regions: options read as values and written in Python
    # (congress_portal/widgets.py); it validates as a ModelChoiceField.
    region = LongModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("All regions"),
        option_label=F("name"),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if has_role(user, LIVELIHOOD_KEEPERS) or user.sees_everything:
            self.fields["region"].queryset = Region.objects.choices_for(user)
        else:
            del self.fields["region"]

    def apply(self, proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
        data = self.cleaned_data
        if data.get("status"):
            proposals = proposals.filter(status=data["status"])
        if data.get("source"):
            proposals = proposals.filter(source=data["source"])
        if data.get("region"):
            proposals = proposals.filter(region__path__startswith=data["region"].path)
        if data.get("year"):
            proposals = proposals.filter(year=data["year"])
        return proposals


class CandidateListForm(forms.Form):
    slots = forms.IntegerField(
        label=_("Projects to choose"),
        min_value=1,
        max_value=50,
        initial=5,
        help_text=_("Usually fewer than the candidates (差额)."),
    )
    method = forms.ChoiceField(
        label=_("How the deputies vote"),
        choices=[
            ("each", _("For, against or abstain on each candidate")),
            ("choose", _("Choose up to the number of projects")),
        ],
        initial="each",
    )


class CandidateAddForm(forms.Form):
    proposal = forms.ModelChoiceField(
        label=_("From the reserve pool"), queryset=Proposal.objects.none()
    )

    def __init__(self, *args, reserve: QuerySet[Proposal], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = reserve


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- 办 Implement ---------------------------------------------------------------------------


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one field; type and size are checked by
    ``congress_portal.uploads.upload_check`` in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos"))
        kwargs.setdefault("help_text", _("JPEG or PNG, at most 6, 10 MB each."))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    spent = forms.DecimalField(
        label=_("Spent since the last report (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        initial=0,
        required=False,
    )
    photos = PhotosField()
    completes = forms.BooleanField(
        label=_("The work is finished: this is the completion record"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AllocationForm(forms.Form):
    pool = forms.ModelChoiceField(label=_("Fund pool"), queryset=None)
    amount = forms.DecimalField(label=_("Amount (10,000 yuan)"), max_digits=12, decimal_places=2)

    def __init__(self, *args, pools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = pools
        self.fields["pool"].label_from_instance = lambda p: (
            f"{p.region.name} {p.year} · {p.unallocated}"
        )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=80)
    due = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))


class ProjectSetForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=None)
    budget = forms.DecimalField(label=_("Budget (10,000 yuan)"), max_digits=10, decimal_places=2)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
