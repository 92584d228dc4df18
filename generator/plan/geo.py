"""Coordinates in the three systems Chinese maps use, and distances between them.

- WGS-84: GPS and the browser's `navigator.geolocation`.
- GCJ-02: the state's obfuscated system, used by 高德 and 腾讯 (the catalogue's default).
- BD-09: 百度's system, a further shift of GCJ-02.

GCJ-02 is an offset added to WGS-84 (a few hundred metres around Baoji); its
inverse has no closed form, so `gcj02_to_wgs84` iterates the forward offset
until it agrees to well under a millimetre.  Functions take and return
`(lat, lng)` in decimal degrees.
"""

from __future__ import annotations

import math

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 algorithm uses it
_EE = 0.00669342162296594323  # its eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0
_EARTH_RADIUS_KM = 6371.0088

LatLng = tuple[float, float]


def out_of_china(lat: float, lng: float) -> bool:
    """GCJ-02 leaves points outside China's rough bounding box unchanged."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset(lat: float, lng: float) -> LatLng:
    """GCJ-02 minus WGS-84, in degrees, at a WGS-84 point."""
    x, y = lng - 105.0, lat - 35.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    common = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat += common + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    d_lng += common + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    d_lat = d_lat * 180.0 / ((_A * (1 - _EE)) / (magic * math.sqrt(magic)) * math.pi)
    d_lng = d_lng * 180.0 / (_A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return d_lat, d_lng


def wgs84_to_gcj02(lat: float, lng: float) -> LatLng:
    if out_of_china(lat, lng):
        return lat, lng
    d_lat, d_lng = _offset(lat, lng)
    return lat + d_lat, lng + d_lng


def gcj02_to_wgs84(lat: float, lng: float) -> LatLng:
    """The WGS-84 point whose GCJ-02 image is (lat, lng), by fixed-point iteration."""
    if out_of_china(lat, lng):
        return lat, lng
    w_lat, w_lng = lat, lng
    for _ in range(30):
        g_lat, g_lng = wgs84_to_gcj02(w_lat, w_lng)
        e_lat, e_lng = g_lat - lat, g_lng - lng
        w_lat, w_lng = w_lat - e_lat, w_lng - e_lng
        if abs(e_lat) < 1e-10 and abs(e_lng) < 1e-10:
            break
    return w_lat, w_lng


def gcj02_to_bd09(lat: float, lng: float) -> LatLng:
    z = math.hypot(lng, lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lng: float) -> LatLng:
    x, y = lng - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def to_gcj02(lat: float, lng: float, crs: str) -> LatLng:
    """A point declared in `crs` (wgs84, gcj02 or bd09) in GCJ-02."""
    if crs == "gcj02":
        return lat, lng
    if crs == "wgs84":
        return wgs84_to_gcj02(lat, lng)
    if crs == "bd09":
        return bd09_to_gcj02(lat, lng)
    raise ValueError(f"unknown coordinate system {crs!r}")


def to_wgs84(lat: float, lng: float, crs: str) -> LatLng:
    if crs == "wgs84":
        return lat, lng
    return gcj02_to_wgs84(*to_gcj02(lat, lng, crs))


def to_bd09(lat: float, lng: float, crs: str) -> LatLng:
    if crs == "bd09":
        return lat, lng
    return gcj02_to_bd09(*to_gcj02(lat, lng, crs))


def distance_km(a: LatLng, b: LatLng) -> float:
    """Great-circle (haversine) distance between two points of one system."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def map_links(name: str, lat: float, lng: float, crs: str, address: str = "") -> list[tuple[str, str]]:
    """(app name, URL) that open 高德, 百度 and 腾讯 maps with a marker at the point.

    Each app gets the point in its own system (高德 and 腾讯: GCJ-02; 百度: BD-09)
    and says so in the URL; names and addresses are percent-encoded.
    """
    from urllib.parse import quote, urlencode

    g_lat, g_lng = to_gcj02(lat, lng, crs)
    b_lat, b_lng = to_bd09(lat, lng, crs)
    amap = "https://uri.amap.com/marker?" + urlencode(
        {"position": f"{g_lng:.6f},{g_lat:.6f}", "name": name, "coordinate": "gaode", "callnative": "1"}, quote_via=quote)
    baidu = "https://api.map.baidu.com/marker?" + urlencode(
        {"location": f"{b_lat:.6f},{b_lng:.6f}", "title": name, "content": address or name, "coord_type": "bd09ll",
         "output": "html", "src": "webapp.lvyin.site"}, quote_via=quote)
    # 腾讯 reads `coord:…;title:…;addr:…` inside one parameter: the separators stay, the text is encoded.
    marker = f"coord:{g_lat:.6f},{g_lng:.6f};title:{quote(name, safe='')};addr:{quote(address or name, safe='')}"
    qq = f"https://apis.map.qq.com/uri/v1/marker?marker={marker}&referer=lvyin"
    return [("高德地图", amap), ("百度地图", baidu), ("腾讯地图", qq)]
