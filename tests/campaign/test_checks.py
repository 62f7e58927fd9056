"""The pure checks: a story's length, the quote's format, a statement's language, the crop, the plan."""
from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from campaign.checks import MAX_PAGES, length, quote_suggestions, statement_language_ok
from campaign.crop import crop_box
from campaign.schedule import Planned, per_day, plan
from tests.campaign.submissions import QUOTE, STATEMENT


def test_one_page_is_about_500_words_and_three_pages_are_too_long():
    assert length("word " * 500).pages == 1.0
    assert not length("word " * 640).too_long
    three = length("word " * 1500)
    assert three.pages == 3.0 and three.too_long


def test_a_text_without_spaces_is_measured_by_characters():
    assert length("我" * 6000).pages == 2.0
    assert length("我" * 6000).too_long


@given(st.integers(min_value=0, max_value=5000))
def test_the_limit_is_about_one_and_a_third_pages(words):
    assert length("mot " * words).too_long == (words / 500 > MAX_PAGES)


def test_a_quote_in_the_format_gets_no_suggestion():
    assert quote_suggestions(QUOTE, "en") == []
    assert quote_suggestions("I am an entrepreneur. I like football. I am a migrant", "en") == []
    assert quote_suggestions("Je suis cuisinière. J’aime la mer. Je suis migrante.", "fr") == []


def test_a_quote_without_i_am_a_migrant_gets_a_suggestion():
    assert quote_suggestions("I am a cook. I like the sea.", "en") == ["ending"]
    assert quote_suggestions("Football is my life. I am a migrant.", "en") == ["things"]
    assert quote_suggestions("أنا طباخة", "ar") == []  # the format is only checked in English and French


def test_a_statement_in_another_language_is_recognised():
    assert statement_language_ok(STATEMENT)
    assert statement_language_ok("Notre ville est riche de la diversité de ses habitants, et nous sommes fiers "
                                 "de la contribution de chacun à la vie de la ville.")
    assert not statement_language_ok("Unsere Stadt ist stolz auf die Vielfalt, und wir sind nicht allein: die "
                                     "Menschen, die zu uns kommen, machen die Stadt reicher und das ist gut.")
    assert not statement_language_ok("Наше місто пишається різноманіттям своїх мешканців.")


@given(st.integers(1, 6000), st.integers(1, 6000), st.integers(1, 2000), st.integers(1, 2000),
       st.floats(0, 1), st.floats(0, 1), st.floats(1, 4))
def test_the_crop_has_the_area_s_shape_and_stays_in_the_photo(w, h, aw, ah, x, y, zoom):
    left, top, right, bottom = crop_box(w, h, aw, ah, x, y, zoom)
    assert 0 <= left < right <= 1 and 0 <= top < bottom <= 1
    shape = ((right - left) * w) / ((bottom - top) * h)
    assert abs(shape - aw / ah) <= 0.01 * (aw / ah) + 1 / min(h, w)


def test_the_default_crop_of_a_tall_photo_keeps_the_upper_part_where_the_face_is():
    left, top, right, bottom = crop_box(1000, 3000, 800, 1000)
    assert (left, right) == (0.0, 1.0)
    assert top < 0.5 - (bottom - top) / 2  # higher than a centred crop


@given(st.integers(0, 200), st.integers(1, 30))
def test_every_post_gets_a_day_and_the_last_days_get_the_extra_ones(total, days):
    counts = per_day(total, days)
    assert sum(counts) == total and len(counts) == days
    assert counts == sorted(counts) and max(counts) - min(counts) <= 1


def test_the_plan_starts_with_the_launch_and_places_statements_and_results_on_their_dates():
    items = [Planned(f"Q{n}", "quote", "Quote") for n in range(5)] + [Planned("S1", "story", "Story"),
                                                                       Planned("M1", "statement", "Statement")]
    posts = plan(items, date(2026, 12, 1), date(2026, 12, 17), date(2026, 12, 6), date(2026, 12, 18))
    assert posts[0].kind == "launch" and posts[0].when.date() == date(2026, 12, 1)
    assert [p.when.date() for p in posts if p.kind == "statement"] == [date(2026, 12, 17)]
    assert min(p.when.date() for p in posts if p.kind == "results") == date(2026, 12, 6)
    assert posts[-1].kind == "page" or max(p.when for p in posts if p.kind == "page").date() == date(2026, 12, 18)
    shared = [p for p in posts if p.kind in ("quote", "story")]
    assert len(shared) == 6 and all(date(2026, 12, 1) <= p.when.date() < date(2026, 12, 18) for p in shared)
    assert len({p.when for p in posts}) == len(posts)  # no two posts at the same minute
