#!/usr/bin/env python3
"""Generate the Shymkent demo city for Sakshy.

Writes, under data/demo/shymkent/:

* territories.geojson  city, 5 districts, the quadrants (illustrative boundaries)
* points.geojson       police points (synthetic)
* officers.csv         officers (synthetic)
* agencies.csv         routing agencies (taxonomy of the pilot)

The formats are those of docs/formats.md. The script uses only the Python 3.11
standard library and is deterministic (fixed seed): run it again and the files
come out byte for byte the same.

    python3 tools/demo-city/generate.py

Geometry: the quadrants are the cells of one jittered lattice. Column breaks
(longitude) and row breaks (latitude) are not uniform: cells are about 3 km
near the centre and grow towards the edges. Interior lattice vertices are moved
by a seeded random amount (at most 20 % of the smaller neighbouring cell), so
the cells are irregular quadrilaterals that still tile perfectly, because
neighbouring cells share the very same vertices. Districts and the city are
exact unions of cells: the boundary is the set of cell edges used by exactly
one cell of the union, traced into rings.
"""

from __future__ import annotations

import csv
import json
import math
import random
import re
import sys
from pathlib import Path

SEED = 20261125
ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "data" / "demo" / "shymkent"

# --------------------------------------------------------------------------
# Facts (see data/demo/shymkent/README.md for sources)
# --------------------------------------------------------------------------

CITY = {
    "code": "SHY",
    "name_kk": "Шымкент",
    "name_ru": "Шымкент",
    "name_en": "Shymkent",
    "population": 1_293_648,  # BNS, 1 Jan 2026
    "timezone": "Asia/Almaty",
    "default_lang": "kk",
}

# letter in LAYOUT -> district
DISTRICTS = {
    "B": {"code": "SHY-ABY", "name_kk": "Абай ауданы", "name_ru": "Абайский район", "name_en": "Abay",
          "genitive_kk": "Абай ауданының"},
    "F": {"code": "SHY-ALF", "name_kk": "Әл-Фараби ауданы", "name_ru": "Аль-Фарабийский район",
          "name_en": "Al-Farabi", "genitive_kk": "Әл-Фараби ауданының",
          "population": 205_249},  # ru.wikipedia, 2019
    "E": {"code": "SHY-ENB", "name_kk": "Еңбекші ауданы", "name_ru": "Енбекшинский район", "name_en": "Enbekshi",
          "genitive_kk": "Еңбекші ауданының"},
    "K": {"code": "SHY-KRT", "name_kk": "Қаратау ауданы", "name_ru": "Каратауский район", "name_en": "Karatau",
          "genitive_kk": "Қаратау ауданының"},
    "T": {"code": "SHY-TRN", "name_kk": "Тұран ауданы", "name_ru": "Туранский район", "name_en": "Turan",
          "genitive_kk": "Тұран ауданының"},
}
DISTRICT_ORDER = ["B", "F", "E", "K", "T"]  # by code: ABY, ALF, ENB, KRT, TRN

STATION = (69.61030, 42.29871)         # railway station Shymkent-1, OSM node 2753413127 (lon, lat)
ORDABASY = (69.5948, 42.3166)          # Ordabasy square, city centre
CENTRE = ORDABASY

PILOT_NAMES = {
    "name_kk": "Вокзал маңы, Юбилейный, МЖК, Көксай-1 (пилоттық квадрант)",
    "name_ru": "Ж/д вокзал, Юбилейный, МЖК, Коксай-1 (пилотный квадрант)",
    "name_en": "Railway station, Yubileyny, MZhK, Koksay-1 (pilot quadrant)",
}

# Microdistricts and landmarks (APPROX centroids): ru, kk, en, lon, lat
LANDMARKS = [
    ("пл. Ордабасы", "Ордабасы алаңы", "Ordabasy Square", 69.5948, 42.3166),
    ("8-й мкр", "8-шағын аудан", "Microdistrict 8", 69.57872, 42.32198),
    ("11-й мкр", "11-шағын аудан", "Microdistrict 11", 69.63865, 42.32294),
    ("15-й мкр", "15-шағын аудан", "Microdistrict 15", 69.63525, 42.33200),
    ("18-й мкр", "18-шағын аудан", "Microdistrict 18", 69.62960, 42.34100),
    ("Спортивный", "Спортивный", "Sportivny", 69.59890, 42.33210),
    ("Сайрам", "Сайрам", "Sayram", 69.63630, 42.33970),
    ("Север", "Север", "Sever", 69.63830, 42.33890),
    ("Нурсат", "Нұрсат", "Nursat", 69.62869, 42.36167),
    ("Кайтпас-1", "Қайтпас-1", "Kaitpas-1", 69.64220, 42.37547),
    ("Самал-3", "Самал-3", "Samal-3", 69.55276, 42.37384),
    ("Акжайык", "Ақжайық", "Akzhaiyk", 69.60090, 42.37890),
    ("Асар", "Асар", "Asar", 69.59898, 42.40673),
    ("Шымсити", "Шымсити", "Shymcity", 69.61420, 42.41160),
]
MAX_LANDMARKS_IN_NAME = 3
# large residential areas: population bumps (illustrative)
RESIDENTIAL_BUMPS = {"Microdistrict 8", "Microdistrict 15", "Nursat", "Kaitpas-1", "Samal-3", "Akzhaiyk",
                     "Asar", "Shymcity"}

# Streets (shymkent.md §4): ru, kk. House numbers are synthetic.
STREETS = {
    "taukekhan": ("пр. Тауке хана", "Тәуке хан даңғылы"),
    "kazybekbi": ("ул. Казыбек би", "Қазыбек би көшесі"),
    "respubliki": ("пр. Республики", "Республика даңғылы"),
    "zhangeldin": ("ул. Жангельдина", "Жангелдин көшесі"),
    "ilyaev": ("ул. Иляева", "Иляев көшесі"),
    "tashenov": ("ул. Ташенова", "Тәшенов көшесі"),
    "ryskulbekov": ("ул. Рыскулбекова", "Рысқұлбеков көшесі"),
    "momynov": ("ул. Момынова", "Момынов көшесі"),
    "kunaev": ("пр. Кунаева", "Қонаев даңғылы"),
    "nurlybaev": ("ул. Нурлыбаева", "Нұрлыбаев көшесі"),
}

# --------------------------------------------------------------------------
# Lattice
# --------------------------------------------------------------------------

# 11 columns, 9 rows. The pilot cell is column 5, row 4:
# lon 69.592..69.628, lat 42.285..42.312.
LON_BREAKS = [69.300, 69.385, 69.450, 69.505, 69.552, 69.592, 69.628, 69.665, 69.715, 69.785, 69.855, 69.930]
LAT_BREAKS = [42.110, 42.170, 42.220, 42.255, 42.285, 42.312, 42.342, 42.380, 42.430, 42.480]
PILOT_CELL = (5, 4)  # (column, row)

# District of each cell; first line is the northernmost row (row 8), "." = outside the city.
# B Abay (north-west), F Al-Farabi (centre, south-centre), E Enbekshi (east, south-east),
# K Karatau (north-east), T Turan (west, south-west). Roughly after the district bounding boxes
# and centroids of COD-AB 2024 (shymkent.md §2), with the station and Ordabasy square in Al-Farabi.
LAYOUT = [
    "...BBBK....",  # row 8  42.430-42.480
    ".BBBBBKKK..",  # row 7  42.380-42.430
    "BBBBBBKKKK.",  # row 6  42.342-42.380
    "TTTFFFFKKKK",  # row 5  42.312-42.342
    "TTTFFFFEEEE",  # row 4  42.285-42.312   (pilot: column 5)
    "TTTTFFEEEEE",  # row 3  42.255-42.285
    "TTTTFFEEE..",  # row 2  42.220-42.255
    "..TTFFEE...",  # row 1  42.170-42.220
    "..TTFF.....",  # row 0  42.110-42.170
]
JITTER = 0.20  # fraction of the smaller neighbouring cell size

NCOL = len(LON_BREAKS) - 1
NROW = len(LAT_BREAKS) - 1


def r6(x: float) -> float:
    return round(x, 6)


def cell_district(c: int, r: int) -> str | None:
    ch = LAYOUT[NROW - 1 - r][c]
    return None if ch == "." else ch


def build_vertices(rng: random.Random) -> dict[tuple[int, int], tuple[float, float]]:
    """Lattice vertex (i, j) -> (lon, lat), jittered, rounded to 6 decimals."""
    pilot_c, pilot_r = PILOT_CELL
    fixed = {(pilot_c, pilot_r), (pilot_c + 1, pilot_r), (pilot_c + 1, pilot_r + 1), (pilot_c, pilot_r + 1)}
    verts = {}
    for j in range(NROW + 1):
        for i in range(NCOL + 1):
            x, y = LON_BREAKS[i], LAT_BREAKS[j]
            widths = [LON_BREAKS[k + 1] - LON_BREAKS[k] for k in (i - 1, i) if 0 <= k < NCOL]
            heights = [LAT_BREAKS[k + 1] - LAT_BREAKS[k] for k in (j - 1, j) if 0 <= k < NROW]
            # always draw two numbers so the sequence does not depend on which vertices are fixed
            ux, uy = rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)
            if (i, j) in fixed:
                verts[(i, j)] = (r6(x), r6(y))
                continue
            # frame vertices slide along the frame only, so the outer frame stays straight
            if 0 < i < NCOL:
                x += ux * JITTER * min(widths)
            if 0 < j < NROW:
                y += uy * JITTER * min(heights)
            verts[(i, j)] = (r6(x), r6(y))
    return verts


def cell_ring_ids(c: int, r: int) -> list[tuple[int, int]]:
    """Counter-clockwise ring of lattice vertex ids (closed)."""
    return [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1), (c, r)]


# --------------------------------------------------------------------------
# Plane geometry helpers (degrees; fine for checks and for a small city)
# --------------------------------------------------------------------------

def signed_area(ring: list[tuple[float, float]]) -> float:
    """Shoelace, relative to the city centre to keep precision. Positive = CCW."""
    ox, oy = CENTRE
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += (x1 - ox) * (y2 - oy) - (x2 - ox) * (y1 - oy)
    return s / 2.0


def point_in_ring(pt: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    x, y = pt
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y):
            xc = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < xc:
                inside = not inside
    return inside


def centroid(ring: list[tuple[float, float]]) -> tuple[float, float]:
    ox, oy = CENTRE
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        x1, y1, x2, y2 = x1 - ox, y1 - oy, x2 - ox, y2 - oy
        f = x1 * y2 - x2 * y1
        a += f
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
    return (cx / (3 * a) + ox, cy / (3 * a) + oy)


KM_PER_DEG_LAT = 111.13
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(42.3))


def area_km2(ring: list[tuple[float, float]]) -> float:
    return signed_area(ring) * KM_PER_DEG_LAT * KM_PER_DEG_LON


def dist_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot((a[0] - b[0]) * KM_PER_DEG_LON, (a[1] - b[1]) * KM_PER_DEG_LAT)


def _orient(a, b, c) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _segments_cross(p1, p2, q1, q2) -> bool:
    """Proper or touching intersection of two segments."""
    d1, d2 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    d3, d4 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and d1 and d2 and d3 and d4:
        return True

    def on(a, b, c):  # c on segment ab, given collinear
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])

    return ((d1 == 0 and on(q1, q2, p1)) or (d2 == 0 and on(q1, q2, p2))
            or (d3 == 0 and on(p1, p2, q1)) or (d4 == 0 and on(p1, p2, q2)))


def ring_is_simple(ring: list[tuple[float, float]]) -> bool:
    n = len(ring) - 1
    if len(set(ring[:-1])) != n:
        return False
    segs = [(ring[k], ring[k + 1]) for k in range(n)]
    for a in range(n):
        for b in range(a + 1, n):
            if b == a + 1 or (a == 0 and b == n - 1):
                continue  # neighbours share one vertex
            if _segments_cross(*segs[a], *segs[b]):
                return False
    return True


# --------------------------------------------------------------------------
# Union of lattice cells
# --------------------------------------------------------------------------

def union_rings(cells: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Boundary rings (lattice vertex ids, closed) of a union of cells.

    An edge used by two cells of the set is interior; the others, kept with the
    direction they have in their (counter-clockwise) cell, form the boundary:
    outer rings come out counter-clockwise, holes clockwise.
    """
    directed = []
    for c, r in cells:
        ids = cell_ring_ids(c, r)
        directed += list(zip(ids, ids[1:]))
    edge_set = set(directed)
    assert len(edge_set) == len(directed), "duplicate cell"
    boundary = [e for e in directed if (e[1], e[0]) not in edge_set]
    nxt: dict[tuple[int, int], tuple[int, int]] = {}
    for a, b in boundary:
        # two boundary edges leaving one vertex = cells touching at a corner only
        assert a not in nxt, f"pinch point at lattice vertex {a}"
        nxt[a] = b
    rings = []
    todo = set(nxt)
    while todo:
        start = min(todo)
        ring = [start]
        v = start
        while True:
            todo.discard(v)
            v = nxt[v]
            ring.append(v)
            if v == start:
                break
        rings.append(ring)
    return rings


def to_polygon_geometry(rings_xy: list[list[tuple[float, float]]]) -> dict:
    outers = [r for r in rings_xy if signed_area(r) > 0]
    holes = [r for r in rings_xy if signed_area(r) < 0]
    polys = [[o] for o in outers]
    for h in holes:
        owner = [p for p in polys if point_in_ring(h[0], p[0]) or point_in_ring(centroid(h), p[0])]
        assert len(owner) >= 1
        owner[0].append(h)
    coords = [[[[x, y] for x, y in ring] for ring in poly] for poly in polys]
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}


# --------------------------------------------------------------------------
# Opening hours (the docs/formats.md subset), used to check consistency
# --------------------------------------------------------------------------

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
HOURS_RULE = re.compile(r"^([A-Z][a-z](?:-[A-Z][a-z])?(?:,[A-Z][a-z](?:-[A-Z][a-z])?)*) "
                        r"(\d\d:\d\d-\d\d:\d\d(?:,\d\d:\d\d-\d\d:\d\d)*)$")


def parse_hours(text: str) -> dict[str, list[tuple[int, int]]]:
    if text == "24/7":
        return {d: [(0, 24 * 60)] for d in DAYS}
    out: dict[str, list[tuple[int, int]]] = {}
    for rule in text.split("; "):
        m = HOURS_RULE.match(rule)
        assert m, f"bad opening hours rule {rule!r} in {text!r}"
        days: list[str] = []
        for part in m.group(1).split(","):
            if "-" in part:
                a, b = part.split("-")
                days += DAYS[DAYS.index(a):DAYS.index(b) + 1]
            else:
                assert part in DAYS
                days.append(part)
        spans = []
        for span in m.group(2).split(","):
            a, b = span.split("-")
            ma = int(a[:2]) * 60 + int(a[3:])
            mb = int(b[:2]) * 60 + int(b[3:])
            assert 0 <= ma < mb <= 24 * 60, span
            spans.append((ma, mb))
        for d in days:
            assert d not in out, f"day {d} twice in {text!r}"
            out[d] = spans
    return out


def hours_within(inner: str, outer: str) -> bool:
    a, b = parse_hours(inner), parse_hours(outer)
    for d, spans in a.items():
        for s, e in spans:
            if not any(os_ <= s and e <= oe for os_, oe in b.get(d, [])):
                return False
    return True


# --------------------------------------------------------------------------
# Output helpers
# --------------------------------------------------------------------------

def feature(props: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_feature_collection(path: Path, features: list[dict]) -> None:
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow(row)


def largest_remainder(weights: list[float], total: int) -> list[int]:
    s = sum(weights)
    raw = [w * total / s for w in weights]
    base = [int(math.floor(x)) for x in raw]
    rest = total - sum(base)
    order = sorted(range(len(raw)), key=lambda k: (-(raw[k] - base[k]), k))
    for k in order[:rest]:
        base[k] += 1
    return base


# --------------------------------------------------------------------------
# Territories
# --------------------------------------------------------------------------

def build_territories(rng: random.Random):
    verts = build_vertices(rng)

    cells = [(c, r) for r in range(NROW) for c in range(NCOL) if cell_district(c, r)]
    xy = lambda ids: [verts[v] for v in ids]  # noqa: E731
    ring_of = {cell: xy(cell_ring_ids(*cell)) for cell in cells}

    # every cell a simple, counter-clockwise quadrilateral
    for cell, ring in ring_of.items():
        assert signed_area(ring) > 0, f"cell {cell} not CCW"
        assert ring_is_simple(ring), f"cell {cell} not simple"

    pilot_ring = ring_of[PILOT_CELL]
    assert pilot_ring[:4] == [(69.592, 42.285), (69.628, 42.285), (69.628, 42.312), (69.592, 42.312)]
    assert cell_district(*PILOT_CELL) == "F"

    # quadrant codes: pilot first in Al-Farabi, then north to south, west to east
    by_district: dict[str, list[tuple[int, int]]] = {d: [] for d in DISTRICT_ORDER}
    for r in range(NROW - 1, -1, -1):
        for c in range(NCOL):
            d = cell_district(c, r)
            if d and (c, r) != PILOT_CELL:
                by_district[d].append((c, r))
    by_district["F"].insert(0, PILOT_CELL)

    # neighbours (shared edge)
    cellset = set(cells)

    def neighbours(cell):
        c, r = cell
        return [n for n in ((c - 1, r), (c + 1, r), (c, r - 1), (c, r + 1)) if n in cellset]

    # contiguity of each district (4-connected)
    for d, dcells in by_district.items():
        seen, stack = {dcells[0]}, [dcells[0]]
        while stack:
            for n in neighbours(stack.pop()):
                if n not in seen and cell_district(*n) == d:
                    seen.add(n)
                    stack.append(n)
        assert seen == set(dcells), f"district {d} not contiguous"
        assert 8 <= len(dcells) <= 20, f"district {d} has {len(dcells)} quadrants"

    quadrants = []  # dicts with cell, code, district letter, ring
    for d in DISTRICT_ORDER:
        for k, cell in enumerate(by_district[d], start=1):
            quadrants.append({
                "cell": cell,
                "district": d,
                "code": f"{DISTRICTS[d]['code']}-Q{k:02d}",
                "n": k,
                "ring": ring_of[cell],
            })
    assert 60 <= len(quadrants) <= 80, len(quadrants)
    qby_cell = {q["cell"]: q for q in quadrants}
    for q in quadrants:
        q["neighbours"] = [qby_cell[n]["code"] for n in neighbours(q["cell"])]
        q["centroid"] = centroid(q["ring"])
        q["area_km2"] = area_km2(q["ring"])

    # names
    for q in quadrants:
        if q["cell"] == PILOT_CELL:
            q.update(PILOT_NAMES)
            continue
        inside = [lm for lm in LANDMARKS if point_in_ring((lm[3], lm[4]), q["ring"])]
        q["landmarks"] = inside
        if inside:
            shown = inside[:MAX_LANDMARKS_IN_NAME]
            q["name_ru"] = ", ".join(lm[0] for lm in shown)
            q["name_kk"] = ", ".join(lm[1] for lm in shown)
            q["name_en"] = ", ".join(lm[2] for lm in shown)
        else:
            dd = DISTRICTS[q["district"]]
            q["name_kk"] = f"{q['n']}-квадрант, {dd['name_kk']}"
            q["name_ru"] = f"Квадрант {q['n']}, {dd['name_ru']}"
            q["name_en"] = f"Quadrant {q['n']}, {dd['name_en']}"
    # each landmark lands in exactly one quadrant
    for lm in LANDMARKS:
        hits = [q for q in quadrants if point_in_ring((lm[3], lm[4]), q["ring"])]
        assert len(hits) == 1, f"landmark {lm[2]} in {len(hits)} quadrants"

    # populations (illustrative): area x density. Density = base + a peak at the centre + bumps at
    # the large residential microdistricts. Al-Farabi's quadrants are scaled to the district figure
    # (205,249), the other quadrants to the rest of the city total, so every sum is consistent.
    bumps = [(lm[3], lm[4]) for lm in LANDMARKS if lm[2] in RESIDENTIAL_BUMPS]
    weights = []
    for q in quadrants:
        density = 700.0 + 5000.0 * math.exp(-((dist_km(q["centroid"], CENTRE) / 3.0) ** 2))
        density += sum(1500.0 * math.exp(-((dist_km(q["centroid"], b) / 3.0) ** 2)) for b in bumps)
        weights.append(q["area_km2"] * density)  # shape only; scaled below
    alf_total = DISTRICTS["F"]["population"]
    alf = [k for k, q in enumerate(quadrants) if q["district"] == "F"]
    rest = [k for k, q in enumerate(quadrants) if q["district"] != "F"]
    for idx, total in ((alf, alf_total), (rest, CITY["population"] - alf_total)):
        for k, p in zip(idx, largest_remainder([weights[k] for k in idx], total)):
            quadrants[k]["population"] = p
    assert sum(q["population"] for q in quadrants) == CITY["population"]

    # unions
    def union_geometry(cell_list):
        rings_ids = union_rings(cell_list)
        rings = [xy(ids) for ids in rings_ids]
        for ring in rings:
            assert ring[0] == ring[-1] and len(ring) >= 4
            assert ring_is_simple(ring), "union ring not simple"
        return rings, to_polygon_geometry(rings)

    district_geoms = {}
    for d in DISTRICT_ORDER:
        rings, geom = union_geometry(by_district[d])
        assert len(rings) == 1 and geom["type"] == "Polygon", f"district {d}: {len(rings)} rings"
        area_sum = sum(signed_area(ring_of[c]) for c in by_district[d])
        assert abs(signed_area(rings[0]) - area_sum) <= 1e-9 * area_sum
        district_geoms[d] = geom
    city_rings, city_geom = union_geometry(cells)
    assert len(city_rings) == 1 and city_geom["type"] == "Polygon", "city union is not one ring"
    city_area = signed_area(city_rings[0])
    quad_area = sum(signed_area(q["ring"]) for q in quadrants)
    assert abs(city_area - quad_area) <= 1e-9 * city_area, (city_area, quad_area)

    # the facts the demo relies on
    pilot = qby_cell[PILOT_CELL]
    assert point_in_ring(STATION, pilot["ring"]), "station not in the pilot quadrant"
    assert pilot["code"] == "SHY-ALF-Q01"
    orda = [q for q in quadrants if point_in_ring(ORDABASY, q["ring"])]
    assert len(orda) == 1 and orda[0]["district"] == "F", "Ordabasy square not in Al-Farabi"

    return {
        "verts": verts,
        "quadrants": quadrants,
        "qby_cell": qby_cell,
        "by_district": by_district,
        "district_geoms": district_geoms,
        "city_geom": city_geom,
        "city_area_km2": city_area * KM_PER_DEG_LAT * KM_PER_DEG_LON,
    }


def territory_features(t) -> list[dict]:
    feats = [feature({
        "level": "city",
        "code": CITY["code"],
        "name_kk": CITY["name_kk"],
        "name_ru": CITY["name_ru"],
        "name_en": CITY["name_en"],
        "population": CITY["population"],
        "geometry_status": "illustrative",
        "timezone": CITY["timezone"],
        "default_lang": CITY["default_lang"],
    }, t["city_geom"])]
    for d in DISTRICT_ORDER:
        dd = DISTRICTS[d]
        props = {"level": "district", "code": dd["code"], "parent": CITY["code"],
                 "name_kk": dd["name_kk"], "name_ru": dd["name_ru"], "name_en": dd["name_en"]}
        if "population" in dd:
            props["population"] = dd["population"]
        props["geometry_status"] = "illustrative"
        feats.append(feature(props, t["district_geoms"][d]))
    for q in t["quadrants"]:
        props = {"level": "quadrant", "code": q["code"], "parent": DISTRICTS[q["district"]]["code"],
                 "name_kk": q["name_kk"], "name_ru": q["name_ru"], "name_en": q["name_en"],
                 "population": q["population"], "pilot": q["cell"] == PILOT_CELL,
                 "geometry_status": "illustrative"}
        feats.append(feature(props, {"type": "Polygon", "coordinates": [[[x, y] for x, y in q["ring"]]]}))
    return feats


# --------------------------------------------------------------------------
# Police points (synthetic)
# --------------------------------------------------------------------------

DISTRICT_POINT_HOURS = "Mo-Fr 09:00-13:00,14:00-20:00; Sa 10:00-14:00"

# district points: (district, host: landmark en-name or (col, row), street key or None for the landmark)
DISTRICT_POINT_SPECS = [
    ("B", "Asar", None),
    ("B", "Samal-3", None),
    ("B", (1, 7), "taukekhan"),
    ("F", "Microdistrict 8", None),
    ("F", (4, 2), "zhangeldin"),
    ("E", (7, 4), "kunaev"),
    ("E", (10, 3), "taukekhan"),
    ("E", (7, 1), "ryskulbekov"),
    ("K", "Kaitpas-1", None),
    ("K", (9, 5), "kunaev"),
    ("T", (1, 4), "taukekhan"),
    ("T", (1, 2), "ilyaev"),
    ("T", (3, 0), "tashenov"),
]


def synthetic_phone(used: set[str], rng: random.Random, block: int) -> str:
    # "+7 7252 0x-xx-xx": Shymkent code, but a local number starting with 0 does not exist,
    # so these cannot reach a real subscriber.
    while True:
        p = f"+7 7252 0{block}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
        if p not in used:
            used.add(p)
            return p


def build_points(t, rng: random.Random, phones: set[str]):
    quadrants = t["quadrants"]
    qbycode = {q["code"]: q for q in quadrants}

    def quadrant_at(pt):
        hits = [q for q in quadrants if point_in_ring(pt, q["ring"])]
        assert len(hits) == 1, f"point {pt} in {len(hits)} quadrants"
        return hits[0]

    def serves_own_and_neighbours(q):
        same = [n for n in q["neighbours"] if qbycode[n]["district"] == q["district"]]
        return [q["code"]] + same

    points = []

    def add(kind, names, addr, pt, hours, services, district_point=False):
        q = quadrant_at(pt)
        points.append({
            "code": f"SHY-PP-{len(points) + 1:02d}", "kind": kind, **names, **addr,
            "lonlat": (r6(pt[0]), r6(pt[1])), "hours": hours, "services": services,
            "quadrant": q, "quadrants": serves_own_and_neighbours(q), "district_point": district_point,
        })

    def addr_street(key, number):
        ru, kk = STREETS[key]
        return {"address_kk": f"Шымкент қ., {kk}, {number}", "address_ru": f"г. Шымкент, {ru}, {number}"}

    # 1. city police department
    add("department",
        {"name_kk": "Шымкент қаласының Полиция департаменті",
         "name_ru": "Департамент полиции города Шымкент",
         "name_en": "Shymkent City Police Department"},
        addr_street("taukekhan", rng.randint(10, 60)),
        (69.5950, 42.3175), "24/7",
        ["reception", "appeals", "documents", "lost_found", "consultation", "patrol_base"])

    # 2-4. modular posts in the pilot quadrant
    station_house = rng.randint(1, 9)
    add("modular_post",
        {"name_kk": "«Темір жол вокзалы» модульдік полиция бекеті",
         "name_ru": "Модульный пост полиции «Ж/д вокзал»",
         "name_en": "Railway station modular police post"},
        {"address_kk": f"Шымкент қ., Момынов көшесі, {station_house} (вокзал алаңы)",
         "address_ru": f"г. Шымкент, ул. Момынова, {station_house} (привокзальная площадь)"},
        (69.6098, 42.2992), "24/7",
        ["reception", "appeals", "consultation", "lost_found", "juvenile", "patrol_base"])
    add("modular_post",
        {"name_kk": "«Тәуелсіздік саябағы» модульдік полиция бекеті",
         "name_ru": "Модульный пост полиции «Парк Независимости»",
         "name_en": "Independence Park modular police post"},
        addr_street("kazybekbi", rng.randint(1, 20)),
        (69.6015, 42.3062), "Mo-Su 08:00-22:00",
        ["reception", "appeals", "consultation"])
    add("modular_post",
        {"name_kk": "«Көксай» модульдік полиция бекеті",
         "name_ru": "Модульный пост полиции «Коксай»",
         "name_en": "Koksay modular police post"},
        addr_street("nurlybaev", rng.randint(1, 80)),
        (69.6185, 42.2905), "Mo-Su 08:00-22:00",
        ["reception", "appeals", "consultation"])
    for p in points[1:]:
        assert p["quadrant"]["cell"] == PILOT_CELL, p["code"]

    def jittered_inside(base, dx, dy, ring):
        """base moved by a random offset, kept inside ring (shrinking the offset if needed)"""
        for _ in range(12):
            pt = (base[0] + rng.uniform(-dx, dx), base[1] + rng.uniform(-dy, dy))
            if point_in_ring((r6(pt[0]), r6(pt[1])), ring):
                return pt
            dx, dy = dx / 2, dy / 2
        return base

    # district points
    lm_by_en = {lm[2]: lm for lm in LANDMARKS}
    per_district_no: dict[str, int] = {}
    for d, host, street in sorted(DISTRICT_POINT_SPECS, key=lambda s: DISTRICT_ORDER.index(s[0])):
        dd = DISTRICTS[d]
        no = per_district_no[d] = per_district_no.get(d, 0) + 1
        house = rng.randint(1, 120)
        if isinstance(host, str):
            ru, kk, en, lon, lat = lm_by_en[host]
            q = quadrant_at((lon, lat))
            pt = jittered_inside((lon, lat), 0.0015, 0.001, q["ring"])
            if ru[0].isdigit():
                addr = {"address_kk": f"Шымкент қ., {kk}, {house}", "address_ru": f"г. Шымкент, {ru}, {house}"}
            else:
                addr = {"address_kk": f"Шымкент қ., {kk} шағын ауданы, {house}",
                        "address_ru": f"г. Шымкент, мкр {ru}, {house}"}
            suffix_ru, suffix_kk, suffix_en = f" «{ru}»", f" «{kk}»", f" ({en})"
        else:
            q = t["qby_cell"][host]
            cx, cy = q["centroid"]
            pt = jittered_inside((cx, cy), 0.003, 0.002, q["ring"])
            addr = addr_street(street, house)
            suffix_ru = suffix_kk = suffix_en = ""
        assert q["district"] == d, (host, d)
        assert point_in_ring((r6(pt[0]), r6(pt[1])), q["ring"]), host
        add("district_point",
            {"name_kk": f"{dd['genitive_kk']} № {no}{suffix_kk} учаскелік полиция пункті",
             "name_ru": f"Участковый пункт полиции № {no}{suffix_ru}, {dd['name_ru']}",
             "name_en": f"District police point No. {no}{suffix_en}, {dd['name_en']}"},
            addr, pt, DISTRICT_POINT_HOURS, ["reception", "appeals", "consultation", "documents"],
            district_point=True)

    # each quadrant is also served by the nearest district point of its district
    dps = [p for p in points if p["district_point"]]
    primary = {}
    for q in quadrants:
        cands = [p for p in dps if p["quadrant"]["district"] == q["district"]]
        assert len(cands) >= 2, q["district"]
        best = min(cands, key=lambda p: (dist_km(p["lonlat"], q["centroid"]), p["code"]))
        if q["code"] not in best["quadrants"]:
            best["quadrants"].append(q["code"])
        primary[q["code"]] = best
    primary[t["qby_cell"][PILOT_CELL]["code"]] = points[1]  # pilot: the station post
    order = {q["code"]: k for k, q in enumerate(quadrants)}
    for p in points:
        p["quadrants"].sort(key=order.__getitem__)
    served = {c for p in points for c in p["quadrants"]}
    assert served == set(order), "a quadrant is served by no point"
    for p in points:
        p["phone"] = synthetic_phone(phones, rng, 0)
    assert 15 <= len(points) <= 18, len(points)
    return points, primary


def point_features(points) -> list[dict]:
    feats = []
    for p in points:
        props = {"code": p["code"], "kind": p["kind"],
                 "name_kk": p["name_kk"], "name_ru": p["name_ru"], "name_en": p["name_en"],
                 "address_kk": p["address_kk"], "address_ru": p["address_ru"],
                 "phone": p["phone"], "hours": p["hours"],
                 "services": p["services"], "quadrants": p["quadrants"]}
        feats.append(feature(props, {"type": "Point", "coordinates": list(p["lonlat"])}))
    return feats


# --------------------------------------------------------------------------
# Officers (synthetic)
# --------------------------------------------------------------------------

KK_MALE = ["Нұрлан", "Ержан", "Асқар", "Бауыржан", "Ғалымжан", "Дәурен", "Ерлан", "Жандос", "Қайрат", "Мұрат",
           "Серік", "Талғат", "Айдос", "Нұрсұлтан", "Әділет", "Бекзат", "Дархан", "Ерболат", "Жасұлан", "Мейрам",
           "Нұржан", "Олжас", "Рүстем", "Санжар", "Темірлан", "Шыңғыс", "Ақжол", "Бақытжан", "Азамат", "Арман",
           "Абылай", "Қанат", "Самат", "Ерғали", "Дидар", "Әлішер"]
KK_FEMALE = ["Айгерім", "Гүлнар", "Динара", "Жанар", "Мөлдір", "Әсел", "Ақмарал", "Назерке", "Салтанат",
             "Аружан", "Гүлжан", "Перизат"]
KK_FATHER = ["Асқар", "Болат", "Серік", "Қайрат", "Ержан", "Мұхтар", "Жақсылық", "Төлеген", "Бақыт", "Нұрлан",
             "Сәбит", "Ермек", "Тұрсын", "Дәулет", "Әлібек", "Марат", "Қанат", "Рахым", "Омар", "Ғани"]
KK_SURNAME = ["Сейітов", "Жұмабаев", "Омаров", "Әбдірахманов", "Тұрсынбаев", "Қасымов", "Байжанов", "Есімов",
              "Сәрсенбаев", "Нұрмағанбетов", "Оспанов", "Әлімов", "Бекмұратов", "Ахметов", "Ыбырайымов",
              "Шәріпов", "Құрманов", "Исаев", "Төлеубаев", "Дүйсенов", "Жақыпов", "Мырзахметов", "Әуелбеков",
              "Қожахметов", "Рысқұлов", "Ермеков", "Сапаров", "Тәжібаев", "Үсенов", "Садықов"]
# Shymkent is multi-ethnic (Uzbeks ~16 %, Russians ~6 %): a few Russian-style patronymics
OTHER_NAMES = [
    ("Шерзод", "Алишерович", "Юсупов"), ("Бахтиёр", "Рустамович", "Рахимов"), ("Дилшод", "Ибрагимович", "Каримов"),
    ("Улугбек", "Фарходович", "Ташматов"), ("Фарход", "Рахимович", "Маматов"), ("Евгений", "Сергеевич", "Иванов"),
    ("Андрей", "Викторович", "Ли"), ("Рустам", "Ильдарович", "Сафин"),
]

UIP_RANKS = ["lieutenant", "senior_lieutenant", "senior_lieutenant", "captain", "captain", "major"]
NCO_RANKS = ["sergeant", "senior_sergeant", "sergeant_major"]
RECEPTION_PATTERNS = [
    "Tu,Th 18:00-20:00; Sa 10:00-13:00",
    "Mo,We 18:00-20:00; Sa 10:00-13:00",
    "We,Fr 17:00-19:00; Sa 11:00-14:00",
    "Mo,Th 18:00-20:00; Sa 10:00-12:00",
]
JUVENILE_RECEPTION = "We 15:00-18:00; Sa 10:00-12:00"


def make_name(rng: random.Random, used: set[str]) -> str:
    while True:
        roll = rng.random()
        if roll < 0.08:
            first, patr, sur = rng.choice(OTHER_NAMES)
            name = f"{first} {patr} {sur}"
        elif roll < 0.25:
            name = f"{rng.choice(KK_FEMALE)} {rng.choice(KK_FATHER)}қызы {rng.choice(KK_SURNAME)}а"
        else:
            name = f"{rng.choice(KK_MALE)} {rng.choice(KK_FATHER)}ұлы {rng.choice(KK_SURNAME)}"
        if name not in used:
            used.add(name)
            return name


def build_officers(t, points, primary, rng: random.Random, phones: set[str]):
    quadrants = t["quadrants"]
    names: set[str] = set()
    rows = []

    def officer(name, rank, role, quadrant_codes, point, hours, phone_block):
        rows.append({"name": name, "rank": rank, "role": role,
                     "phone": synthetic_phone(phones, rng, phone_block),
                     "quadrants": ";".join(quadrant_codes), "point": point["code"] if point else "",
                     "reception_hours": hours, "_point": point})

    for k, q in enumerate(quadrants):
        officer(make_name(rng, names), rng.choice(UIP_RANKS), "district_inspector", [q["code"]],
                primary[q["code"]], RECEPTION_PATTERNS[k % len(RECEPTION_PATTERNS)], 1)

    # assistants: two in the pilot quadrant, one in each of the three most populous other quadrants
    pilot_code = "SHY-ALF-Q01"
    busiest = sorted((q for q in quadrants if q["code"] != pilot_code), key=lambda q: (-q["population"], q["code"]))
    for code in [pilot_code, pilot_code] + [q["code"] for q in busiest[:3]]:
        officer(make_name(rng, names), rng.choice(NCO_RANKS), "assistant_inspector", [code], primary[code], "", 2)

    # juvenile inspectors: the quadrants of the station post, of a Karatau and of a Turan district point
    station = points[1]
    krt = next(p for p in points if p["district_point"] and p["quadrant"]["district"] == "K")
    trn = next(p for p in points if p["district_point"] and p["quadrant"]["district"] == "T")
    for p in (station, krt, trn):
        if "juvenile" not in p["services"]:
            p["services"].append("juvenile")
        officer(make_name(rng, names), rng.choice(["senior_lieutenant", "captain"]), "juvenile_inspector",
                p["quadrants"], p, JUVENILE_RECEPTION, 3)

    # duty officers at the department
    for rank in ("captain", "major"):
        officer(make_name(rng, names), rank, "duty_officer", [], points[0], "", 4)

    badges = rng.sample(range(10000, 100000), len(rows))
    for row, b in zip(rows, badges):
        row["badge"] = f"SHY-{b:05d}"

    # consistency: officers' points serve their quadrants; receptions fall within opening hours
    for row in rows:
        p = row["_point"]
        for code in filter(None, row["quadrants"].split(";")):
            assert code in p["quadrants"], (row["badge"], code, p["code"])
        if row["reception_hours"]:
            assert hours_within(row["reception_hours"], p["hours"]), (row["badge"], p["code"])
    return rows


# --------------------------------------------------------------------------
# Agencies (taxonomy §3.1)
# --------------------------------------------------------------------------

AGENCIES = [
    # code, kind, kk, ru, en, phone, website
    ("EMERG_102", "emergency", "102 — Жедел басқару орталығы", "102 — Центр оперативного управления ДП",
     "Police emergency line 102", "102", ""),
    ("EMERG_112", "emergency", "112 / 101 — ТЖД", "112 / 101 — ДЧС г. Шымкент",
     "Unified emergency line 112 / fire 101", "112", ""),
    ("EMERG_103", "emergency", "103 — Жедел жәрдем", "103 — Скорая медицинская помощь", "Ambulance 103", "103", ""),
    ("POL_UIP", "police", "Учаскелік полиция инспекторы", "Участковый инспектор полиции (УИП)",
     "District police inspector", "", ""),
    ("POL_JUV", "police", "Ювеналдық полиция инспекторы", "Инспектор ювенальной полиции (ИЮП)",
     "Juvenile police", "", ""),
    ("POL_PATROL", "police", "Патрульдік полиция", "Патрульная полиция", "Patrol and traffic police", "", ""),
    ("POL_NARC", "police", "Есірткі қылмысына қарсы іс-қимыл басқармасы",
     "Управление по противодействию наркопреступности (УПН)", "Counter-narcotics", "", ""),
    ("POL_MIGR", "police", "Көші-қон қызметі", "Управление миграционной службы", "Migration service", "", ""),
    ("POL_ADMIN", "police", "Әкімшілік полиция", "Отдел административной полиции (ОАП)",
     "Administrative police", "", ""),
    ("POL_OSB", "police", "Өз қауіпсіздігі басқармасы", "Управление собственной безопасности ДП",
     "Police internal security", "", ""),
    ("AKIM_DISTR", "akimat", "Аудан әкімінің аппараты", "Аппарат акима района", "District akim's office", "", ""),
    # Each district's own akim's office: routing.csv sends AKIM_DISTR work in a district to it.
    ("AKIM_ABY", "akimat", "Абай ауданы әкімінің аппараты", "Аппарат акима Абайского района",
     "Abay district akim's office", "", ""),
    ("AKIM_ALF", "akimat", "Әл-Фараби ауданы әкімінің аппараты", "Аппарат акима Аль-Фарабийского района",
     "Al-Farabi district akim's office", "", ""),
    ("AKIM_ENB", "akimat", "Еңбекші ауданы әкімінің аппараты", "Аппарат акима Енбекшинского района",
     "Enbekshi district akim's office", "", ""),
    ("AKIM_KRT", "akimat", "Қаратау ауданы әкімінің аппараты", "Аппарат акима Каратауского района",
     "Karatau district akim's office", "", ""),
    ("AKIM_TRN", "akimat", "Тұран ауданы әкімінің аппараты", "Аппарат акима Туранского района",
     "Turan district akim's office", "", ""),
    ("AKIM_HOUSING", "akimat", "Энергетика және тұрғын үй-коммуналдық шаруашылық басқармасы",
     "Управление энергетики и ЖКХ г. Шымкент", "City housing, utilities and energy department", "", ""),
    ("AKIM_VET", "akimat", "Шымкент қаласының ауыл шаруашылығы және ветеринария басқармасы",
     "Управление сельского хозяйства и ветеринарии г. Шымкент", "City agriculture and veterinary department",
     "", ""),
    ("AKIM_ROADS", "akimat", "Жолаушылар көлігі және автомобиль жолдары басқармасы",
     "Управление пассажирского транспорта и автомобильных дорог", "Roads and passenger transport department",
     "", ""),
    ("AKIM_LAND", "akimat", "Жер қатынастары, сәулет бөлімдері",
     "Отделы земельных отношений, архитектуры; ГАСК", "Land, architecture and building control", "", ""),
    ("EDU", "education", "Білім басқармасы", "Управление образования", "Education department", "", ""),
    ("KDN", "akimat", "Кәмелетке толмағандардың істері және олардың құқықтарын қорғау жөніндегі комиссия",
     "Комиссия по делам несовершеннолетних и защите их прав (КДН)",
     "Commission for minors' affairs and the protection of their rights", "", ""),
    ("HEALTH", "health", "Денсаулық сақтау басқармасы", "Управление здравоохранения",
     "Health department", "", ""),
    ("SOCIAL", "social_protection", "Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы",
     "Управление занятости и социальных программ", "Employment and social programmes department", "", ""),
    ("SANEPID", "health", "Санитариялық-эпидемиологиялық бақылау департаменті",
     "Департамент санитарно-эпидемиологического контроля", "Sanitary-epidemiological control department",
     "", ""),
    ("PROSEC", "prosecutor", "Шымкент қаласының прокуратурасы", "Прокуратура г. Шымкент",
     "Prosecutor's office of Shymkent", "", ""),
    ("GOSCORP", "other", "ХҚКО — «Азаматтарға арналған үкімет» мемлекеттік корпорациясы",
     "ЦОН — НАО «Государственная корпорация „Правительство для граждан“»", "Public service centre (CON)", "", ""),
    ("OSI", "other", "Мүлік иелерінің бірлестігі (МИБ)", "Объединение собственников имущества (ОСИ) / КСК",
     "Condominium owners' association", "", ""),
    ("EOTINISH", "other", "e-Өтініш", "e-Otinish", "National e-appeals system e-Otinish", "",
     "https://eotinish.gov.kz"),
]
AGENCY_KINDS = {"police", "akimat", "education", "health", "social_protection", "prosecutor", "emergency", "other"}


# --------------------------------------------------------------------------

def main() -> int:
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)

    t = build_territories(rng)
    phones: set[str] = set()
    points, primary = build_points(t, rng, phones)
    officers = build_officers(t, points, primary, rng, phones)
    for a in AGENCIES:
        assert a[1] in AGENCY_KINDS, a

    write_feature_collection(OUT / "territories.geojson", territory_features(t))
    write_feature_collection(OUT / "points.geojson", point_features(points))
    write_csv(OUT / "officers.csv",
              ["badge", "name", "rank", "role", "phone", "quadrants", "point", "reception_hours"],
              [{k: v for k, v in row.items() if not k.startswith("_")} for row in officers])
    write_csv(OUT / "agencies.csv",
              ["code", "kind", "name_kk", "name_ru", "name_en", "phone", "email", "website"],
              [{"code": a[0], "kind": a[1], "name_kk": a[2], "name_ru": a[3], "name_en": a[4],
                "phone": a[5], "email": "", "website": a[6]} for a in AGENCIES])

    # summary
    quadrants = t["quadrants"]
    print(f"wrote {OUT.relative_to(ROOT)}/: territories.geojson, points.geojson, officers.csv, agencies.csv")
    print(f"city {CITY['code']}: {len(quadrants)} quadrants, ~{t['city_area_km2']:.0f} km² (illustrative), "
          f"population {sum(q['population'] for q in quadrants):,}")
    for d in DISTRICT_ORDER:
        qs = [q for q in quadrants if q["district"] == d]
        dps = [p for p in points if p["quadrant"]["district"] == d]
        print(f"  {DISTRICTS[d]['code']:8} {len(qs):3} quadrants  ~{sum(q['area_km2'] for q in qs):6.1f} km²  "
              f"population {sum(q['population'] for q in qs):>9,}  points {len(dps)}")
    pilot = t["qby_cell"][PILOT_CELL]
    print(f"pilot {pilot['code']}: station {STATION[1]}, {STATION[0]} inside: "
          f"{point_in_ring(STATION, pilot['ring'])}; area ~{pilot['area_km2']:.1f} km², "
          f"population {pilot['population']:,} (illustrative)")
    print(f"points: {len(points)} ("
          + ", ".join(f"{k} {sum(p['kind'] == k for p in points)}"
                      for k in ("department", "modular_post", "district_point")) + ")")
    roles: dict[str, int] = {}
    for row in officers:
        roles[row["role"]] = roles.get(row["role"], 0) + 1
    print(f"officers: {len(officers)} (" + ", ".join(f"{k} {v}" for k, v in roles.items()) + ")")
    print(f"agencies: {len(AGENCIES)}")
    named = sum(1 for q in quadrants if not q["name_en"].startswith("Quadrant "))
    print(f"quadrants named after places: {named} of {len(quadrants)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
