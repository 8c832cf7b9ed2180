"""Stories grouped by kind, unit, activity and year, and the unit hierarchy with totals."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from generator.content.config import SiteConfig
from generator.content.model import KIND_BY_KEY, Activity, Site, Story, Unit
from generator.render.indexes import build_indexes, swap

UNITS = (
    Unit("gongwei", "县直机关工委"),
    Unit("caizhengju", "县财政局", "gongwei"),
    Unit("guoku", "国库股", "caizhengju"),
    Unit("renshe", "县人社局", "gongwei"),
    Unit("xianwei", "中共贞丰县委"),
)
ACTIVITIES = (Activity("chuangxian", "创先争优"), Activity("sibang", "四帮四促"), Activity("kanghan", "抗旱救灾"))


def story(slug: str, kind: str, date: str, unit: str, *activities: str) -> Story:
    folder = KIND_BY_KEY[kind].folder
    return Story(KIND_BY_KEY[kind], slug, slug, dt.date.fromisoformat(date), unit, activities,
                 f"{folder}/{slug}.md", "", 6)


# Newest first, as validate_site sorts them.
STORIES = (
    story("d", "case", "2012-05-26", "renshe", "sibang"),
    story("c", "post", "2011-04-20", "guoku", "chuangxian", "sibang"),
    story("b", "branch", "2011-01-02", "caizhengju", "chuangxian"),
    story("a", "post", "2010-05-12", "caizhengju"),
)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(SiteConfig(site_dir=tmp_path), UNITS, ACTIVITIES, STORIES, (), frozenset())


def slugs(stories) -> list[str]:
    return [s.slug for s in stories]


def test_by_kind_groups_every_kind_newest_first(site: Site):
    by_kind = build_indexes(site).by_kind
    assert {key: slugs(group) for key, group in by_kind.items()} == {"branch": ["b"], "post": ["c", "a"], "case": ["d"]}


def test_by_unit_has_every_unit_even_without_stories(site: Site):
    by_unit = build_indexes(site).by_unit
    assert {key: slugs(group) for key, group in by_unit.items()} == {
        "gongwei": [], "caizhengju": ["b", "a"], "guoku": ["c"], "renshe": ["d"], "xianwei": []}


def test_by_activity_lists_a_story_under_each_of_its_activities(site: Site):
    by_activity = build_indexes(site).by_activity
    assert {key: slugs(group) for key, group in by_activity.items()} == {
        "chuangxian": ["c", "b"], "sibang": ["d", "c"], "kanghan": []}


def test_by_year_is_newest_year_first(site: Site):
    by_year = build_indexes(site).by_year
    assert [(year, slugs(group)) for year, group in by_year] == [(2012, ["d"]), (2011, ["c", "b"]), (2010, ["a"])]


def test_unit_tree_starts_at_top_units_in_file_order(site: Site):
    tree = build_indexes(site).unit_tree
    assert [node.unit.id for node in tree] == ["gongwei", "xianwei"]
    assert [child.unit.id for child in tree[0].children] == ["caizhengju", "renshe"]
    assert [child.unit.id for child in tree[0].children[0].children] == ["guoku"]


def test_unit_tree_totals_include_every_unit_below(site: Site):
    indexes = build_indexes(site)
    counts = {u.id: (indexes.unit_node(u.id).own, indexes.unit_node(u.id).total) for u in UNITS}
    assert counts == {"gongwei": (0, 4), "caizhengju": (2, 3), "guoku": (1, 1), "renshe": (1, 1), "xianwei": (0, 0)}


def test_unit_node_of_an_unknown_unit_raises_key_error(site: Site):
    with pytest.raises(KeyError):
        build_indexes(site).unit_node("nope")


def test_unit_path_runs_from_the_top_down(site: Site):
    path = build_indexes(site).unit_path("guoku", UNITS)
    assert [u.name for u in path] == ["县直机关工委", "县财政局", "国库股"]
    assert [u.id for u in build_indexes(site).unit_path("xianwei", UNITS)] == ["xianwei"]


def test_site_without_stories_has_empty_groups(tmp_path: Path):
    indexes = build_indexes(Site(SiteConfig(site_dir=tmp_path), UNITS, ACTIVITIES, (), (), frozenset()))
    assert indexes.by_kind == {"branch": (), "post": (), "case": ()}
    assert indexes.by_year == ()
    assert indexes.unit_node("gongwei").total == 0


def test_swap_puts_a_new_version_of_a_story_in_every_place_of_the_old(site: Site) -> None:
    indexes = build_indexes(site)
    old = STORIES[1]
    new = dataclasses.replace(old, title="新标题")
    swapped = swap(indexes, old, new)
    rebuilt = build_indexes(dataclasses.replace(site, stories=(STORIES[0], new, *STORIES[2:])))
    groups = [*swapped.by_kind.values(), *swapped.by_unit.values(), *swapped.by_activity.values(),
              *(group for _, group in swapped.by_year)]
    assert not any(story is old for group in groups for story in group)
    assert sum(story is new for group in groups for story in group) == 5  # kind, unit, 2 activities, year
    assert swapped == rebuilt


def test_swap_refuses_a_story_that_moved(site: Site) -> None:
    indexes = build_indexes(site)
    with pytest.raises(ValueError, match="moved"):
        swap(indexes, STORIES[1], dataclasses.replace(STORIES[1], unit="renshe"))
