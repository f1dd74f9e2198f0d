"""The secret ballot module: every write, and the results.

The module knows congress sessions, their roll, check-ins, polls, one-time codes,
ballots, paper tallies and receipts, and nothing about what is voted on: an option
carries an opaque ``key`` its caller chooses (``"project:42"``). Other apps
(livelihood projects, evaluations, satisfaction votes) call this API; ballots imports
none of them.

Sessions
    ``session_create(*, name, region, level, date, by)``; ``may_run(user, session)``
    (a township secretary their township's sessions, a county secretary their county's
    county-level sessions, staff the city's, administrators every one);
    ``session_open(*, session, by)`` freezes the roll: the mandates of the session's
    level and region held on its day (``Mandate.objects.active_on``), or, for a meeting
    of a standing committee (``body="standing_committee"``, a city's or a county's), its
    members on that day (``CommitteeMembership.objects.active_on``);
    ``session_close(*, session, by)``.
Check-ins
    ``check_in(*, session, deputy, by, on_leave=False)``, ``check_in_undo(...)``.
Polls
    ``poll_create(*, session, title, method, slots, options=[(key, label), ...], by)``
    (method ``"each"``: 赞成/反对/弃权 on every option; ``"choose"``: up to ``slots``;
    ``"rate"``: 满意/基本满意/不满意 on every option, an evaluation);
    ``poll_open(*, poll, by)`` only while more than two-thirds of the roll is checked in
    present; ``codes_issue(*, poll, by, spares=3) -> list[str]`` returns the plain codes
    once (one per deputy present plus spares) and stores keyed hashes;
    ``ballot_cast(*, code, choices) -> receipt`` spends the code in the transaction
    that stores the ballot; ``poll_close(*, poll, by)`` voids unused codes;
    ``paper_tally_enter(...)``/``paper_tally_confirm(...)`` for paper ballots;
    ``poll_publish(*, poll, by)``; ``poll_result(poll) -> PollResult``;
    ``runoff_create(*, poll, by)`` for a tie at the last slot; ``receipts(poll)``.
The rule
    An option passes with more "yes" votes (or votes, method "choose") than half of
    *all* the deputies on the roll; among those that pass, the ``slots`` with most votes
    are chosen; a tie for the last slot is left to a run-off (``PollResult.tie``); slots
    nobody fills stay empty.
The satisfaction rule
    ``unsatisfactory(satisfied=, basic=, roll=)``: an option rated (method "rate") is
    unsatisfactory when 满意 and 基本满意 together are no more than half of *all* the
    deputies on the roll (abstentions and absent deputies count against). Oversight
    satisfaction votes reuse it.

Every refusal raises :class:`BallotError`, naming the form field it is about.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ballots.attendance import absences_notify
from ballots.models import (
    SESSION_LEVELS,
    Ballot,
    CheckIn,
    Code,
    CongressSession,
    Option,
    PaperTally,
    Poll,
    RollEntry,
    runs,
)
from congress_portal.errors import DomainError
from deputies.models import REGION_LEVEL_OF, Activity, CommitteeMembership, Deputy, Level, Mandate
from deputies.services import activity_record, activity_withdraw
from organisation.models import Region

if TYPE_CHECKING:
    from organisation.models import User


class BallotError(DomainError):
    pass


#: Crockford's base32 without I, L, O and U: nothing to mistake for 1 or 0.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 bits
RECEIPT_LENGTH = 10
VOTE_VALUES = ("yes", "no", "abstain")
#: 满意 / 基本满意 / 不满意 / 弃权 on each option of a "rate" poll.
RATE_VALUES = ("satisfied", "basic", "unsatisfied", "abstain")


def values_of(method: str) -> tuple[str, ...]:
    """The values one option takes on a ballot of ``method`` ("choose": "yes")."""
    return RATE_VALUES if method == Poll.Method.RATE else VOTE_VALUES


_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def _random_word(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def grouped(word: str) -> str:
    """ABCDE-FGHJK: how a code or a receipt is printed and shown."""
    return f"{word[:5]}-{word[5:]}"


def normalise(typed: str) -> str:
    """A code as typed: case, spaces and dashes ignored, I/L read as 1 and O as 0."""
    return "".join(c for c in typed.upper() if c.isalnum()).translate(_READ_AS)


def code_hash(code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), b"ballot-code:" + normalise(code).encode(), hashlib.sha256
    ).hexdigest()


# --- Sessions -------------------------------------------------------------------------


def may_run(user: User, session: CongressSession) -> bool:
    return runs(user, level=session.level, region_id=session.region_id)


def _require_run(user: User, session: CongressSession) -> None:
    if not may_run(user, session):
        raise BallotError(_("You may not run this session."), forbidden=True)


def session_create(
    *,
    name: str,
    region: Region,
    level: str,
    date: Date,
    by: User,
    body: str = CongressSession.Body.CONGRESS,
) -> CongressSession:
    if level not in SESSION_LEVELS:
        raise BallotError(_("Choose the township, county or city congress."), field="level")
    if body not in CongressSession.Body.values:
        raise BallotError(_("Choose who votes."), field="body")
    if body == CongressSession.Body.STANDING_COMMITTEE and level == Level.TOWNSHIP:
        raise BallotError(_("A township congress has no standing committee."), field="body")
    if region.level != REGION_LEVEL_OF[level]:
        raise BallotError(_("The region is not of the congress's level."), field="region")
    if not name.strip():
        raise BallotError(_("Name the session."), field="name")
    if not runs(by, level=level, region_id=region.pk):
        raise BallotError(_("You may not run this session."), forbidden=True)
    return CongressSession.objects.create(
        name=name.strip(), region=region, level=level, date=date, body=body, created_by=by
    )


def roll_of(session: CongressSession):
    """The deputies a session's roll is made of on its day: the seats of its congress, or
    the members of its standing committee."""
    if session.body == CongressSession.Body.STANDING_COMMITTEE:
        members = CommitteeMembership.objects.active_on(session.date).of_congress(
            session.region, session.level
        )
        return members.values_list("deputy_id", flat=True).distinct()
    return (
        Mandate.objects.active_on(session.date)
        .filter(level=session.level, region=session.region)
        .values_list("deputy_id", flat=True)
        .distinct()
    )


def session_open(*, session: CongressSession, by: User) -> int:
    """Open the session and freeze its roll; returns the number of deputies on it."""
    _require_run(by, session)
    with transaction.atomic():
        locked = CongressSession.objects.select_for_update().get(pk=session.pk)
        if locked.state != CongressSession.State.PLANNED:
            raise BallotError(_("This session has already been opened."), conflict=True)
        deputies = roll_of(locked)
        RollEntry.objects.bulk_create([RollEntry(session=locked, deputy_id=pk) for pk in deputies])
        locked.state = CongressSession.State.OPEN
        locked.save(update_fields=["state"])
    session.state = locked.state
    return RollEntry.objects.filter(session=session).count()


def session_close(*, session: CongressSession, by: User) -> None:
    _require_run(by, session)
    with transaction.atomic():
        locked = CongressSession.objects.select_for_update().get(pk=session.pk)
        if locked.state != CongressSession.State.OPEN:
            raise BallotError(_("Only an open session can be closed."), conflict=True)
        if locked.polls.filter(state=Poll.State.OPEN).exists():
            raise BallotError(_("Close the votes still open first."))
        locked.state = CongressSession.State.CLOSED
        locked.save(update_fields=["state"])
        # A deputy of the roll who has now missed two sessions without leave is
        # flagged to the office (Law on Deputies), in the transaction that closes it.
        absences_notify(locked)
    session.state = locked.state


# --- Check-ins ------------------------------------------------------------------------


def _require_open(session: CongressSession) -> None:
    if session.state != CongressSession.State.OPEN:
        raise BallotError(_("The session is not open."), conflict=True)


def check_in(
    *, session: CongressSession, deputy: Deputy, by: User, on_leave: bool = False
) -> CheckIn:
    """Check a deputy of the roll in as present (or on leave); checking in again changes
    present to on leave or back."""
    _require_run(by, session)
    _require_open(session)
    if not RollEntry.objects.filter(session=session, deputy=deputy).exists():
        raise BallotError(_("This deputy is not on the session's roll."), field="deputy")
    with transaction.atomic():
        entry, created = CheckIn.objects.select_for_update().get_or_create(
            session=session, deputy=deputy, defaults={"on_leave": on_leave}
        )
        if not created and entry.on_leave != on_leave:
            entry.on_leave = on_leave
            entry.save(update_fields=["on_leave"])
        _attendance_record(session, deputy, present=not on_leave)
    return entry


def _attendance_record(session: CongressSession, deputy: Deputy, *, present: bool) -> None:
    """Attending a session is an entry of the deputy's record, from the check-in (never
    from a ballot, which stays unlinkable); leave 请假 or an undone check-in takes it back."""
    source = f"session:{session.pk}"
    if present:
        activity_record(
            deputy=deputy,
            kind=Activity.Kind.SESSION,
            date=session.date,
            title=_("Attended %(session)s") % {"session": session.name},
            source_key=source,
        )
    else:
        activity_withdraw(deputy=deputy, source_key=source)


def check_in_undo(*, session: CongressSession, deputy: Deputy, by: User) -> None:
    _require_run(by, session)
    _require_open(session)
    if Poll.objects.filter(session=session, state=Poll.State.OPEN).exists():
        raise BallotError(_("A vote is open: check-ins cannot be taken back now."))
    with transaction.atomic():
        CheckIn.objects.filter(session=session, deputy=deputy).delete()
        _attendance_record(session, deputy, present=False)


def roll_size(session: CongressSession) -> int:
    return RollEntry.objects.filter(session=session).count()


def present_count(session: CongressSession) -> int:
    return CheckIn.objects.filter(session=session, on_leave=False).count()


def has_quorum(*, present: int, roll: int) -> bool:
    """More than two-thirds of the roll present."""
    return roll > 0 and present * 3 > roll * 2


# --- Polls ----------------------------------------------------------------------------


def poll_create(
    *,
    session: CongressSession,
    title: str,
    method: str,
    slots: int,
    options: Sequence[tuple[str, str]],
    by: User,
    runoff_of: Poll | None = None,
) -> Poll:
    _require_run(by, session)
    if session.state == CongressSession.State.CLOSED:
        raise BallotError(_("The session is closed."), conflict=True)
    if method not in Poll.Method.values:
        raise BallotError(_("Choose how the deputies vote."), field="method")
    if not title.strip():
        raise BallotError(_("Give the vote a title."), field="title")
    if not options:
        raise BallotError(_("A vote needs at least one option."), field="options")
    if method == Poll.Method.RATE:
        slots = len(options)  # every option is rated; nothing is chosen
    keys = [key for key, _label in options]
    if len(set(keys)) != len(keys):
        raise BallotError(_("Two options have the same key."), field="options")
    if slots < 1 or slots > len(options):
        raise BallotError(
            _("The number of slots must be between 1 and the number of options."), field="slots"
        )
    with transaction.atomic():
        poll = Poll.objects.create(
            session=session, title=title.strip(), method=method, slots=slots, runoff_of=runoff_of
        )
        Option.objects.bulk_create(
            [
                Option(poll=poll, key=key, label=label, order=i)
                for i, (key, label) in enumerate(options)
            ]
        )
    return poll


def poll_open(*, poll: Poll, by: User) -> None:
    session = poll.session
    _require_run(by, session)
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        _require_open(session)
        if locked.state != Poll.State.DRAFT:
            raise BallotError(_("This vote has already been opened."), conflict=True)
        roll, present = roll_size(session), present_count(session)
        if not has_quorum(present=present, roll=roll):
            raise BallotError(
                _(
                    "More than two-thirds of the %(roll)s deputies on the roll must be "
                    "checked in; %(present)s are."
                )
                % {"roll": roll, "present": present}
            )
        locked.state = Poll.State.OPEN
        locked.save(update_fields=["state"])
    poll.state = locked.state


def codes_issue(*, poll: Poll, by: User, spares: int = 3) -> list[str]:
    """One code per deputy checked in present, plus ``spares``: the plain codes, shuffled,
    returned this once (for the slips) and stored only as keyed hashes."""
    session = poll.session
    _require_run(by, session)
    if spares < 0 or spares > 50:
        raise BallotError(_("Between 0 and 50 spare slips."), field="spares")
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        _require_open(session)
        if locked.state not in (Poll.State.DRAFT, Poll.State.OPEN):
            raise BallotError(_("This vote is closed."), conflict=True)
        if locked.codes.exists():
            raise BallotError(_("The slips of this vote have already been printed."), conflict=True)
        present = present_count(session)
        if not present:
            raise BallotError(_("Check the deputies in first."))
        codes = [_random_word(CODE_LENGTH) for _ in range(present + spares)]
        Code.objects.bulk_create(
            [
                Code(poll=locked, hash=code_hash(code), is_spare=i >= present)
                for i, code in enumerate(codes)
            ]
        )
    secrets.SystemRandom().shuffle(codes)
    return codes


def code_poll(code: str) -> Poll | None:
    """The poll a typed code belongs to (whatever its state), for the ballot form."""
    found = Code.objects.filter(hash=code_hash(code)).select_related("poll__session").first()
    return found.poll if found else None


def check_code(code: str) -> Poll:
    """The poll a code may vote in now, or the reason it may not."""
    typed = normalise(code)
    if len(typed) != CODE_LENGTH or any(c not in ALPHABET for c in typed):
        raise BallotError(_("This is not a voting code: check the slip."), field="code")
    found = Code.objects.filter(hash=code_hash(typed)).select_related("poll__session").first()
    if found is None:
        raise BallotError(_("This code is unknown: check the slip."), field="code")
    _refuse_code(found.state, found.poll)
    return found.poll


def _refuse_code(state: str, poll: Poll) -> None:
    if poll.session.state == CongressSession.State.CLOSED:
        raise BallotError(_("The session is closed: this code can no longer vote."), field="code")
    if state == Code.State.SPENT:
        raise BallotError(_("This code has already been used to vote."), field="code")
    if state == Code.State.VOID or poll.state in (Poll.State.CLOSED, Poll.State.PUBLISHED):
        raise BallotError(_("This code is void: the vote is closed."), field="code")
    if poll.state == Poll.State.DRAFT:
        raise BallotError(_("The vote has not opened yet: wait for the chair."), field="code")


def _clean_choices(poll: Poll, choices: Mapping[str, str]) -> dict[str, str]:
    options = {o.key: str(o.pk) for o in poll.options.all()}
    unknown = set(choices) - set(options)
    if unknown:
        raise BallotError(_("The ballot names an option this vote does not have."))
    if poll.method in (Poll.Method.EACH, Poll.Method.RATE):
        allowed = values_of(poll.method)
        cleaned = {}
        for key, pk in options.items():
            value = choices.get(key, "abstain")
            if value not in allowed:
                raise BallotError(
                    _("Rate each option satisfied, basically satisfied or unsatisfied.")
                    if poll.method == Poll.Method.RATE
                    else _("Vote for, against or abstain on each option."),
                    field=key,
                )
            cleaned[pk] = value
        return cleaned
    chosen = [key for key, value in choices.items() if value == "yes"]
    if any(value not in ("yes", "") for value in choices.values()):
        raise BallotError(_("Choose options or leave them unmarked."))
    if len(chosen) > poll.slots:
        raise BallotError(
            _("Choose at most %(slots)s options.") % {"slots": poll.slots}, field="choices"
        )
    return {options[key]: "yes" for key in chosen}


def ballot_cast(*, code: str, choices: Mapping[str, str]) -> str:
    """Store a ballot with ``code``; returns its receipt. ``choices`` maps option keys to
    "yes"/"no"/"abstain" (method "each", an option left out abstains) or to "yes" for
    each chosen option (method "choose")."""
    poll = check_code(code)
    cleaned = _clean_choices(poll, choices)
    with transaction.atomic():
        # The poll row is the gate: its state is read under the lock and the number of
        # ballots cannot pass the check-ins.
        locked = Poll.objects.select_for_update().select_related("session").get(pk=poll.pk)
        spent = Code.objects.filter(hash=code_hash(code), state=Code.State.UNUSED).update(
            state=Code.State.SPENT
        )
        if not spent or locked.state != Poll.State.OPEN:
            state = Code.objects.filter(hash=code_hash(code)).values_list("state", flat=True)
            _refuse_code(state.first() or Code.State.VOID, locked)
            raise BallotError(_("This code is void: the vote is closed."), field="code")
        if locked.session.state != CongressSession.State.OPEN:
            _refuse_code(Code.State.VOID, locked)
        cast = Ballot.objects.filter(poll=locked).count()
        if cast >= present_count(locked.session):
            raise BallotError(
                _("Every deputy checked in has voted: no more ballots are taken."), field="code"
            )
        while True:
            receipt = _random_word(RECEIPT_LENGTH)
            if not Ballot.objects.filter(receipt=receipt).exists():
                break
        Ballot.objects.create(receipt=receipt, poll=locked, choices=cleaned)
    return receipt


def poll_close(*, poll: Poll, by: User) -> int:
    """Close the vote; the codes still unused (spares too) become void. Returns how many."""
    _require_run(by, poll.session)
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        if locked.state != Poll.State.OPEN:
            raise BallotError(_("Only an open vote can be closed."), conflict=True)
        locked.state = Poll.State.CLOSED
        locked.save(update_fields=["state"])
        voided = Code.objects.filter(poll=locked, state=Code.State.UNUSED).update(
            state=Code.State.VOID
        )
    poll.state = locked.state
    return voided


# --- Paper ballots ------------------------------------------------------------------------


def _paper_votes(poll: Poll, votes: Mapping[str, object], valid: int) -> dict[str, object]:
    """The votes per option key, checked against the valid ballots."""
    keys = list(poll.options.values_list("key", flat=True))
    if set(votes) - set(keys):
        raise BallotError(_("The tally names an option this vote does not have."), field="votes")
    cleaned: dict[str, object] = {}
    if poll.method in (Poll.Method.EACH, Poll.Method.RATE):
        for key in keys:
            raw = votes.get(key) or {}
            if not isinstance(raw, Mapping):
                raise BallotError(
                    _("Enter for, against and abstain for each option."), field="votes"
                )
            counts = {v: _count(raw.get(v, 0)) for v in values_of(poll.method)}
            if sum(counts.values()) > valid:
                raise BallotError(_("An option has more votes than valid ballots."), field="votes")
            cleaned[key] = counts
        return cleaned
    total = 0
    for key in keys:
        n = _count(votes.get(key, 0))
        if n > valid:
            raise BallotError(_("An option has more votes than valid ballots."), field="votes")
        total += n
        cleaned[key] = n
    if total > valid * poll.slots:
        raise BallotError(_("There are more votes than the valid ballots allow."), field="votes")
    return cleaned


def _count(value: object) -> int:
    try:
        n = int(value)  # type: ignore[call-overload]  # anything a form or caller hands in
    except (TypeError, ValueError):
        raise BallotError(_("Enter whole numbers."), field="votes") from None
    if n < 0:
        raise BallotError(_("Enter whole numbers."), field="votes")
    return n


def paper_tally_enter(
    *, poll: Poll, by: User, issued: int, returned: int, invalid: int, votes: Mapping[str, object]
) -> PaperTally:
    """A teller's count of the paper ballots of a closed vote."""
    _require_run(by, poll.session)
    if poll.state not in (Poll.State.OPEN, Poll.State.CLOSED):
        raise BallotError(_("Paper ballots are counted while the vote is open or closed."))
    if issued < 0 or returned < 0 or invalid < 0:
        raise BallotError(_("Enter whole numbers."), field="issued")
    if returned > issued:
        raise BallotError(_("More ballots returned than issued."), field="returned")
    if invalid > returned:
        raise BallotError(_("More invalid ballots than returned."), field="invalid")
    present = present_count(poll.session)
    electronic = Ballot.objects.filter(poll=poll).count()
    if issued + electronic > present:
        raise BallotError(
            _("More ballots than deputies checked in (%(present)s).") % {"present": present},
            field="issued",
        )
    cleaned = _paper_votes(poll, votes, returned - invalid)
    return PaperTally.objects.create(
        poll=poll, teller=by, issued=issued, returned=returned, invalid=invalid, votes=cleaned
    )


def paper_tally_confirm(*, tally: PaperTally, by: User) -> None:
    """A second teller confirms the count; it must agree with every other entry."""
    _require_run(by, tally.poll.session)
    if tally.teller_id == by.pk:
        raise BallotError(_("A second teller confirms the count, not the one who entered it."))
    others = PaperTally.objects.filter(poll=tally.poll).exclude(pk=tally.pk)
    if any(not _same_count(tally, other) for other in others):
        raise BallotError(_("The tellers' counts differ: count again."), conflict=True)
    updated = PaperTally.objects.filter(pk=tally.pk, confirmed_by__isnull=True).update(
        confirmed_by=by
    )
    if not updated:
        raise BallotError(_("This count has already been confirmed."), conflict=True)
    tally.confirmed_by = by


def _same_count(a: PaperTally, b: PaperTally) -> bool:
    return (a.issued, a.returned, a.invalid, a.votes) == (b.issued, b.returned, b.invalid, b.votes)


def publication_blockers(poll: Poll) -> list[str]:
    """Why the tally may not be published yet ([] when it may)."""
    blockers = []
    if poll.state != Poll.State.CLOSED:
        blockers.append(_("Close the vote first."))
    tallies = list(PaperTally.objects.filter(poll=poll))
    if tallies:
        if not any(t.confirmed_by_id for t in tallies):
            blockers.append(_("A second teller has not confirmed the paper count."))
        if any(not _same_count(tallies[0], t) for t in tallies[1:]):
            blockers.append(_("The tellers' counts differ: count again."))
    paper = tallies[0].returned if tallies else 0
    if Ballot.objects.filter(poll=poll).count() + paper > present_count(poll.session):
        blockers.append(_("There are more ballots than deputies checked in."))
    return blockers


def poll_publish(*, poll: Poll, by: User) -> None:
    _require_run(by, poll.session)
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        blockers = publication_blockers(locked)
        if blockers:
            raise BallotError(" ".join(blockers), conflict=True)
        locked.state = Poll.State.PUBLISHED
        locked.save(update_fields=["state"])
    poll.state = locked.state


# --- Results --------------------------------------------------------------------------


@dataclass
class OptionResult:
    key: str
    label: str
    yes: int = 0
    no: int = 0
    abstain: int = 0
    passes: bool = False
    chosen: bool = False
    # method "rate": 满意, 基本满意, 不满意 (abstentions in ``abstain``) and the rule's verdict
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0
    unsatisfactory: bool = False

    @property
    def votes(self) -> int:
        """The votes that count for the option: "yes" (each) or chosen (choose)."""
        return self.yes


@dataclass
class PollResult:
    poll: Poll
    roll: int  # the deputies on the roll: more than half of them pass an option
    present: int
    ballots: int  # electronic ballots
    paper_returned: int
    paper_invalid: int
    options: list[OptionResult] = field(default_factory=list)
    chosen: list[OptionResult] = field(default_factory=list)  # most votes first
    tie: list[OptionResult] = field(default_factory=list)  # tied for the last slots
    empty_slots: int = 0  # slots that nobody filled (the tied ones not counted)
    slots: int = 0

    @property
    def needed(self) -> int:
        """The fewest votes that pass an option."""
        return self.roll // 2 + 1

    @property
    def open_slots(self) -> int:
        """The slots a run-off among ``tie`` decides."""
        return self.slots - len(self.chosen) if self.tie else 0


def poll_result(poll: Poll) -> PollResult:
    """Count the electronic ballots and the paper tally and apply the rule."""
    options = list(poll.options.all())
    by_pk = {str(o.pk): OptionResult(key=o.key, label=o.label) for o in options}
    values = values_of(poll.method)
    for choices in Ballot.objects.filter(poll=poll).values_list("choices", flat=True):
        for pk, value in choices.items():
            if pk in by_pk and value in values:
                counted_for = by_pk[pk]
                setattr(counted_for, value, getattr(counted_for, value) + 1)
    tally = PaperTally.objects.filter(poll=poll, confirmed_by__isnull=False).order_by("pk").first()
    by_key = {r.key: r for r in by_pk.values()}
    if tally:
        for key, counted in tally.votes.items():
            if key not in by_key:
                continue
            if isinstance(counted, dict):
                for value in values:
                    setattr(by_key[key], value, getattr(by_key[key], value) + counted.get(value, 0))
            else:
                by_key[key].yes += int(counted)
    roll = roll_size(poll.session)
    result = PollResult(
        poll=poll,
        roll=roll,
        present=present_count(poll.session),
        ballots=Ballot.objects.filter(poll=poll).count(),
        paper_returned=tally.returned if tally else 0,
        paper_invalid=tally.invalid if tally else 0,
        options=list(by_pk.values()),
    )
    if poll.method == Poll.Method.RATE:
        rate(result)
    else:
        decide(result, slots=poll.slots)
    return result


def unsatisfactory(*, satisfied: int, basic: int, roll: int) -> bool:
    """The satisfaction rule: 满意 and 基本满意 together no more than half of *all* the
    deputies on the roll (who abstained, was absent or on leave counts against)."""
    return (satisfied + basic) * 2 <= roll


def rate(result: PollResult) -> None:
    """Apply the satisfaction rule to the options of a counted "rate" poll (pure)."""
    result.slots = 0
    for option in result.options:
        option.unsatisfactory = unsatisfactory(
            satisfied=option.satisfied, basic=option.basic, roll=result.roll
        )


def decide(result: PollResult, *, slots: int) -> None:
    """Apply the rule to counted options (pure: tested at its edges)."""
    result.slots = slots
    for option in result.options:
        option.passes = option.yes * 2 > result.roll
    passing = sorted((o for o in result.options if o.passes), key=lambda o: -o.yes)
    if len(passing) <= slots:
        chosen, tie = passing, []
    else:
        last = passing[slots - 1].yes
        above = [o for o in passing if o.yes > last]
        at_last = [o for o in passing if o.yes == last]
        if len(above) + len(at_last) > slots:
            chosen, tie = above, at_last
        else:
            chosen, tie = passing[:slots], []
    for option in chosen:
        option.chosen = True
    result.chosen = chosen
    result.tie = tie
    result.empty_slots = 0 if tie else slots - len(chosen)


def runoff_create(*, poll: Poll, by: User) -> Poll:
    """A run-off among the options tied for the last slots, for the slots they contend."""
    result = poll_result(poll)
    if poll.state not in (Poll.State.CLOSED, Poll.State.PUBLISHED) or not result.tie:
        raise BallotError(_("Only a closed vote with a tie for the last slot has a run-off."))
    if poll.runoffs.exists():
        raise BallotError(_("This vote already has a run-off."), conflict=True)
    return poll_create(
        session=poll.session,
        title=_("Run-off: %(title)s") % {"title": poll.title},
        method=poll.method,
        slots=result.open_slots,
        options=[(o.key, o.label) for o in result.tie],
        by=by,
        runoff_of=poll,
    )


def receipts(poll: Poll) -> list[str]:
    """The published receipts of a vote, without their choices (in random order)."""
    if poll.state != Poll.State.PUBLISHED:
        return []
    return list(
        Ballot.objects.filter(poll=poll).order_by("receipt").values_list("receipt", flat=True)
    )
