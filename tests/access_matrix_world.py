"""The fixture world of the access matrix: two teachers' classes in two cities, entries with files,
a round with two jurors' assignments, awards, an export job, materials and an invitation.

Every id, code and reference the matrix needs is read into ``World`` before any request.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.access_matrix_cases import Case

ROLES = ("anonymous", "teacher", "other_teacher", "juror", "other_juror", "coordinator", "secretariat")
A, T, OT, J, OJ, C, S = ROLES  # short names for the table
BOGUS_TOKEN = "not-a-real-token-0123456789"

# The fixture world ------------------------------------------------------------------------------------

@dataclass
class World:
    """Ids, codes and references of one world, read before any request (so never stale)."""

    users: dict[str, Any] = field(default_factory=dict)  # role -> alternative id (for sign_in), None for anonymous
    user_ids: dict[str, int] = field(default_factory=dict)
    edition: int = 0
    old_edition: int = 0
    city_a: int = 0
    city_b: int = 0
    school_a: int = 0
    school_b: int = 0
    class_a: int = 0
    class_b: int = 0
    class_a_name: str = ""
    class_b_name: str = ""
    entry_a1: int = 0  # teacher's illustration: uploaded image + consent form, judged, awarded, published
    entry_a2: int = 0  # teacher's poem: typed text, awarded but no publication consent
    entry_b1: int = 0  # other teacher's poem (another city), not awarded
    ref_a1: str = ""
    ref_a2: str = ""
    ref_b1: str = ""
    title_a1: str = ""
    title_b1: str = ""
    teacher_name: str = ""  # who made A1: never on a juror's page
    school_a_name: str = ""
    pupil_a_name: str = ""
    file_a1_work: int = 0
    file_a1_consent: int = 0
    file_b1_work: int = 0
    category_a1: int = 0
    round1: int = 0
    assignment_juror: int = 0
    assignment_other: int = 0
    code_juror: str = ""  # the juror's assignment (entry A1, scores submitted)
    code_other: str = ""  # the other juror's assignment (entry B1, not scored)
    conflict_juror: int = 0
    award_a1: int = 0
    export_job: int = 0
    material: int = 0
    old_material: int = 0
    coordinator_id: int = 0
    juror_id: int = 0
    invitation_token: str = ""
    campaign_a: int = 0  # Lisbon's quote card: approved, every consent, a photo
    campaign_b: int = 0  # Strasbourg's statement: submitted, not the coordinator's city


class Ref:
    """A value read from the world when the URL is built: ``W.class_a``."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, world: World):
        return getattr(world, self.name)

    def __repr__(self):
        return f"W.{self.name}"


class _W:
    def __getattr__(self, name: str) -> Ref:
        if name not in World.__dataclass_fields__:
            raise AttributeError(f"World has no field {name!r}")
        return Ref(name)


W = _W()


def resolve(values: dict | None, world: World) -> dict:
    return {k: (v(world) if isinstance(v, Ref) else v) for k, v in (values or {}).items()}


def url_of(rule, c: "Case", world: World, **override) -> str:
    """The concrete URL of ``rule`` for case ``c`` in ``world`` (built by the rule itself, not by endpoint);
    ``override`` replaces arguments (the access matrix's huge ids)."""
    from urllib.parse import urlencode

    path = rule.build({**resolve(c.args, world), **override}, append_unknown=False)[1]
    return path + ("?" + urlencode(resolve(c.query, world)) if c.query else "")


def tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def tiny_pdf(title: str) -> bytes:
    from demo.files import text_pdf

    return text_pdf(title, ["A short page of instructions for teachers."])


def build_world(make_user) -> World:
    """One edition being judged: two classes in two cities, a juror and another juror, results published."""
    from pathlib import Path

    from flask import current_app
    from sqlalchemy import select

    from accounts import tokens
    from accounts.models import Role, TokenPurpose
    from competition.editions import operations as edition_operations
    from competition.entries import operations as entry_ops
    from competition.models import (
        AgeGroup,
        Category,
        City,
        Discipline,
        Edition,
        Entry,
        EntryAuthor,
        EntryFile,
        FilePurpose,
        Material,
        Pupil,
        School,
        SchoolClass,
    )
    from core.db import db, utcnow
    from core.files import get_storage
    from demo.files import drawing
    from judging.models import (
        Assignment,
        Award,
        Conflict,
        Criterion,
        ExportJob,
        JurorProfile,
        Round,
        Rubric,
        ScoreSet,
        ScoreValue,
    )
    from judging.rubrics.defaults import ensure_rubrics

    w = World()
    now = utcnow()

    secretariat = make_user("secretariat@example.org", roles=(Role.SECRETARIAT,), name="Sofia Secretariat")
    teacher = make_user("teacher@example.org", roles=(Role.TEACHER,), name="Tina Marquez")
    other_teacher = make_user("teacher2@example.org", roles=(Role.TEACHER,), name="Tereza Novak")
    juror = make_user("juror@example.org", roles=(Role.JUROR,), name="Jonas Juror")
    other_juror = make_user("juror2@example.org", roles=(Role.JUROR,), name="Julia Juror")
    coordinator = make_user("coordinator@example.org", roles=(Role.COORDINATOR,), name="Carla Coordinator")

    # Editions: the current one (deadline passed, being judged) and an old one with its own material.
    def categories():
        return [Category(age_group=g.value, discipline=d.value) for g in AgeGroup for d in Discipline]

    edition = Edition(name="More than migrants", theme="Identity", deadline_at=now - timedelta(days=3),
                      deadline_timezone="Europe/Paris", results_on=date(2026, 12, 6), languages=["en", "fr", "pt"],
                      is_current=True, categories=categories(), campaign_page_on=(now - timedelta(days=1)).date())
    old = Edition(name="Last year", theme="Cities", deadline_at=now - timedelta(days=400),
                  deadline_timezone="Europe/Paris", results_on=date(2025, 12, 6), languages=["en", "fr"],
                  is_current=False, categories=categories())
    lisbon, strasbourg = City(name="Lisbon", country_code="PT"), City(name="Strasbourg", country_code="FR")
    school_a = School(name="Escola Básica Camões", city=lisbon)
    school_b = School(name="Collège Jean Monnet", city=strasbourg)
    db.session.add_all([edition, old, school_a, school_b])
    db.session.flush()
    from competition.models import CityCoordinator

    db.session.add(CityCoordinator(user_id=coordinator.id, city_id=lisbon.id))

    def category(discipline, group="11-18"):
        return next(c for c in edition.categories if c.discipline == discipline and c.age_group == group)

    # Class A: the teacher's, in Lisbon, given more time (so its edit pages are open to its teacher).
    class_a = SchoolClass(edition=edition, school=school_a, teacher=teacher, name="Class Alpha-6B",
                          age_group="11-18", pupil_count=25, language="en",
                          deadline_extended_to=now + timedelta(days=10))
    class_a.pupils = [Pupil(first_name="Amira", initial="K", age=12), Pupil(first_name="Tiago", initial="S", age=13)]
    # Class B: the other teacher's, in Strasbourg, past its deadline.
    class_b = SchoolClass(edition=edition, school=school_b, teacher=other_teacher, name="Class Bravo-5C",
                          age_group="11-18", pupil_count=20, language="fr")
    class_b.pupils = [Pupil(first_name="Lina", initial="B", age=14)]
    db.session.add_all([class_a, class_b])
    db.session.flush()

    def entry(school_class, discipline, title, text=""):
        e = Entry(school_class=school_class, category=category(discipline), title=title,
                  language=school_class.language, text=text, status="draft", consent_judging=True,
                  whole_class=False)
        e.authors = [EntryAuthor(pupil=school_class.pupils[0])]
        db.session.add(e)
        return e

    a1 = entry(class_a, "illustration", "Alpha drawing of many selves")
    a2 = entry(class_a, "poem", "Alpha poem about home", "I am many things.\nAnd one more.")
    b1 = entry(class_b, "poem", "Bravo poem on bridges", "Je suis un pont.\nEntre deux rives.")
    db.session.flush()
    # The real upload pipeline (class A is open): the work, cleaned into web and thumbnail copies, and a consent form.
    work = entry_ops.store_upload(a1, FilePurpose.WORK, drawing(3, size=(640, 480)), "drawing.jpg")
    consent = entry_ops.store_upload(a1, FilePurpose.CONSENT_FORM, drawing(4, size=(400, 300), fmt="PNG"),
                                     "consent.png")
    # Class B is closed: its file is stored directly.
    storage = get_storage()
    text_key = storage.put(b"Je suis un pont.\nEntre deux rives.\n")
    b1_file = EntryFile(entry=b1, purpose=FilePurpose.WORK.value, kind="txt", original_name="poem.txt",
                        original_key=text_key, original_size=33, cleaned_key=text_key, cleaned_mime="text/plain",
                        cleaned_ext=".txt", cleaned_size=33, text="Je suis un pont.")
    db.session.add(b1_file)
    for e in (a1, a2, b1):
        e.status = "submitted"
        e.submitted_at = now - timedelta(days=4)
        e.consent_publication = e.consent_social = e.consent_name = True
    a2.consent_publication = a2.consent_social = False
    db.session.flush()

    # Jurors, a round, assignments, the juror's submitted scores, a conflict.
    db.session.add_all([JurorProfile(user_id=juror.id, languages=["en", "fr"], max_entries=40),
                        JurorProfile(user_id=other_juror.id, languages=["en", "fr"], max_entries=40)])
    ensure_rubrics(edition)
    round1 = Round(edition=edition, number=1, name="Round 1", jurors_per_entry=1, status="open")
    db.session.add(round1)
    db.session.flush()
    mine = Assignment(round=round1, entry=a1, juror=juror, position=0)
    mine_a2 = Assignment(round=round1, entry=a2, juror=juror, position=1)
    theirs = Assignment(round=round1, entry=b1, juror=other_juror, position=0)
    db.session.add_all([mine, mine_a2, theirs])
    db.session.flush()
    for assignment in (mine, mine_a2):
        rubric = db.session.scalar(select(Rubric).where(Rubric.category_id == assignment.entry.category_id,
                                                        Rubric.is_current.is_(True)))
        criteria = db.session.scalars(select(Criterion).where(Criterion.rubric_id == rubric.id)).all()
        score = ScoreSet(assignment=assignment, rubric_id=rubric.id, status="submitted", submitted_at=now,
                         overall_comment="Lovely.", total=Decimal("7"))
        score.values = [ScoreValue(criterion_id=c.id, value=Decimal("7"), comment="Fine.") for c in criteria]
        db.session.add(score)
    conflict = Conflict(juror_id=juror.id, kind="city", city_id=strasbourg.id)
    db.session.add(conflict)

    # Awards and published results: A1 with every consent, A2 selected but without publication consent.
    award = Award(edition_id=edition.id, category_id=a1.category_id, entry_id=a1.id, kind="first",
                  decided_by_id=secretariat.id)
    db.session.add_all([award, Award(edition_id=edition.id, category_id=a2.category_id, entry_id=a2.id,
                                     kind="publication", decided_by_id=secretariat.id)])
    edition.results_published_at = now

    # A finished export job, its archive and one preview page.
    job = ExportJob(edition_id=edition.id, kind="bundle", status="done", done=1, total=1,
                    created_by_id=secretariat.id, heartbeat_at=now, finished_at=now,
                    exposes=f'{{"named":[{a1.id}],"published":[{a1.id}],"posted":[{a1.id}]}}')
    db.session.add(job)
    db.session.flush()
    exports = Path(current_app.config["EXPORT_FOLDER"])
    (exports / f"job-{job.id}" / "previews").mkdir(parents=True, exist_ok=True)
    (exports / f"job-{job.id}" / "previews" / "page-1.png").write_bytes(tiny_png())
    with zipfile.ZipFile(exports / f"job-{job.id}.zip", "w") as archive:
        archive.writestr("README.txt", "results")
    job.file_name, job.file_size = f"job-{job.id}.zip", (exports / f"job-{job.id}.zip").stat().st_size

    # Materials: one of the current edition, one of the old edition (secretariat only).
    materials = edition_operations.material_storage()
    material = Material(edition=edition, title="How to take part", file_key=materials.put(tiny_pdf("Guide")),
                        file_name="guide.pdf", file_size=1000, position=0)
    old_material = Material(edition=old, title="Last year's guide", file_key=materials.put(tiny_pdf("Old guide")),
                            file_name="old-guide.pdf", file_size=1000, position=0)
    db.session.add_all([material, old_material])

    # The cities' campaign: Lisbon's approved quote card (with a photo) and Strasbourg's submitted statement.
    from campaign.models import Submission, SubmissionFile
    from core.files import get_storage

    campaign_a = Submission(edition=edition, city=lisbon, kind="quote", status="approved", person_name="Amina",
                            text="I am a cook. I am a migrant.", consent_image=True, consent_publication=True,
                            consent_social=True, consent_name=True, created_by_id=coordinator.id)
    photo_key = get_storage().put(tiny_png())
    campaign_a.files.append(SubmissionFile(purpose="photo", kind="image", original_name="amina.png",
                                           original_key=photo_key, original_size=100, cleaned_key=photo_key,
                                           cleaned_mime="image/jpeg", web_key=photo_key, width=1, height=1))
    campaign_b = Submission(edition=edition, city=strasbourg, kind="statement", status="submitted",
                            person_name="Mayor Bravo", person_title="Mayor", text="Our city is diverse.",
                            consent_publication=True)
    db.session.add_all([campaign_a, campaign_b])

    # An invitation for a new juror.
    invitation = tokens.issue(TokenPurpose.INVITATION, timedelta(days=7), email="invitee@example.org",
                              roles=["juror"], created_by=secretariat)
    db.session.commit()

    people = {T: teacher, OT: other_teacher, J: juror, OJ: other_juror, C: coordinator, S: secretariat}
    w.users = {A: None, **{role: user.alternative_id for role, user in people.items()}}
    w.user_ids = {role: user.id for role, user in people.items()}
    w.edition, w.old_edition = edition.id, old.id
    w.city_a, w.city_b, w.school_a, w.school_b = lisbon.id, strasbourg.id, school_a.id, school_b.id
    w.class_a, w.class_b, w.class_a_name, w.class_b_name = class_a.id, class_b.id, class_a.name, class_b.name
    w.entry_a1, w.entry_a2, w.entry_b1 = a1.id, a2.id, b1.id
    w.ref_a1, w.ref_a2, w.ref_b1 = a1.reference, a2.reference, b1.reference
    w.title_a1, w.title_b1 = a1.title, b1.title
    w.teacher_name, w.school_a_name, w.pupil_a_name = teacher.name, school_a.name, class_a.pupils[0].first_name
    w.file_a1_work, w.file_a1_consent, w.file_b1_work = work.id, consent.id, b1_file.id
    w.category_a1 = a1.category_id
    w.round1 = round1.id
    w.assignment_juror, w.assignment_other = mine.id, theirs.id
    w.code_juror, w.code_other = mine.code, theirs.code
    w.conflict_juror = conflict.id
    w.award_a1 = award.id
    w.export_job = job.id
    w.material, w.old_material = material.id, old_material.id
    w.coordinator_id, w.juror_id = coordinator.id, juror.id
    w.invitation_token = invitation
    w.campaign_a, w.campaign_b = campaign_a.id, campaign_b.id
    return w
