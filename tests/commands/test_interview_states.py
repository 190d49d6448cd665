"""Back, change, start again and resume: a state machine that cannot loop.

The cases the issue reported, then a hypothesis property test that drives random
sequences of answers, Back, not sure, Change, Start again and Show through the real
``route`` command and checks that it always ends, that the route shown is the one
``indcli route --no-input`` gives for the final answers, and that the review never lists
an answer that does not matter.
"""

from __future__ import annotations

import json
import queue
import threading

import pytest
from conftest import PACKS
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from indcli.commands.support import interview as interview_module
from indcli.commands.support import prompts
from indcli.routing.engine import route
from indcli.testing import make_app, route_answers, run

REVIEW = "Is this right?"
WHICH = "Which answer do you want to change?"
FUNDS = "Do you receive (additional) benefit from public funds?"
ABROAD = "Is your partner abroad?"
ONLINE_OR_PAPER = "Do you want to apply online, or on paper?"
DIGID = "Do you have DigiD, and with verification via sms?"


def scripted(monkeypatch, replies):
    """prompts.select answers from ``replies``: (prompt, label) pairs, in order; every
    prompt shown is recorded with the labels it offered."""
    shown: list[tuple[str, list[str]]] = []
    script = list(replies)

    def select(message, choices, help_text=None, default=None, **kw):
        shown.append((message, [label for _, label in choices]))
        assert script, f"no reply left for {message!r}"
        expected, label = script.pop(0)
        assert message == expected, (message, expected)
        return next(value for value, shown_label in choices if shown_label == label)

    monkeypatch.setattr(prompts, "select", select)
    return shown


def interview_json(args):
    result = run(make_app(*PACKS, interactive=True), ["route", "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


LONG_TERM = "Are you or is your partner a long-term resident EU in another Member State?"
TEMPORARY = "Do you have a temporary residence permit?"


def test_back_after_a_change_reaches_a_question(monkeypatch):
    # No, No, funds Yes, abroad No; Change funds to No; Online, iDeal No; review; Back
    shown = scripted(
        monkeypatch,
        [
            (LONG_TERM, "No"),
            (TEMPORARY, "No"),
            (FUNDS, "Yes"),
            (ABROAD, "No"),
            (REVIEW, "Change an answer"),
            (WHICH, FUNDS),
            (FUNDS, "No"),
            (ONLINE_OR_PAPER, "Online"),
            ("Can you pay with iDeal (internet banking with a Dutch bank account)?", "No"),
            (REVIEW, "Back"),  # abroad was filled in from before: Back asks it again
            (ABROAD, "Yes"),
            (REVIEW, "Show my route"),
        ],
    )
    data = interview_json([])
    assert [message for message, _ in shown].count(REVIEW) == 3
    assert data["answers"]["partner-abroad"] == "yes"
    assert data["outcome"]["id"] == "paper-family-member"


def test_resume_then_change_drops_what_stopped_mattering_and_offers_back(monkeypatch):
    flags = ["--eu-long-term-resident", "no", "--temporary-permit", "yes"]
    flags += ["--partner-abroad", "yes", "--review"]  # a resume line printed at the review
    shown = scripted(
        monkeypatch,
        [
            (REVIEW, "Change an answer"),
            (WHICH, TEMPORARY),
            (TEMPORARY, "No"),
            (FUNDS, "No"),
            (ONLINE_OR_PAPER, "Online"),
            ("Can you pay with iDeal (internet banking with a Dutch bank account)?", "Yes"),
            (DIGID, "I have DigiD with verification via sms"),
            ("Does your partner already have a Dutch residence permit?", "No"),
            (REVIEW, "Show my route"),
        ],
    )  # fmt: skip
    data = interview_json(flags)
    assert all(labels[-1] == "Back" for message, labels in shown[3:] if message != REVIEW)
    assert "partner-abroad" not in data["answers"]  # it stopped mattering online
    assert data["outcome"]["id"] == "online-partner-no-permit"


def test_a_resume_line_printed_at_the_review_brings_the_review_back(monkeypatch):
    shown = scripted(monkeypatch, [(REVIEW, "Show my route")])
    data = interview_json(["--eu-long-term-resident", "yes", "--review"])
    assert [message for message, _ in shown] == [REVIEW]
    assert data["outcome"]["id"] == "eu-long-term-resident"


def test_back_from_the_review_of_given_answers_asks_the_last_one(monkeypatch):
    scripted(monkeypatch, [(REVIEW, "Back"), (LONG_TERM, "No"), (TEMPORARY, "Yes"),
                           (ABROAD, "No"), (REVIEW, "Show my route")])  # fmt: skip
    data = interview_json(["--eu-long-term-resident", "yes", "--review"])
    assert data["outcome"]["id"] == "paper-family-member"


# --- the property ------------------------------------------------------------------------

BUDGET = 30  # random replies; then the shortest way to the result
SPECIAL = {"\0stop"}  # "Stop here" ends the run on purpose: not a path to test


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_path_ends_with_the_route_of_its_final_answers(data):
    app = make_app(*PACKS)
    flow = app.load_catalog().flow("partner-permit")
    prompts_shown = 0

    def select(message, choices, help_text=None, default=None, **kw):
        nonlocal prompts_shown
        prompts_shown += 1
        assert prompts_shown < BUDGET + 60, "the interview does not end"
        values = [value for value, _ in choices if value not in SPECIAL]
        if prompts_shown <= BUDGET:
            return data.draw(st.sampled_from(values), label=message)
        if message == REVIEW:
            return "\0show"
        if message == WHICH:
            return prompts.BACK
        return values[0]  # a real answer: the first choice

    reviewed: list[dict[str, str]] = []
    original_review = interview_module.Interview._review

    def review(self):
        reviewed.append(dict(self.answers))
        return original_review(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prompts, "select", select)
        patch.setattr(interview_module.Interview, "_review", review)
        shown = interview_json([])
    for answers in reviewed:  # every answer listed mattered when it was asked
        before: dict[str, str] = {}
        for question, value in answers.items():
            assert question in route(flow, dict(before)).relevant, (question, answers)
            before[question] = value
    flags = [word for q, v in shown["answers"].items() for word in (f"--{q}", v)]
    scripted_run = run(app, ["route", "--no-input", "--format", "json", *flags])
    assert scripted_run.exit_code == 0, scripted_run.stderr
    assert json.loads(scripted_run.stdout) == shown


# --- the state machine, rule by rule -----------------------------------------------------

SHOW, CHANGE, AGAIN = "\0show", "\0change", "\0again"
ABORT = "\0abort"  # teardown after a failure: the prompt raises KeyboardInterrupt


class InterviewMachine(RuleBasedStateMachine):
    """The interview runs in a thread; each rule is one reply a person can give to the
    prompt on screen (an answer, Back, not sure, Change, Start again, Show)."""

    def __init__(self) -> None:
        super().__init__()
        self.app = make_app(*PACKS, interactive=True)
        self.flow = self.app.load_catalog().flow("partner-permit")
        self.interview = interview_module.Interview(self.app, self.flow, {})
        self.asks: queue.Queue = queue.Queue()
        self.replies: queue.Queue = queue.Queue()
        self.original_select = prompts.select
        prompts.select = self._select
        self.thread = threading.Thread(target=self._work, daemon=True)
        self.thread.start()
        self.current = self._wait()

    def _select(self, message, choices, help_text=None, default=None, **kw):
        self.asks.put(("ask", message, [value for value, _ in choices]))
        reply = self.replies.get(timeout=60)
        if reply == ABORT:
            raise KeyboardInterrupt
        return reply

    def _work(self) -> None:
        try:
            self.asks.put(("done", self.interview.run()))
        except BaseException as exc:
            self.asks.put(("error", exc))

    def _wait(self):
        try:
            item = self.asks.get(timeout=30)
        except queue.Empty:
            raise AssertionError("the interview neither asked nor ended: a loop") from None
        if item[0] == "error" and not isinstance(item[1], Exception):
            raise item[1]
        return item

    def _reply(self, value: str) -> None:
        self.replies.put(value)
        self.current = self._wait()

    def offers(self, value: str) -> bool:
        return self.current[0] == "ask" and value in self.current[2]

    def at_question(self) -> bool:
        return self.current[0] == "ask" and self.current[1] not in (REVIEW, WHICH)

    @precondition(lambda self: self.at_question())
    @rule(data=st.data())
    def answer(self, data) -> None:
        real = [v for v in self.current[2] if not v.startswith("\0")]
        self._reply(data.draw(st.sampled_from(real)))

    @precondition(lambda self: self.offers(prompts.BACK))
    @rule()
    def back(self) -> None:
        self._reply(prompts.BACK)

    @precondition(lambda self: self.offers(prompts.UNSURE))
    @rule()
    def not_sure(self) -> None:
        self._reply(prompts.UNSURE)

    @precondition(lambda self: self.offers(CHANGE))
    @rule(data=st.data())
    def change(self, data) -> None:
        self._reply(CHANGE)
        assert self.current[1] == WHICH
        self._reply(data.draw(st.sampled_from(self.current[2])))  # a question, or Back

    @precondition(lambda self: self.offers(AGAIN))
    @rule()
    def start_again(self) -> None:
        self._reply(AGAIN)

    @precondition(lambda self: self.offers(SHOW))
    @rule()
    def show(self) -> None:
        self._reply(SHOW)

    @precondition(lambda self: self.current[0] == "done")
    @rule()
    def done(self) -> None:
        """The route is shown: nothing more to do (steps after it are no-ops)."""

    @invariant()
    def the_review_lists_only_answers_that_matter(self) -> None:
        if self.current[0] == "ask" and self.current[1] == REVIEW:
            before: dict[str, str] = {}
            for question, value in self.interview.answers.items():
                assert question in route(self.flow, dict(before)).relevant, question
                before[question] = value
            assert route(self.flow, before).done

    def teardown(self) -> None:
        try:
            for _ in range(100):  # the shortest way to the result: it must end
                if self.current[0] != "ask":
                    break
                message, values = self.current[1], self.current[2]
                if message == REVIEW:
                    self._reply(SHOW)
                elif message == WHICH:
                    self._reply(prompts.BACK)
                else:
                    self._reply(next(v for v in values if not v.startswith("\0")))
            assert self.current[0] == "done", self.current
            answers = self.current[1]
            flags = [word for q, v in answers.items() for word in (f"--{q}", v)]
            scripted_run = run(
                make_app(*PACKS), ["route", "--no-input", "--format", "json", *flags]
            )
            assert scripted_run.exit_code == 0, scripted_run.stderr
            assert json.loads(scripted_run.stdout) == route_answers(self.app, answers)
        finally:
            while self.thread.is_alive():
                self.replies.put(ABORT)
                self.thread.join(timeout=1)
            prompts.select = self.original_select


InterviewMachine.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no slow shrinking
)
test_the_interview_state_machine = InterviewMachine.TestCase
