"""Record lookups (assistant/records.py) on hand-made motions and measures."""

from assistant.model import Measure, Motion
from assistant.records import MOTION_NUMBER, MOTION_ROW, find_measures, find_motions, motion_listing

MOTIONS = [
    Motion("2106-18", "Jeugdzorg - Bewezen effectief", "afgedaan op 15-12-2021", True, "2021-12-15", "d", 3, "4", "d#1"),
    Motion("2111-30A", "Burgervoogd", "loopt nog", False, "", "d", 3, "4", "d#2"),
    Motion("2203-07", "Wachttijden jeugdzorg verkorten", "in behandeling", False, "", "d", 4, "4", "d#3"),
]
MEASURES = [
    Measure("2.1.1", "Kansrijke Start", "plan", "Actieplan", "2019-04", "plan#1"),
    Measure("2.2.3", "Praktijkondersteuner jeugd bij de huisarts", "plan", "Actieplan", "2019-04", "plan#2"),
]


def test_patterns():
    assert MOTION_NUMBER.findall("motie 2106-18 en 2111-30A, niet 21-06") == ["2106-18", "2111-30A"]
    assert MOTION_ROW.search("Jeugdzorg - Bewezen effectief (2106-18)").group(1) == "2106-18"
    assert MOTION_ROW.search("zie motie (2106-18) hierboven") is None  # only at the end of a row


def test_find_motions_by_number_and_name():
    assert [m.number for m in find_motions(MOTIONS, "Wat is de status van motie 2111-30a?")] == ["2111-30A"]
    assert find_motions(MOTIONS, "motie 9999-99") == []  # a number that is not there: no guess by name
    assert [m.number for m in find_motions(MOTIONS, "Is de motie Burgervoogd al afgedaan?")] == ["2111-30A"]
    assert [m.number for m in find_motions(MOTIONS, "Hoe staat het met de motie over wachttijden?")] == ["2203-07"]
    assert find_motions(MOTIONS, "Wat is Kansrijke Start?") == []


def test_find_measures_by_title():
    assert [m.section for m in find_measures(MEASURES, "Wat is Kansrijke Start?")] == ["2.1.1"]
    assert [m.section for m in find_measures(MEASURES, "Is er een praktijkondersteuner bij de huisarts?")] == ["2.2.3"]
    assert find_measures(MEASURES, "Hoeveel pleeggezinnen zijn er?") == []


def test_motion_listing_by_status():
    assert [m.number for m in motion_listing(MOTIONS, "Welke moties zijn nog niet afgedaan?")] == ["2111-30A", "2203-07"]
    assert [m.number for m in motion_listing(MOTIONS, "Welke moties zijn afgedaan?")] == ["2106-18"]
    assert motion_listing(MOTIONS, "Is motie 2106-18 afgedaan?") == []  # names a motion: not a listing
