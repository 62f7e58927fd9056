"""The access matrix: who may open which route, declared once per endpoint, checked against the URL map.

``CASES`` declares, for every endpoint of the app (``static`` aside), one or more *variants*: the URL
arguments taken from a fixture world (``World``), and the answer each of the seven ``ROLES`` must get
for GET and, where the route takes it, POST. ``tests/test_access_matrix.py`` walks ``app.url_map``,
pairs every rule and method with its declarations, and fails on any route nobody declared, on any
declaration whose route is gone, and on any answer that differs from the table.

Expected answers:

* an ``int``: exactly that status (``200``, ``400``, ``404``);
* ``OK``: the page works for this role: below 500, not 404, not a redirect to the login page;
* ``LOGIN``: a redirect to ``/account/login`` (anonymous visitors on a signed-in page);
* ``REDIRECT``: a redirect somewhere other than the login page.

For a GET+POST route the POST row defaults to the GET row with every allowed answer widened to ``OK``
(an empty form may be a 200 with errors, a 400 or a redirect); 404 and LOGIN rows stay as they are, so
a role refused on GET is refused on POST too. POSTs carry a valid CSRF token and an empty or minimal body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.access_matrix_world import BOGUS_TOKEN, OJ, OT, ROLES, A, C, J, S, T, W

OK, LOGIN, REDIRECT = "ok", "login", "redirect"


# Expected answers per role ----------------------------------------------------------------------------

def grid(default, **by_role) -> dict:
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    return {role: by_role.get(role, default) for role in ROLES}


def anyone(answer) -> dict:
    """A public page: the same answer for everyone, signed in or not."""
    return grid(answer)


def signed_in(answer=OK) -> dict:
    """Any signed-in user; anonymous visitors go to the login page."""
    return grid(answer, anonymous=LOGIN)


def only(*roles, ok=OK) -> dict:
    """``roles`` get ``ok``; every other signed-in user 404; anonymous visitors the login page."""
    assert set(roles) <= set(ROLES), roles
    return {role: LOGIN if role == A else ok if role in roles else 404 for role in ROLES}


def widened(get: dict) -> dict:
    return {role: answer if answer in (404, LOGIN) else OK for role, answer in get.items()}


@dataclass(frozen=True)
class Case:
    endpoint: str
    variant: str
    args: dict  # URL arguments; Ref values come from the world
    get: dict | None = None  # expected per role for GET (None: the route takes no GET)
    post: dict | None = None  # expected per role for POST (None: derived from ``get`` with ``widened``)
    body: dict | None = None  # POST fields besides the CSRF token
    query: dict | None = None  # query string (for filters)
    late: int = 0  # POSTs that change the world run after the others, in this order
    hidden: dict | None = None  # role -> world fields whose values must not appear in a 200 page
    note: str = ""

    @property
    def name(self) -> str:
        return f"{self.endpoint}[{self.variant}]" if self.variant else self.endpoint

    def expected(self, method: str) -> dict | None:
        if method == "GET":
            return self.get
        if self.post is not None:
            return self.post
        return widened(self.get) if self.get is not None else None


def case(endpoint, variant="", args=None, get=None, post=None, **kwargs) -> Case:
    return Case(endpoint, variant, dict(args or {}), get, post, **kwargs)


A1, A2, B1 = W.entry_a1, W.entry_a2, W.entry_b1
SEC = only(S)

CASES: list[Case] = [
    # accounts -----------------------------------------------------------------------------------------
    case("accounts.accept_invitation", "bogus", {"token": BOGUS_TOKEN}, get=anyone(400), post=anyone(400),
         note="token problem page (400) for everyone"),
    case("accounts.accept_invitation", "valid", {"token": W.invitation_token}, get=anyone(200), post=anyone(OK),
         note="anyone holding the link sees the form; an empty POST is refused by the form"),
    case("accounts.change_email", "", post=signed_in()),
    case("accounts.change_password", "", post=signed_in()),
    case("accounts.check_email", "", get=anyone(200)),
    case("accounts.confirm_email", "bogus", {"token": BOGUS_TOKEN}, get=anyone(400), post=anyone(400)),
    case("accounts.confirm_email_change", "bogus", {"token": BOGUS_TOKEN}, get=anyone(400), post=anyone(400)),
    case("accounts.forgot_password", "", get=anyone(200), post=anyone(OK)),
    case("accounts.invite", "", get=SEC),
    case("accounts.login", "", get=anyone(200), post=anyone(OK)),
    case("accounts.logout", "", post=signed_in(REDIRECT), late=9, note="last: it ends the session"),
    case("accounts.reset_password", "bogus", {"token": BOGUS_TOKEN}, get=anyone(400), post=anyone(400)),
    case("accounts.settings", "", get=signed_in(200)),
    case("accounts.signup", "", get=anyone(200), post=anyone(OK)),
    case("accounts.update_profile", "", post=signed_in()),

    # campaign: Lisbon's coordinator (C) owns CA; CB is another city's. The edition's deadline has passed.
    case("campaign.index", "", get=grid(404, anonymous=LOGIN, coordinator=200, secretariat=REDIRECT),
         note="the secretariat lands on the review list"),
    case("campaign.new", "", {"kind": "quote"}, get=only(C, ok=REDIRECT), post=only(C, ok=REDIRECT),
         note="the deadline has passed: back to the list with the reason"),
    case("campaign.details", "CA", {"sub_id": W.campaign_a}, get=only(C, ok=REDIRECT), post=only(C, ok=REDIRECT)),
    case("campaign.details", "CB", {"sub_id": W.campaign_b}, get=grid(404, anonymous=LOGIN)),
    case("campaign.consent", "CA", {"sub_id": W.campaign_a}, get=only(C, ok=REDIRECT), post=only(C, ok=REDIRECT),
         note="closed: consent can only be withdrawn"),
    case("campaign.consent", "CB", {"sub_id": W.campaign_b}, get=grid(404, anonymous=LOGIN)),
    case("campaign.check", "CA", {"sub_id": W.campaign_a}, get=only(C, ok=200)),
    case("campaign.check", "CB", {"sub_id": W.campaign_b}, get=grid(404, anonymous=LOGIN)),
    case("campaign.submit", "CA", {"sub_id": W.campaign_a}, post=only(C, ok=REDIRECT)),
    case("campaign.submit", "CB", {"sub_id": W.campaign_b}, post=grid(404, anonymous=LOGIN)),
    case("campaign.delete", "CA", {"sub_id": W.campaign_a}, post=only(C, ok=REDIRECT), note="closed: refused"),
    case("campaign.delete", "CB", {"sub_id": W.campaign_b}, post=grid(404, anonymous=LOGIN)),
    case("campaign.withdraw_consent", "CA", {"sub_id": W.campaign_a}, get=only(C, ok=200),
         note="at any time; the empty POST is refused by the form"),
    case("campaign.withdraw_consent", "CB", {"sub_id": W.campaign_b}, get=grid(404, anonymous=LOGIN)),
    case("campaign.photo", "CA", {"sub_id": W.campaign_a}, get=only(C, S, ok=200)),
    case("campaign.photo", "CB", {"sub_id": W.campaign_b}, get=grid(404, anonymous=LOGIN), note="no photo"),
    case("campaign.card", "CA", {"sub_id": W.campaign_a, "size": "portrait", "language": "en"}, get=only(S, ok=200)),
    case("campaign.card", "CB", {"sub_id": W.campaign_b, "size": "portrait", "language": "en"},
         get=grid(404, anonymous=LOGIN), note="not approved: no card for anyone"),
    case("campaign.schedule", "", get=only(S, ok=200)),
    case("campaign.timeline_settings", "", get=only(S, ok=200), note="the empty POST is refused (no quote limit)"),
    case("campaign.schedule_ics", "", get=only(S, ok=200)),
    case("campaign.page", "", get=anyone(200)),
    case("campaign.public_photo", "CA", {"sub_id": W.campaign_a}, get=anyone(200)),
    case("campaign.public_photo", "CB", {"sub_id": W.campaign_b}, get=anyone(404)),
    case("campaign.review_list", "", get=only(S, ok=200)),
    case("campaign.review", "CA", {"sub_id": W.campaign_a}, get=only(S, ok=200)),
    case("campaign.review", "CB", {"sub_id": W.campaign_b}, get=only(S, ok=200)),
    case("campaign.approve", "CB", {"sub_id": W.campaign_b}, post=only(S, ok=REDIRECT), late=2),
    case("campaign.send_back", "CA", {"sub_id": W.campaign_a}, post=only(S, ok=400), note="no message: refused"),
    case("campaign.consent_form", "CA", {"sub_id": W.campaign_a}, get=grid(404, anonymous=LOGIN),
         note="CA has no signed form: 404 for everyone (test_coordinator checks the secretariat's download)"),
    case("campaign.crop", "CA", {"sub_id": W.campaign_a}, post=only(S, ok=REDIRECT)),

    # competition: the secretariat's administration ------------------------------------------------------
    case("competition.add_coordinator", "", {"city_id": W.city_a}, post=SEC),
    case("competition.admin_cities", "", get=SEC),
    case("competition.admin_city_edit", "", {"city_id": W.city_a}, get=SEC),
    case("competition.admin_city_new", "", get=SEC),
    case("competition.admin_city_set_active", "", {"city_id": W.city_a}, post=SEC),
    case("competition.admin_edition_edit", "", {"edition_id": W.edition}, get=SEC),
    case("competition.admin_edition_make_current", "", {"edition_id": W.edition}, post=SEC,
         note="the current edition: nothing changes"),
    case("competition.admin_edition_new", "", get=SEC),
    case("competition.admin_editions", "", get=SEC),
    case("competition.admin_material_delete", "", {"material_id": W.material}, post=SEC, late=2),
    case("competition.admin_material_edit", "", {"material_id": W.material}, get=SEC),
    case("competition.admin_material_move", "", {"material_id": W.material, "direction": "up"}, post=SEC),
    case("competition.admin_material_new", "", {"edition_id": W.edition}, get=SEC),
    case("competition.admin_materials", "", {"edition_id": W.edition}, get=SEC),
    case("retention.admin_edition_purge", "", {"edition_id": W.edition}, get=SEC,
         note="results published: the page and its form; the empty POST is refused (no password), nothing removed"),
    case("competition.admin_school_edit", "", {"school_id": W.school_a}, get=SEC),
    case("competition.admin_school_merge", "", {"school_id": W.school_a}, post=SEC),
    case("competition.audit_log", "", get=SEC),
    case("competition.class_extension", "", {"class_id": W.class_a}, get=SEC),
    case("competition.disqualify_entry", "", {"entry_id": A1}, get=SEC),
    case("competition.reinstate_entry", "", {"entry_id": A1}, post=SEC),
    case("competition.remove_coordinator", "", {"city_id": W.city_a, "user_id": W.coordinator_id}, post=SEC, late=2),

    # competition: entries overview (secretariat everywhere, coordinators in their city) -----------------
    case("competition.all_entries", "", get=only(C, S, ok=200),
         hidden={C: ["ref_b1", "title_b1"]}, note="a coordinator sees their city's entries only"),
    case("competition.all_entries", "city-B-filter", query={"city": W.city_b}, get=only(C, S, ok=200),
         hidden={C: ["ref_b1", "title_b1"]}, note="asking for another city's entries shows none of them"),
    case("competition.index", "", get=signed_in(REDIRECT), note="each role lands on its own page"),

    # competition: classes (A: the teacher's, Lisbon, open; B: the other teacher's, Strasbourg, closed) ----
    case("competition.classes", "", get=only(T, OT, ok=200),
         hidden={T: ["class_b_name"], OT: ["class_a_name"]}),
    case("retention.classes_export", "", get=only(T, OT, ok=200),
         note="a ZIP of the teacher's own classes (tests/retention checks that it holds no one else's)"),
    case("competition.new_class_city", "", get=only(T, OT, ok=200), note="the edition is closed: the 'closed' page"),
    case("competition.new_class_school", "", get=only(T, OT, ok=200)),
    case("competition.new_class_details", "", get=only(T, OT, ok=200)),
    case("competition.class_page", "A", {"class_id": W.class_a}, get=only(T, C, S, ok=200)),
    case("competition.class_page", "B", {"class_id": W.class_b}, get=only(OT, S, ok=200)),
    case("competition.edit_class", "A", {"class_id": W.class_a}, get=only(T, ok=200),
         note="open class: viewers who may not change it (coordinator, secretariat) get 404"),
    case("competition.edit_class", "B", {"class_id": W.class_b}, get=grid(404, anonymous=LOGIN, other_teacher=REDIRECT,
                                                                          secretariat=REDIRECT),
         note="closed class: its teacher and the secretariat are sent back to the class page"),
    case("competition.edit_pupils", "A", {"class_id": W.class_a}, get=only(T, ok=200)),
    case("competition.edit_pupils", "B", {"class_id": W.class_b}, get=grid(404, anonymous=LOGIN, other_teacher=REDIRECT,
                                                                           secretariat=REDIRECT)),
    case("competition.new_entry", "A", {"class_id": W.class_a}, get=only(T, ok=200)),
    case("competition.new_entry", "B", {"class_id": W.class_b}, get=only(OT, ok=REDIRECT)),

    # competition: entries --------------------------------------------------------------------------------
    case("competition.entry", "A1", {"entry_id": A1}, get=only(T, C, S, ok=200)),
    case("competition.entry", "B1", {"entry_id": B1}, get=only(OT, S, ok=200)),
    case("competition.entry_receipt", "A1", {"entry_id": A1}, get=only(T, C, S, ok=200)),
    case("competition.entry_receipt", "B1", {"entry_id": B1}, get=only(OT, S, ok=200)),
    case("competition.entry_details", "A1", {"entry_id": A1}, get=only(T, ok=REDIRECT),
         note="A1 is judged and awarded: frozen, its class's extension does not reopen it"),
    case("competition.entry_details", "B1", {"entry_id": B1}, get=only(OT, ok=REDIRECT)),
    case("competition.entry_work", "A1", {"entry_id": A1}, get=only(T, ok=REDIRECT), note="frozen"),
    case("competition.entry_work", "B1", {"entry_id": B1}, get=only(OT, ok=REDIRECT)),
    case("competition.entry_translation", "A1", {"entry_id": A1}, get=only(T, ok=REDIRECT), note="frozen"),
    case("competition.entry_translation", "B1", {"entry_id": B1}, get=only(OT, ok=REDIRECT)),
    case("competition.entry_consent", "A1", {"entry_id": A1}, get=only(T, ok=REDIRECT),
         note="frozen: consent can only be withdrawn (entry_consent_withdraw)"),
    case("competition.entry_consent_withdraw", "A1", {"entry_id": A1}, get=only(T, ok=200),
         note="consent is never frozen; the empty POST is refused by the form"),
    case("competition.entry_consent_withdraw", "B1", {"entry_id": B1}, get=only(OT, ok=200),
         note="after the deadline too"),
    case("competition.entry_consent", "B1", {"entry_id": B1}, get=only(OT, ok=REDIRECT)),
    case("competition.entry_work_text", "A2", {"entry_id": A2}, post=only(T),
         note="a poem (an illustration has no text)"),
    case("competition.entry_work_text", "B1", {"entry_id": B1}, post=only(OT, ok=REDIRECT)),
    case("competition.entry_work_upload", "A1", {"entry_id": A1}, post=only(T)),
    case("competition.entry_work_upload", "B1", {"entry_id": B1}, post=only(OT, ok=REDIRECT)),
    case("competition.submit_entry", "A1", {"entry_id": A1}, post=only(T)),
    case("competition.submit_entry", "B1", {"entry_id": B1}, post=only(OT)),
    case("competition.withdraw_entry", "A1", {"entry_id": A1}, get=only(T, ok=200), post=only(T), late=3,
         note="a confirmation page, then the withdrawal: at any time, like consent"),
    case("competition.withdraw_entry", "B1", {"entry_id": B1}, get=only(OT, ok=200), post=only(OT, ok=REDIRECT),
         late=3, note="after the deadline too"),
    case("competition.entry_file_remove", "A1", {"entry_id": A1, "file_id": W.file_a1_work}, post=only(T), late=2),
    case("competition.entry_file_remove", "B1", {"entry_id": B1, "file_id": W.file_b1_work},
         post=only(OT, ok=REDIRECT)),
    case("competition.entry_file", "A1-web", {"entry_id": A1, "file_id": W.file_a1_work, "variant": "web"},
         get=only(T, C, S, ok=200)),
    case("competition.entry_file", "A1-thumb", {"entry_id": A1, "file_id": W.file_a1_work, "variant": "thumb"},
         get=only(T, C, S, ok=200)),
    case("competition.entry_file", "A1-original", {"entry_id": A1, "file_id": W.file_a1_work, "variant": "original"},
         get=only(S, ok=200), note="originals (with their metadata) are the secretariat's only"),
    case("competition.entry_file", "A1-consent", {"entry_id": A1, "file_id": W.file_a1_consent, "variant": "cleaned"},
         get=only(S, ok=200), note="consent forms are the secretariat's only"),
    case("competition.entry_file", "B1-cleaned", {"entry_id": B1, "file_id": W.file_b1_work, "variant": "cleaned"},
         get=only(OT, S, ok=200)),
    case("competition.entry_file", "A1-with-B1-file", {"entry_id": A1, "file_id": W.file_b1_work, "variant": "cleaned"},
         get=only(ok=404), note="a file of another entry, through an entry one may see"),

    # competition: public pages -------------------------------------------------------------------------
    case("competition.public_edition", "", get=anyone(200)),
    case("competition.material_download", "current", {"material_id": W.material}, get=anyone(200)),
    case("competition.material_download", "old-edition", {"material_id": W.old_material},
         get=grid(404, secretariat=200),
         note="a past edition's material: the secretariat only (public route: anonymous gets 404, not the login)"),

    # core ----------------------------------------------------------------------------------------------
    case("core.healthz", "", get=anyone(200)),
    case("core.index", "", get=anyone(200)),
    case("core.set_language", "", post=anyone(REDIRECT), body={"lang": "en"}),

    # judging: jurors -----------------------------------------------------------------------------------
    case("judging.index", "", get=only(J, OJ, S, ok=REDIRECT)),
    case("judging.my_entries", "", get=only(J, OJ, ok=200), hidden={J: ["code_other"], OJ: ["code_juror"]}),
    case("judging.my_profile", "", get=only(J, OJ, ok=200)),
    case("judging.my_conflicts", "", get=only(J, OJ, ok=200)),
    case("judging.score_entry", "juror", {"code": W.code_juror}, get=only(J, ok=200),
         hidden={J: ["teacher_name", "school_a_name", "class_a_name", "pupil_a_name", "ref_a1"]},
         note="the other juror is not assigned to this code; the juror sees no name"),
    case("judging.score_entry", "other_juror", {"code": W.code_other}, get=only(OJ, ok=200)),
    case("judging.autosave", "juror", {"code": W.code_juror}, post=only(J)),
    case("judging.confirm_submit_scores", "juror", {"code": W.code_juror}, get=only(J), late=3,
         note="the page before submitting (back to the scoring page when nothing is saved)"),
    case("judging.confirm_submit_scores", "other_juror", {"code": W.code_other}, get=only(OJ), late=3),
    case("judging.entry_file", "juror-web", {"code": W.code_juror, "variant": "web"}, get=only(J, ok=200)),
    case("judging.entry_file", "juror-cleaned", {"code": W.code_juror, "variant": "cleaned"}, get=only(J, ok=200)),
    case("judging.entry_file", "other-cleaned", {"code": W.code_other, "variant": "cleaned"}, get=only(OJ, ok=200)),
    case("judging.declare_entry_conflict", "juror-code", post=only(J), body={"code": W.code_juror}, late=3,
         note="by the juror's code: another juror gets 404"),
    case("judging.delete_conflict", "juror", {"conflict_id": W.conflict_juror}, post=only(J), late=1),

    # judging: the secretariat --------------------------------------------------------------------------
    case("judging.dashboard", "", get=SEC),
    case("judging.jury", "", get=SEC),
    case("judging.juror_edit", "", {"user_id": W.juror_id}, get=SEC),
    case("judging.rubrics", "", get=SEC),
    case("judging.rubric_edit", "", {"category_id": W.category_a1}, get=SEC),
    case("judging.round_new", "", get=SEC),
    case("judging.round_detail", "", {"round_id": W.round1}, get=SEC),
    case("judging.round_edit", "", {"round_id": W.round1}, get=SEC),
    case("judging.round_preview", "", {"round_id": W.round1}, get=SEC),
    case("judging.round_entry", "", {"round_id": W.round1, "entry_id": A1}, get=SEC),
    case("judging.round_status", "open", {"round_id": W.round1, "action": "open"}, post=SEC,
         note="already open: nothing changes"),
    case("judging.round_status", "close", {"round_id": W.round1, "action": "close"}, post=SEC, late=8,
         note="closes the round: after every other request"),
    case("judging.round_status", "reopen", {"round_id": W.round1, "action": "reopen"}, post=SEC,
         note="not closed: nothing changes"),
    case("judging.round_confirm", "close", {"round_id": W.round1, "action": "close"}, get=SEC),
    case("judging.round_confirm", "reopen", {"round_id": W.round1, "action": "reopen"}, get=SEC,
         note="not closed: back to the round"),
    case("judging.round_assign", "", {"round_id": W.round1}, post=SEC, late=1),
    case("judging.round_reassign", "", {"round_id": W.round1}, post=SEC, late=1),
    case("judging.send_reminders", "", {"round_id": W.round1}, post=SEC),
    case("judging.assignment_remove", "", {"assignment_id": W.assignment_other}, get=SEC, late=1,
         note="the other juror's assignment (no scores yet)"),
    case("judging.results", "index", get=only(S, ok=REDIRECT), note="/judging/results/ goes to the first round"),
    case("judging.results", "round", {"round_id": W.round1}, get=SEC),
    case("judging.result_entry", "", {"round_id": W.round1, "entry_id": A1}, get=SEC),
    case("judging.calibration", "", {"round_id": W.round1}, get=SEC),
    case("judging.set_method", "", {"round_id": W.round1}, post=SEC),
    case("judging.recompute_results", "", {"round_id": W.round1}, post=SEC),
    case("judging.shortlist", "", {"round_id": W.round1}, get=SEC),
    case("judging.awards", "", {"round_id": W.round1}, get=SEC),
    case("judging.decide_tie", "", {"round_id": W.round1, "rank": 1}, get=only(S, ok=404), post=only(S, ok=404),
         note="no open tie at place 1 in the world: 404 for everyone"),
    case("judging.final_round_plan", "", {"round_id": W.round1}, get=SEC, post=SEC,
         note="POST without a workload: the form is refused"),
    case("judging.final_round_second_wave", "", {"round_id": W.round1}, post=SEC,
         note="no final round in the world: back to the final-round page"),
    case("judging.remove_award", "", {"round_id": W.round1, "award_id": W.award_a1}, post=SEC, late=2),
    case("judging.exports", "", get=SEC),
    case("judging.export_results", "csv", {"fmt": "csv"}, get=SEC),
    case("judging.export_card", "", {"reference": W.ref_a1, "size": "square"}, get=SEC),
    case("judging.start_export", "", post=SEC, note="no kind chosen: back to the exports page"),
    case("judging.export_job", "", {"job_id": W.export_job}, get=SEC),
    case("judging.export_preview", "", {"job_id": W.export_job, "number": 1}, get=SEC),
    case("judging.download_export", "", {"job_id": W.export_job}, get=SEC),
    case("judging.publish_results", "", post=SEC),
    case("judging.publish_confirm", "", {"action": "unpublish"}, get=SEC),

    # results: public once published ---------------------------------------------------------------------
    case("results.gallery", "", get=anyone(200), hidden={role: ["ref_b1", "ref_a2"] for role in ROLES}),
    case("results.feed", "", get=anyone(200), hidden={role: ["ref_b1", "ref_a2"] for role in ROLES}),
    case("results.entry", "A1", {"reference": W.ref_a1}, get=anyone(200)),
    case("results.entry", "A2-no-consent", {"reference": W.ref_a2}, get=anyone(404),
         note="selected, but no consent to publication"),
    case("results.entry", "B1-not-selected", {"reference": W.ref_b1}, get=anyone(404)),
    case("results.image", "A1", {"reference": W.ref_a1}, get=anyone(200)),
    case("results.image", "A2-no-consent", {"reference": W.ref_a2}, get=anyone(404)),
    case("results.card", "A1", {"reference": W.ref_a1, "size": "square"}, get=anyone(200)),
    case("results.card", "A2-no-consent", {"reference": W.ref_a2, "size": "square"}, get=anyone(404)),
    case("results.card", "B1-not-selected", {"reference": W.ref_b1, "size": "square"}, get=anyone(404)),
]


# Joining the table with the URL map -------------------------------------------------------------------

METHODS = ("GET", "POST")


@dataclass(frozen=True)
class Planned:
    rule: Any  # werkzeug Rule
    method: str
    case: Case

    @property
    def label(self) -> str:
        return f"{self.method} {self.rule.rule} {self.case.name}"


def routes(app) -> list:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def rule_label(rule) -> str:
    methods = ",".join(m for m in METHODS if m in rule.methods)
    return f"{rule.endpoint} ({methods} {rule.rule})"


def _cases_of(rule) -> list[Case]:
    return [c for c in CASES if c.endpoint == rule.endpoint and set(c.args) == set(rule.arguments)]


def plan(app) -> tuple[list[Planned], list[str]]:
    """Every (rule, method, variant) to request, and the problems with the table (undeclared, stale, incomplete)."""
    planned, problems = [], []
    used: set[int] = set()
    for rule in routes(app):
        declared = _cases_of(rule)
        if not declared:
            problems.append(f"route {rule_label(rule)} is not declared in the access matrix")
            continue
        for c in declared:
            used.add(id(c))
            for method in METHODS:
                takes = method in rule.methods
                expected = c.expected(method)
                if takes and expected is None:
                    problems.append(f"{c.name}: {method} {rule.rule} has no expected answers in the access matrix")
                elif not takes and expected is not None and not (method == "POST" and c.post is None):
                    problems.append(f"{c.name}: the table declares {method}, but {rule.rule} does not accept it")
                elif takes:
                    planned.append(Planned(rule, method, c))
    endpoints = {rule.endpoint for rule in routes(app)}
    for c in CASES:
        if id(c) in used:
            continue
        if c.endpoint not in endpoints:
            problems.append(f"{c.name} is declared in the access matrix, but no such endpoint exists any more")
        else:
            problems.append(f"{c.name} is declared with arguments {sorted(c.args)}, which no rule of "
                            f"{c.endpoint} takes")
    names = [c.name for c in CASES]
    problems += [f"{name} is declared twice" for name in sorted({n for n in names if names.count(n) > 1})]
    return planned, problems


# Ids beyond what a database column holds ---------------------------------------------------------------

# 2**31 is one more than PostgreSQL's integer holds, 2**63 one more than SQLite's; -1 is not an id at all. Every
# integer argument of every rule and method is requested with them (its other arguments from its first variant):
# the answer is 404 before any view or query runs (core/converters.py). The secretariat, who may open every id
# route, gets each of the four; every other role one per argument, in turn, so that each value meets each argument.
HUGE_IDS = (2**31, 2**63, 10**30, -1)
FULL_SWEEP = (S,)
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^>]*\))?:)?(\w+)>")


@dataclass(frozen=True)
class HugeId:
    rule: Any
    method: str
    case: Case
    argument: str
    value: int

    @property
    def name(self) -> str:
        return f"{self.case.name}[{self.argument}={self.value}]"


def integer_arguments(rule) -> list[str]:
    """The rule's arguments that hold ids or numbers: ``<int:...>``, and any ``..._id`` whatever its converter."""
    return [name for converter, name in _ARGUMENT.findall(rule.rule) if converter == "int" or name.endswith("_id")]


def huge_id_plan(planned: list[Planned], role: str) -> list[HugeId]:
    first: dict[tuple[int, str], Planned] = {}
    for item in planned:
        first.setdefault((id(item.rule), item.method), item)
    arguments = [(item, argument) for item in first.values() for argument in integer_arguments(item.rule)]
    offset = ROLES.index(role)
    return [HugeId(item.rule, item.method, item.case, argument, value)
            for n, (item, argument) in enumerate(arguments)
            for value in (HUGE_IDS if role in FULL_SWEEP else [HUGE_IDS[(n + offset) % len(HUGE_IDS)]])]


def ordered(planned: list[Planned]) -> list[Planned]:
    """GETs first (they read the world as built), then the POSTs, those that change the world last."""
    return sorted(planned, key=lambda p: (p.method == "POST", p.case.late if p.method == "POST" else 0))


def matrix_size(app) -> dict:
    """``routes`` URL rules × ``roles`` roles; ``requests`` per role (rule × method × variant, then the huge ids);
    ``cases`` in all."""
    planned, _problems = plan(app)
    huge = sum(len(huge_id_plan(planned, role)) for role in ROLES)
    return {"routes": len(routes(app)), "endpoints": len({r.endpoint for r in routes(app)}), "roles": len(ROLES),
            "requests_per_role": len(planned), "huge_id_requests": huge, "cases": len(planned) * len(ROLES) + huge}


def matrix_size_text(app) -> str:
    size = matrix_size(app)
    return (f"{size['routes']} routes × {size['roles']} roles = {size['routes'] * size['roles']} route-role pairs; "
            f"{size['requests_per_role']} requests per role (methods × variants) × {size['roles']} roles + "
            f"{size['huge_id_requests']} with huge ids = {size['cases']} cases")
