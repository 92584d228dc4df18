"""Data of the 附近 page: every place with a location, in WGS-84 (what browsers report).

`nearby_assets` writes `nearby/places.json`, loaded only by /nearby/, so no
other page grows with the catalogue.  Places are ordered by district then id;
`areas` gives each district's and each street's (街道/镇) centre, the mean of
its stations' points, for parents who pick where they are instead of sharing
their location.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from . import geo, vocab
from .pages import Asset, entry_path, page_url

if TYPE_CHECKING:
    from .site import Site

PLACES_JSON = "nearby/places.json"


def _kind_label(kind: str, place: Any) -> str:
    table = {"venue": vocab.VENUE_KINDS, "base": vocab.BASE_KINDS, "station": vocab.STATION_KINDS}[kind]
    return table[place.kind]


def nearby_data(site: "Site") -> dict[str, Any]:
    c = site.catalog
    places: list[dict[str, Any]] = []
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    street_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    order = {d: i for i, d in enumerate(c.districts)}
    for kind, section in vocab.PLACE_SECTIONS.items():
        table = {"venue": c.venues, "base": c.bases, "station": c.stations}[kind]
        for p in table.values():
            if not p.location:
                continue
            lat, lng = geo.to_wgs84(p.location.lat, p.location.lng, p.location.crs)
            lat, lng = round(lat, 6), round(lng, 6)
            points[p.district].append((lat, lng))
            street = getattr(p, "street", None)
            if street:
                street_points[(p.district, street)].append((lat, lng))
            places.append({
                "kind": kind, "type": _kind_label(kind, p), "name": p.name, "url": page_url(entry_path(section, p.id)),
                "district": p.district, "street": street or "", "address": p.address, "lat": lat, "lng": lng,
                "hours": getattr(p, "hours", None) or "", "admission": getattr(p, "admission", None) or "",
                "admission_note": getattr(p, "admission_note", None) or "", "ages": getattr(p, "ages", None) or "",
            })
    places.sort(key=lambda p: (order[p["district"]], p["kind"], p["url"]))

    def centre(pts: list[tuple[float, float]]) -> list[float]:
        return [round(sum(p[0] for p in pts) / len(pts), 6), round(sum(p[1] for p in pts) / len(pts), 6)]

    areas = []
    for d in c.districts.values():
        if not points.get(d.id):
            continue
        streets = sorted((s, pts) for (dist, s), pts in street_points.items() if dist == d.id)
        areas.append({"id": d.id, "name": d.name, "centre": centre(points[d.id]),
                      "streets": [{"name": s, "centre": centre(pts)} for s, pts in streets]})
    return {"crs": "wgs84", "kinds": vocab.PLACE_LABELS, "admissions": vocab.ADMISSIONS, "areas": areas, "places": places}


def nearby_assets(site: "Site") -> list[Asset]:
    text = json.dumps(nearby_data(site), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return [Asset(PLACES_JSON, text.encode("utf-8"))]
