"""The filtered list as CSV and GeoJSON: explicit field allowlists, the same filter as the
screen. The map draws from the same GeoJSON features."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from fieldapp.diligences.models import Diligence
from fieldapp.review.services import OUTCOMES, MapPoint, outcome_of

CSV_COLUMNS = (
    "id", "version", "vigente", "fecha_local", "recibida_utc", "tipo", "resultado", "estado_revision",
    "persona", "usuario", "folio", "patron", "rfc", "domicilio", "sector", "latitud", "longitud",
    "precision_m", "evidencias_completas", "impedimentos_legales", "advertencias_legales",
    "banderas", "huella_sha256",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection):
# imported names and typed facts are text, so they are prefixed with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _local_iso(diligence: Diligence, tz: ZoneInfo) -> str:
    return diligence.captured_at.astimezone(tz).isoformat(timespec="seconds")


def csv_row(d: Diligence, tz: ZoneInfo) -> list[Any]:
    document = d.document
    address = document.address
    return [
        d.id, d.version, "sí" if d.is_current else "no", _local_iso(d, tz),
        d.received_at.isoformat(timespec="seconds"), d.kind_label, OUTCOMES[outcome_of(d)],
        d.review_state_label, _text(d.user.full_name), _text(d.user.username),
        _text(document.folio), _text(document.debtor.legal_name), _text(document.debtor.rfc),
        _text(address.one_line), _text(address.sector.code if address.sector else None),
        "" if d.gps_latitude is None else d.gps_latitude,
        "" if d.gps_longitude is None else d.gps_longitude,
        "" if d.gps_accuracy_m is None else d.gps_accuracy_m,
        "sí" if d.complete else "no", "sí" if d.has_block_findings else "no",
        "sí" if d.has_warn_findings else "no", " ".join(d.flags), d.content_hash,
    ]


def csv_lines(rows: Iterable[Diligence], tz: ZoneInfo) -> Iterator[str]:
    """UTF-8 CSV text, header first; the BOM lets spreadsheets read the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()
    for d in rows:
        writer.writerow(csv_row(d, tz))
        yield flush()


def feature(point: MapPoint, tz: ZoneInfo, url: str) -> dict[str, Any]:
    """One GeoJSON Feature (RFC 7946; null geometry when there is no GPS fix)."""
    geometry = None
    if point.gps_latitude is not None and point.gps_longitude is not None:
        geometry = {"type": "Point", "coordinates": [point.gps_longitude, point.gps_latitude]}
    return {
        "type": "Feature",
        "id": point.id,
        "geometry": geometry,
        "properties": {
            "version": point.version, "current": point.is_current, "kind": point.kind,
            "kind_label": point.kind_label, "outcome": point.outcome,
            "outcome_label": OUTCOMES[point.outcome], "review_state": point.review_state,
            "review_state_label": point.review_state_label,
            "captured_at": point.captured_at.astimezone(tz).isoformat(timespec="seconds"),
            "user": point.user_name, "folio": point.folio, "debtor": point.debtor_name,
            "accuracy_m": point.gps_accuracy_m, "complete": point.complete,
            "flags": point.flags, "url": url,
        },
    }


def feature_collection(points: Iterable[MapPoint], tz: ZoneInfo, url_of: Callable[[MapPoint], str],
                       members_after: Callable[[], dict[str, Any]] = dict) -> str:
    """A FeatureCollection as JSON text, each feature turned into text as soon as it is built
    (see review.services.MapPoints); ``members_after`` gives top-level members known only once
    the points are read (the map's ``truncated``)."""
    features = ",\n".join(json.dumps(feature(p, tz, url_of(p)), ensure_ascii=False) for p in points)
    members = json.dumps({"type": "FeatureCollection", **members_after()}, ensure_ascii=False)[:-1]
    return f'{members}, "features": [{features}]}}\n'


def geojson_chunks(rows: Iterable[Diligence], tz: ZoneInfo,
                   url_of: Callable[[Diligence], str]) -> Iterator[str]:
    """A FeatureCollection written a feature at a time (exports of a whole office)."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for d in rows:
        point = feature(MapPoint.of(d), tz, url_of(d))
        yield ("" if first else ",\n") + json.dumps(point, ensure_ascii=False)
        first = False
    yield "]}\n"
