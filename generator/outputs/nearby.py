"""Data of the 附近 page and the home page's finder: every place with a location, in WGS-84
(what browsers report), and the lectures of the coming months.

`nearby_assets` writes `nearby/places.json`, loaded only by /nearby/ and by the
finder once a parent uses it, so no page grows with the catalogue.  Places are
ordered by district then id; `areas` gives each district's and each street's
(街道/镇) centre, the mean of its stations' points, for parents who pick where
they are instead of sharing their location.

`lectures` holds the lectures from the build date to `FINDER_DAYS` days after it,
by date and time, in few short fields: the reader's phone drops those that are
over by its own clock (a static site is read days after it is built).  A
lecture names its place by its index in `places` (`p`), or, at a place without
a location, by district and name; `a` lists every audience it serves
(全学段 counts for each school stage).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from generator.model import vocab
from generator.model.entries import Base, Station, Venue
from generator.model.kinds import PLACE_LABELS, PLACE_SECTIONS
from generator.outputs.files import Asset
from generator.plan import geo
from generator.plan.pages import entry_path, page_url

if TYPE_CHECKING:
    from generator.plan.site import Site

PLACES_JSON = "nearby/places.json"
# How far ahead the finder and 附近 look: half a year, so the file stays small at 20,000 lectures a
# year and is still right when a phone reads a site built a few days (or weeks) ago.
FINDER_DAYS = 183


def _kind_label(kind: str, place: Venue | Base | Station) -> str:
    table = {"venue": vocab.VENUE_KINDS, "base": vocab.BASE_KINDS, "station": vocab.STATION_KINDS}[kind]
    return table[place.kind]


def nearby_data(site: Site) -> dict[str, Any]:
    c = site.catalog
    places: list[dict[str, Any]] = []
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    street_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    order = {d: i for i, d in enumerate(c.districts)}
    tables: dict[str, Mapping[str, Venue | Base | Station]] = {"venue": c.venues, "base": c.bases, "station": c.stations}
    for kind, section in PLACE_SECTIONS.items():
        table = tables[kind]
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
    return {"crs": "wgs84", "kinds": PLACE_LABELS, "admissions": vocab.ADMISSIONS, "areas": areas, "places": places,
            "formats": vocab.FORMATS, "statuses": vocab.STATUSES, "since": site.today.isoformat(), "lectures": _lectures(site, {p["url"]: i for i, p in enumerate(places)})}


def _lectures(site: Site, place_index: dict[str, int]) -> list[dict[str, Any]]:
    c = site.catalog
    until = site.today + timedelta(days=FINDER_DAYS)
    rows = []
    for l in c.lectures_in_order:
        if not site.today <= l.date <= until:
            continue
        row: dict[str, Any] = {"id": l.id, "t": l.title, "d": l.date.isoformat(), "s": f"{l.start:%H:%M}",
                               "e": f"{l.end:%H:%M}", "a": vocab.audiences_served(l.audiences)}
        if l.status in ("cancelled", "postponed"):
            row["x"] = l.status
        if l.format != "offline":
            row["f"] = l.format
        place = c.places.get(l.venue) if l.venue else None
        if place is not None:
            url = page_url(entry_path(PLACE_SECTIONS[c.place_kind(place.id)], place.id))
            if url in place_index:
                row["p"] = place_index[url]
            else:
                row["pd"], row["pn"] = place.district, place.name
        rows.append(row)
    return rows


def nearby_assets(site: Site) -> list[Asset]:
    text = json.dumps(nearby_data(site), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return [Asset(PLACES_JSON, text.encode("utf-8"))]
