"""Wire stories kept by the loader (app.store.stories): copies of one agency story share a story, a rewrite, a
story of another agency or one published far apart do not; replacing, removing and reloading keep them right.
Every test loads short made-up wire stories with the real loader into a fresh database, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, func, insert, select

from app.extract.catalog import Catalog
from app.store.engine import make_engine, migrate
from app.store.loader import load_paths, remove_articles
from app.store.models import Article, Outlet, Story
from app.store.stories import STORY_DAYS, Copy, StoredCopy, assign_stories, near, story_lock_key, story_of

LEDE = ("Russian and American diplomats failed to agree on Monday on how to revive the truce, and aid convoys "
        "stayed at the border as the fighting resumed around Aleppo, officials said. The talks are to resume in "
        "Geneva next week, a spokesman said, and both sides blamed the other for the delay.")
ONE_STORY = {  # name: (host slug, published, text)
    "straits.txt": ("straits-times", "2016-09-20", f"Talks stall\n\nGENEVA (AFP) — {LEDE}\n"),
    # Another host the next day: its own headline, a word changed, the last clause trimmed.
    "national.txt": ("the-national", "2016-09-21",
                     "Diplomats fail to agree\n\nGENEVA (AFP) — "
                     + LEDE.replace("the fighting", "fighting").split(", and both")[0] + ".\n"),
}
REWRITE = ("gulf.txt", "gulf-news", "2016-09-20",
           "Truce talks end without a deal\n\nGENEVA (AFP) — A second day of talks between Moscow and Washington "
           "ended on Tuesday with no agreement on saving the ceasefire, while the convoys waited and shelling "
           "went on in the east of Aleppo.\n")
OTHER_AGENCY = ("arab.txt", "arab-news", "2016-09-20", f"Talks stall\n\nGENEVA (Reuters) - {LEDE}\n")
WEEKS_LATER = ("sabah.txt", "daily-sabah", "2016-10-12", f"Truce talks, weeks on\n\nGENEVA (AFP) — {LEDE}\n")


def write(folder: Path, articles: dict[str, tuple[str, str, str]]) -> Path:
    folder.mkdir(exist_ok=True)
    manifest = "".join(f'[file."{name}"]\noutlet = "{host}"\npublished = {day}\n\n'
                       for name, (host, day, _) in articles.items())
    (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    for name, (_, _, text) in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def load(engine: Engine, catalog: Catalog, folder: Path, articles: dict[str, tuple[str, str, str]]) -> None:
    summary = load_paths(engine, [write(folder, articles)], catalog=catalog, jobs=0)
    assert not summary.rejected, summary.rejected


def stories(engine: Engine) -> dict[str, int | None]:
    """Each article's story by its file name."""
    with engine.connect() as connection:
        return dict(connection.execute(select(Article.source, Article.story_id)).all())


def story_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count(Story.id)))


def test_two_hosts_of_one_story_share_it_and_its_agency(engine: Engine, catalog: Catalog, tmp_path: Path) -> None:
    load(engine, catalog, tmp_path / "a", ONE_STORY)
    found = stories(engine)
    assert found["straits.txt"] is not None and found["straits.txt"] == found["national.txt"]
    with engine.connect() as connection:
        agency = connection.scalar(select(Outlet.slug).join(Story, Story.agency_id == Outlet.id))
    assert (story_count(engine), agency) == (1, "afp")


def test_a_rewrite_another_agency_or_weeks_apart_is_another_story(engine: Engine, catalog: Catalog,
                                                                   tmp_path: Path) -> None:
    extra = {name: rest for name, *rest in (REWRITE, OTHER_AGENCY, WEEKS_LATER)}
    load(engine, catalog, tmp_path / "a", {**ONE_STORY, **extra})
    found = stories(engine)
    assert len({found[name] for name in ("straits.txt", "gulf.txt", "arab.txt", "sabah.txt")}) == 4
    assert story_count(engine) == 4


def test_an_article_without_wire_copy_has_no_story(engine: Engine, catalog: Catalog, tmp_path: Path) -> None:
    own = {"own.txt": ("gulf-news", "2016-09-20", f"Talks stall\n\n{LEDE}\n")}
    load(engine, catalog, tmp_path / "a", {**ONE_STORY, **own})
    assert stories(engine)["own.txt"] is None and story_count(engine) == 1


def test_a_reload_adds_no_story_and_copies_loaded_apart_still_meet(engine: Engine, catalog: Catalog,
                                                                   tmp_path: Path) -> None:
    load(engine, catalog, tmp_path / "a", {"straits.txt": ONE_STORY["straits.txt"]})
    load(engine, catalog, tmp_path / "a", {"straits.txt": ONE_STORY["straits.txt"]})
    assert story_count(engine) == 1
    load(engine, catalog, tmp_path / "b", {"national.txt": ONE_STORY["national.txt"]})  # a later load
    found = stories(engine)
    assert found["straits.txt"] == found["national.txt"] and story_count(engine) == 1


def test_replacing_and_removing_copies_keep_the_stories_right(engine: Engine, catalog: Catalog,
                                                              tmp_path: Path) -> None:
    load(engine, catalog, tmp_path / "a", ONE_STORY)
    first = stories(engine)["straits.txt"]
    # The Straits Times' file now holds another AFP story: it leaves the first, which The National still carries.
    rewritten = REWRITE[-1]
    load(engine, catalog, tmp_path / "a", {**ONE_STORY, "straits.txt": ("straits-times", "2016-09-20", rewritten)})
    found = stories(engine)
    assert found["national.txt"] == first and found["straits.txt"] not in (None, first)
    assert story_count(engine) == 2
    # Put back, it joins its story again; the story it had started alone goes with it.
    load(engine, catalog, tmp_path / "a", ONE_STORY)
    found = stories(engine)
    assert found["straits.txt"] == found["national.txt"] == first and story_count(engine) == 1
    assert remove_articles(engine, ["national.txt"]) == 1 and story_count(engine) == 1
    assert remove_articles(engine, ["straits.txt"]) == 1 and story_count(engine) == 0  # its last copy went


# -- the choice itself (pure) ----------------------------------------------------------------------


def test_a_copy_joins_the_story_it_shares_most_with_and_only_within_the_window() -> None:
    day = dt.date(2016, 9, 20)
    runs = frozenset(range(10))
    stored = [StoredCopy(1, Copy(7, day, frozenset(range(4, 14)))), StoredCopy(2, Copy(7, day, frozenset(range(9))))]
    assert story_of(Copy(7, day, runs), stored) == 2  # 9 of 9 shared beats 6 of 10
    assert story_of(Copy(8, day, runs), stored) is None  # another agency
    far = day + dt.timedelta(days=STORY_DAYS + 1)
    assert story_of(Copy(7, far, runs), stored) is None
    assert near(Copy(7, None, runs), Copy(7, None, runs)) and not near(Copy(7, None, runs), Copy(7, day, runs))


def test_on_postgresql_assigning_stories_holds_off_another_loader_of_the_same_agency_until_commit(
        postgres_url: str) -> None:
    # Two loaders at once must not both start one story: the second waits for the first one's copies.
    engine = make_engine(postgres_url)
    migrate(engine)
    try:
        with engine.begin() as connection:
            afp, reuters = connection.execute(insert(Outlet).returning(Outlet.id),
                                              [{"slug": "afp", "name": "AFP"}, {"slug": "reuters", "name": "Reuters"}]
                                              ).scalars().all()

        def free(agency: int) -> bool:
            with engine.begin() as other:
                return other.scalar(select(func.pg_try_advisory_xact_lock(story_lock_key(agency))))

        with engine.begin() as loader:
            assign_stories(loader, [Copy(afp, dt.date(2016, 9, 20), frozenset({1, 2, 3}))])
            assert not free(afp)  # another loader's AFP copies wait
            assert free(reuters)  # another agency's do not
        assert free(afp)  # committed: the lock is gone with the transaction
    finally:
        engine.dispose()
