"""Closest-match suggestions for misspelt names."""

from generator.core.suggest import closest, did_you_mean

UNITS = ["县财政局", "县工商局", "县委组织部", "县人力资源和社会保障局"]


def test_did_you_mean_suggests_the_closest_unit_name():
    assert did_you_mean("县财政厅", UNITS) == "是不是要写“县财政局”？"


def test_did_you_mean_suggests_the_plural_key():
    assert did_you_mean("activity", ["title", "date", "unit", "activities", "summary"]) == "是不是要写“activities”？"


def test_did_you_mean_is_empty_when_nothing_is_close():
    assert did_you_mean("xyz", ["title", "date"]) == ""


def test_did_you_mean_is_empty_without_candidates():
    assert did_you_mean("title", []) == ""


def test_closest_respects_the_cutoff():
    assert closest("titel", ["title"]) == "title"
    assert closest("titel", ["title"], cutoff=0.99) is None


def test_closest_accepts_any_iterable_such_as_dict_keys():
    assert closest("caizhengju", {"caizhengju-zhibu": 1, "fayuan": 2}) == "caizhengju-zhibu"
