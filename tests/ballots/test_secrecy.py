"""Secrecy: after a vote, nothing stored joins a ballot to a deputy, a check-in, a user
or a code — in any table of the portal, history tables included."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection, models

from ballots.models import Ballot, Code
from ballots.services import ballot_cast, codes_issue, poll_close, poll_open

pytestmark = pytest.mark.django_db

SECRET_MODELS = {"ballot", "code"}


def test_a_ballot_has_only_its_receipt_poll_and_choices():
    columns = {f.column for f in Ballot._meta.concrete_fields}
    assert columns == {"receipt", "poll_id", "choices"}
    assert [f.related_model for f in Ballot._meta.concrete_fields if f.is_relation] == [
        Ballot._meta.get_field("poll").related_model
    ]
    # The receipt is the key: no sequence tells the order the ballots were cast in.
    assert Ballot._meta.pk.name == "receipt"


def test_a_code_says_nothing_of_its_ballot_or_its_holder():
    columns = {f.column for f in Code._meta.concrete_fields}
    assert columns == {"id", "poll_id", "hash", "state", "is_spare"}


def test_no_table_references_a_ballot_or_a_code_and_neither_has_history():
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.get_fields():
            if f.is_relation and f.concrete:
                assert f.related_model not in (Ballot, Code), f"{model.__name__}.{f.name}"
        assert model._meta.model_name not in {"historicalballot", "historicalcode"}


def test_no_time_finer_than_a_day_on_the_secret_tables():
    for model in (Ballot, Code):
        for f in model._meta.concrete_fields:
            assert not isinstance(f, models.DateTimeField | models.TimeField), f.name


def test_after_a_vote_no_row_of_any_table_joins_a_ballot_to_a_person(world, hall):
    hall.check_in(9)
    poll = hall.poll()
    poll_open(poll=poll, by=hall.by)
    codes = codes_issue(poll=poll, by=hall.by)
    receipts = [ballot_cast(code=c, choices={"project:1": "yes"}) for c in codes[:4]]
    poll_close(poll=poll, by=hall.by)

    ballot_ids = set(receipts)
    code_ids = {str(pk) for pk in Code.objects.values_list("pk", flat=True)}
    code_hashes = set(Code.objects.values_list("hash", flat=True))
    plain_codes = set(codes)
    # Every value stored anywhere outside the two secret tables, read back as text:
    # none of them may carry a receipt, a code, a code's hash or a code's id in a
    # column that refers to codes.
    for model in apps.get_models(include_auto_created=True):
        if model in (Ballot, Code):
            continue
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            names = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                for secret in ballot_ids | code_hashes | plain_codes:
                    assert secret not in text, f"{table} holds a ballot or code secret"
                for name, value in zip(names, row, strict=True):
                    if "code" in name and name.endswith("_id"):
                        assert str(value) not in code_ids, f"{table}.{name}"
    # The ballots: their key is random, their only reference the poll, their choices
    # option ids; nothing in them names a deputy, a check-in, a user or a code.
    for ballot in Ballot.objects.all():
        stored = f"{ballot.receipt} {ballot.poll_id} {ballot.choices}"
        for deputy in hall.deputies:
            assert deputy.name not in stored
        assert not set(ballot.choices) - {
            str(pk) for pk in poll.options.values_list("pk", flat=True)
        }
        assert set(ballot.choices.values()) <= {"yes", "no", "abstain"}
    # Codes cannot be joined to ballots by order: ballots are keyed by their random
    # receipts and carry no time; codes carry no time either.
    assert not any(
        isinstance(v, dt.datetime) for v in Code.objects.values_list("state", "is_spare")
    )
