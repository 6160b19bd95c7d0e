"""Writes survey instruments as XLSForm workbooks (the KoboToolbox/ODK format), for Sakshy's tests and for
analysts who want to edit or deploy the default instrument in KoboToolbox.

    python3 -m venv /tmp/venv-xls && /tmp/venv-xls/bin/pip install openpyxl
    /tmp/venv-xls/bin/python tools/surveys/make_xlsform.py            # from the repository root

writes crates/sakshy-core/src/survey/fixtures/service-model.xlsx from data/surveys/service-model.json (a test
checks that `parse_xlsform` reads it back as the same instrument) and errors.xlsx, a small workbook with known
mistakes whose problems the tests locate by sheet, row and column.

Sakshy's extensions (KoboToolbox ignores them): the survey column `sakshy_role` and the sheet `indices`.
"""

import json
import sys
from pathlib import Path

from openpyxl import Workbook

LANGS = [("kk", "Kazakh (kk)"), ("ru", "Русский (ru)"), ("en", "English (en)")]
FIXTURES = Path("crates/sakshy-core/src/survey/fixtures")


def label_headers(prefix):
    return [f"{prefix}::{name}" for _, name in LANGS]


def texts(text):
    return [text[code] if text else None for code, _ in LANGS]


def sheet(workbook, title, header, rows):
    ws = workbook.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append(row)
    return ws


def survey_type(item):
    kind = item["type"]
    if kind == "quadrant":
        return "select_one quadrant", None
    if kind == "yes_no":
        return "select_one yes_no", None
    if kind == "likert":
        return f"select_one {item['list']}", "likert"
    if kind == "single":
        return f"select_one {item['list']}", None
    if kind == "multiple":
        return f"select_multiple {item['list']}", None
    if kind == "location":
        return "geopoint", None
    return kind, None


def constraint(item):
    if item["type"] == "text":
        return f"string-length(.) <= {item.get('max_chars', 1000)}"
    parts = []
    if "min" in item:
        parts.append(f". >= {item['min']}")
    if "max" in item:
        parts.append(f". <= {item['max']}")
    return " and ".join(parts) or None


def instrument_workbook(instrument):
    wb = Workbook()
    wb.remove(wb.active)
    header = ["type", "name", *label_headers("label"), *label_headers("hint"), "required", "relevant",
              "appearance", "constraint", "sakshy_role"]
    rows = [["start", "start"], ["end", "end"]]
    in_group = False
    for item in instrument["items"]:
        # The trust questions go in a group (without relevance), as analysts often lay them out.
        if item["name"].startswith("trust_") and not in_group:
            rows.append(["begin_group", "trust", *texts({"kk": "Сенім", "ru": "Доверие", "en": "Trust"})])
            in_group = True
        if in_group and not item["name"].startswith("trust_"):
            rows.append(["end_group", "trust"])
            in_group = False
        kind, appearance = survey_type(item)
        rows.append([kind, item["name"], *texts(item["label"]), *texts(item.get("hint")),
                     "yes" if item.get("required") else None, item.get("relevant"), appearance, constraint(item),
                     item.get("role")])
    sheet(wb, "survey", header, rows)

    choices = []
    for list_name, entries in instrument["choice_lists"].items():
        for entry in entries:
            choices.append([list_name, entry["name"], *texts(entry["label"])])
    choices.append(["yes_no", "yes", "Иә", "Да", "Yes"])
    choices.append(["yes_no", "no", "Жоқ", "Нет", "No"])
    # KoboToolbox needs the list to exist; Sakshy offers the city's quadrants instead.
    choices.append(["quadrant", "example", "Мысал", "Пример", "Example"])
    sheet(wb, "choices", ["list_name", "name", *label_headers("label")], choices)

    indices = []
    for index in instrument["indices"]:
        for position, entry in enumerate(index["items"]):
            first = position == 0
            indices.append([index["code"], entry["name"], "yes" if entry.get("reversed") else None,
                            index["min_answered"] if first else None, *(texts(index["label"]) if first else [None] * 3)])
    sheet(wb, "indices", ["index", "item", "reverse", "min_answered", *label_headers("label")], indices)

    sheet(wb, "settings", ["form_title::Kazakh (kk)", "form_title::Русский (ru)", "form_title::English (en)",
                           "form_id", "version", "default_language"],
          [[*texts(instrument["title"]), instrument["code"], instrument["version"], "Kazakh (kk)"]])
    return wb


def errors_workbook():
    """A small form with known mistakes; the tests assert each problem's sheet, row and column."""
    wb = Workbook()
    wb.remove(wb.active)
    header = ["type", "name", "label::Kazakh (kk)", "label::Русский (ru)", "label::English (en)", "relevant"]
    sheet(wb, "survey", header, [
        ["select_one yes_no", "victim", "Құрбан болдыңыз ба?", "Были ли вы жертвой?", "Were you a victim?"],  # row 2
        ["calculate", "score", "Балл", "Балл", "Score"],  # row 3: unsupported type
        ["select_one yes_no", "reported", "Хабарладыңыз ба?", "Сообщили?", "Reported?", "${later} = 'yes'"],  # row 4
        ["integer", "later", "Кейін", None, "Later"],  # row 5: Russian label missing
        ["select_one_from_file towns.csv", "town", "Қала", "Город", "Town"],  # row 6: unsupported type
        ["text", "remark", "Ескерту", "Замечание", "Remark", "${victim} = "],  # row 7: relevance does not parse
    ])
    sheet(wb, "choices", ["list_name", "name", "label::Kazakh (kk)", "label::Русский (ru)", "label::English (en)"], [
        ["yes_no", "yes", "Иә", "Да", "Yes"],
        ["yes_no", "no", "Жоқ", "Нет", "No"],
    ])
    sheet(wb, "settings", ["form_title::kk", "form_title::ru", "form_title::en", "form_id", "version"],
          [["Қате", "Ошибка", "Broken", "broken", "1"]])
    return wb


def main():
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data/surveys/service-model.json")
    instrument = json.loads(source.read_text(encoding="utf-8"))
    FIXTURES.mkdir(parents=True, exist_ok=True)
    instrument_workbook(instrument).save(FIXTURES / "service-model.xlsx")
    errors_workbook().save(FIXTURES / "errors.xlsx")


if __name__ == "__main__":
    main()
