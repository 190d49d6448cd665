"""Misusing ``indcli.api`` is a TypeError or ValueError that names the parameter and what
it accepts, never an AttributeError or "unhashable type" from deep inside (issue 26,
item 4)."""

from __future__ import annotations

import indcli_partner_permit
import pytest
from conftest import PACKS

from indcli import api


@pytest.fixture(scope="module")
def app():
    return api.load(packs=list(PACKS), environ={"INDCLI_NO_CACHE": "1"})


MISUSE = {
    "route(None)": (lambda app: api.route(None, app=app), TypeError, "answers must be a mapping"),
    "route(pairs)": (
        lambda app: api.route([("temporary-permit", "yes")], app=app),
        TypeError,
        "answers must be a mapping (dict) of question ids to choice ids",
    ),
    "route(str)": (lambda app: api.route("prefer", app=app), TypeError, "got str 'prefer'"),
    "route(int key)": (lambda app: api.route({1: "yes"}, app=app), TypeError, "answers must map"),
    "route(app=str)": (
        lambda app: api.route({}, app="x"),
        TypeError,
        "app must be an App from indcli.api.load(), or None; got str 'x'",
    ),
    "route(flow=list)": (
        lambda app: api.route({}, flow=["partner-permit"], app=app),
        TypeError,
        "flow must be a flow id (a str)",
    ),
    "route(flow=None)": (lambda app: api.route({}, flow=None, app=app), TypeError, "flow must"),
    "explain(None)": (lambda app: api.explain(None, app=app), TypeError, "topic must be"),
    "explain(list)": (lambda app: api.explain(["x"], app=app), TypeError, "topic must be"),
    "guide(dict)": (lambda app: api.guide({}, app=app), TypeError, "guide_id must be"),
    "guide(app=int)": (lambda app: api.guide("berichtenbox", app=5), TypeError, "app must be"),
    "load(packs=[str])": (
        lambda app: api.load(packs=["indcli_partner_permit"]),
        TypeError,
        "packs must hold pack modules (import it, or give installed packs by name",
    ),
    "load(packs=str)": (lambda app: api.load(packs="mod"), TypeError, "packs must be a list"),
    "load(packs=module)": (
        lambda app: api.load(packs=indcli_partner_permit),
        TypeError,
        "packs must be a list of pack modules",
    ),
    "load(names=str)": (
        lambda app: api.load(names="indcli-x"),
        TypeError,
        "names=['indcli-x']",
    ),
    "load(names=[int])": (lambda app: api.load(names=[5]), TypeError, "names must hold"),
    "load(names=[''])": (lambda app: api.load(names=[""]), ValueError, "an empty name"),
    "load(names=int)": (lambda app: api.load(names=5), TypeError, "names must be a list"),
    "load(environ=str)": (lambda app: api.load(environ="x"), TypeError, "environ must be"),
    "load(environ=pairs)": (
        lambda app: api.load(environ=[("A", "1")]),
        TypeError,
        "environ must be a mapping",
    ),
    "load(environ={str: int})": (
        lambda app: api.load(environ={"INDCLI_NO_CACHE": 1}),
        TypeError,
        "environ must map str to str",
    ),
}


@pytest.mark.parametrize("case", MISUSE)
def test_misuse_names_the_parameter_and_what_it_accepts(app, case):
    call, error, message = MISUSE[case]
    with pytest.raises(error) as caught:
        call(app)
    assert type(caught.value) is error  # not an AttributeError or KeyError subclass
    assert message in str(caught.value)


def test_answers_of_the_wrong_value_type_still_say_what_is_allowed(app):
    with pytest.raises(api.InvalidAnswer) as caught:
        api.route({"temporary-permit": True}, app=app)
    assert caught.value.allowed == ["yes", "no"]


def test_right_use_still_works(app):
    answers = {"eu-long-term-resident": "no", "temporary-permit": "yes", "partner-abroad": "no"}
    assert api.route(answers, app=app).to_dict()["outcome"]["id"] == "paper-family-member"
    assert api.route(answers, app=app, flow="partner-permit").to_record()["outcome"] == (
        "paper-family-member"
    )
    assert api.load(packs=(p for p in PACKS), names=None, environ={}).load_catalog().topics
