"""Coordinate conversions against published point pairs, to within a few metres."""

from __future__ import annotations

import pytest

from generator.plan import geo

# (WGS-84 lat, lng, GCJ-02 lat, lng): the test points of googollee/eviltransform.
WGS_GCJ = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
    (39.915, 116.404, 39.91640428150164, 116.41024449916938),  # Tiananmen, wandergis/coordtransform
]
# wandergis/coordtransform's README example at Tiananmen: one point read as GCJ-02 and as BD-09.
GCJ_TO_BD = [((39.915, 116.404), (39.92133699351021, 116.41036949371029))]
BD_TO_GCJ = [((39.915, 116.404), (39.90865673957631, 116.39762729119315))]

METRES = 3.0


def off_by_m(a, b) -> float:
    return geo.distance_km(a, b) * 1000


@pytest.mark.parametrize("w_lat, w_lng, g_lat, g_lng", WGS_GCJ)
def test_wgs84_to_gcj02_matches_published_pairs(w_lat, w_lng, g_lat, g_lng):
    assert off_by_m(geo.wgs84_to_gcj02(w_lat, w_lng), (g_lat, g_lng)) < METRES


@pytest.mark.parametrize("w_lat, w_lng, g_lat, g_lng", WGS_GCJ)
def test_gcj02_to_wgs84_inverts_the_published_pairs(w_lat, w_lng, g_lat, g_lng):
    assert off_by_m(geo.gcj02_to_wgs84(g_lat, g_lng), (w_lat, w_lng)) < METRES


def test_bd09_to_wgs84_goes_through_gcj02():
    bd = (39.92133699351021, 116.41036949371029)  # GCJ-02 (39.915, 116.404) in BD-09
    assert off_by_m(geo.to_wgs84(*bd, "bd09"), geo.gcj02_to_wgs84(39.915, 116.404)) < 0.5


@pytest.mark.parametrize("gcj, bd", GCJ_TO_BD)
def test_gcj02_to_bd09(gcj, bd):
    assert off_by_m(geo.gcj02_to_bd09(*gcj), bd) < 0.5


@pytest.mark.parametrize("bd, gcj", BD_TO_GCJ)
def test_bd09_to_gcj02(bd, gcj):
    assert off_by_m(geo.bd09_to_gcj02(*bd), gcj) < 0.5


BAOJI_LIBRARY_GCJ = (34.3520, 107.1985)


def test_round_trips_in_baoji():
    wgs = geo.to_wgs84(*BAOJI_LIBRARY_GCJ, "gcj02")
    assert off_by_m(geo.to_gcj02(*wgs, "wgs84"), BAOJI_LIBRARY_GCJ) < 0.01  # iterated inverse: exact
    bd = geo.to_bd09(*BAOJI_LIBRARY_GCJ, "gcj02")
    assert off_by_m(geo.to_gcj02(*bd, "bd09"), BAOJI_LIBRARY_GCJ) < 0.5  # Baidu's own inverse is approximate


def test_the_offset_in_baoji_is_hundreds_of_metres():
    """Why conversion matters: GCJ-02 read as GPS puts a Baoji venue several hundred metres off."""
    wgs = geo.to_wgs84(*BAOJI_LIBRARY_GCJ, "gcj02")
    assert 300 < off_by_m(wgs, BAOJI_LIBRARY_GCJ) < 800
    bd = geo.to_bd09(*BAOJI_LIBRARY_GCJ, "gcj02")
    assert 700 < off_by_m(bd, BAOJI_LIBRARY_GCJ) < 1500


def test_points_outside_china_are_not_shifted():
    assert geo.wgs84_to_gcj02(51.4779, -0.0015) == (51.4779, -0.0015)
    assert geo.gcj02_to_wgs84(51.4779, -0.0015) == (51.4779, -0.0015)


def test_distance_between_known_cities():
    # Baoji railway station to Xi'an Bell Tower: about 160 km in a straight line.
    assert 150 < geo.distance_km((34.361, 107.166), (34.261, 108.942)) < 170


def test_unknown_crs_is_refused():
    with pytest.raises(ValueError):
        geo.to_wgs84(34.35, 107.2, "epsg3857")
