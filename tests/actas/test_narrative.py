"""One narrative of the facts, for the printed acta and the review page: every field of the
facts contract has a Spanish name; records captured as the phone captures them (a time of entry
for every answer) print and show with no internal key; any text prints, however long."""

from __future__ import annotations

import copy
import dataclasses
import re
import types
import typing
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import render_template

from fieldapp.actas.pdf import acta_pdf, printable
from fieldapp.actas.services import Line, Section, Table, build_acta
from fieldapp.diligences.models import Diligence
from fieldapp.diligences.narrative import FIELD_LABELS, UNKNOWN_FIELD, field_label
from fieldapp.extensions import db
from fieldapp.legal.facts import DiligenceFacts
from tests.actas.conftest import CASES, NOT_LOCATED_FACTS, Office1, form_names, push_case
from tests.actas.test_acta_pdf import one_line, pdftotext
from tests.sync.helpers import make_record

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "capture"
# What an internal key looks like in a text: snake_case words or a dotted path.
INTERNAL_KEY = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z_]+\.(?:\d+\.)*[a-z_]+\b")


def contract_paths(cls: type, prefix: str = "") -> list[str]:
    """Every leaf field of the facts contract, ``*`` for a position in a list."""
    hints = typing.get_type_hints(cls)
    paths = []
    for f in dataclasses.fields(cls):
        hint, path = hints[f.name], prefix + f.name
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            (hint,) = [a for a in typing.get_args(hint) if a is not type(None)]
        args = typing.get_args(hint)
        if typing.get_origin(hint) is tuple and dataclasses.is_dataclass(args[0]):
            paths += contract_paths(args[0], f"{path}.*.")
        elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
            paths += contract_paths(hint, f"{path}.")
        else:
            paths.append(path)
    return paths


def test_every_field_of_the_facts_contract_has_a_spanish_name():
    paths = contract_paths(DiligenceFacts)
    assert len(paths) > 90  # the walk reaches the nested goods, witnesses and custodian
    assert [p for p in paths if p not in FIELD_LABELS] == []
    for path in paths:
        assert not INTERNAL_KEY.search(FIELD_LABELS[path]), path


def test_every_answer_the_capture_form_names_has_a_spanish_name(app):
    names = set()
    # The diligence form's steps are the partials diligence.html includes (not the worklist),
    # rendered: some names are built by Jinja (a witness's, the shared identification fields).
    with app.test_request_context():
        for template in TEMPLATES.glob("_*.html"):
            # The page's own partials, and the shared identification and new-address fields
            # alone (without a prefix; rendered with theirs by the steps that include them).
            if template.name in ("_context.html", "_head.html", "_identification.html",
                                 "_new_address.html"):
                continue
            html = render_template(f"capture/{template.name}")
            names |= set(re.findall(r'name="([^"{}]+)"', html))
    answers = sorted(n for n in names if not n.startswith("ui.")
                     and n not in ("situation", "csrf_token", "theme-color"))  # meta tag
    assert {"attendee.id_type", "seizure.witnesses.1.id_number", "seizure.custodian.id_type",
            "seizure.witnesses.0.refused_to_sign", "seizure.custodian.refused_to_sign"} <= set(answers)
    assert [n for n in answers if field_label(n) == UNKNOWN_FIELD] == []


def test_positions_count_from_one_and_an_unknown_key_is_never_shown():
    assert field_label("seizure.witnesses.1.signed") == "Testigo 2: firma"
    assert field_label("seizure.items[0].category") == "Bien 1: categoría"
    assert field_label("seizure.items.11.seal") == "Bien 12: sello"
    assert field_label("attendee.id_type") == "Tipo de identificación de quien atiende"
    assert field_label("made_up.field") == UNKNOWN_FIELD


def test_printable_keeps_what_the_font_draws_and_marks_the_rest():
    assert printable("Ñuñez “Ávila” — 5 m² ✓") == "Ñuñez “Ávila” — 5 m² ✓"
    assert printable("a\x00b🖥\ufe0fc\u200dd\te") == "a\ufffdb\ufffdcd e"


class _Text(HTMLParser):
    """The text a person reads on a page (no tags, attributes or scripts)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return one_line(" ".join(parser.parts))


@pytest.mark.parametrize("case", CASES)
def test_records_captured_as_the_phone_does_print_and_show_no_internal_key(
        case, client, auth, office1: Office1, tmp_path):
    diligence = push_case(office1, case, phone_entry_times=True)
    entered = diligence.facts["entered_at"]
    assert len(entered) >= 8 and all(k in form_names(diligence.facts) for k in entered)
    auth.login(office1.supervisor.username)
    response = client.get(f"/diligencias/{diligence.id}/acta.pdf")
    assert response.status_code == 200
    acta = one_line(pdftotext(response.data, tmp_path))
    review = page_text(client.get(f"/diligencias/{diligence.id}").get_data(as_text=True))
    for text in (acta, review):
        assert INTERNAL_KEY.findall(text) == []
        assert "Hora de captura de los datos del lugar (R-NOT-9)" in text
        for key in entered:  # each time of entry, named in Spanish, in both places
            assert field_label(key) in text, key
        assert UNKNOWN_FIELD not in text


WORDS = "El vecino declaró que el negocio cerró hace meses ✓ y que nadie volvió 🏚. "


def test_a_10000_character_statement_is_refused_at_push_with_a_field_error(office1: Office1):
    """The phone counts characters too (fieldapp/legal/limits.py); a phone that sends more
    gets the field and the limit in Spanish, and nothing is stored."""
    facts = copy.deepcopy(NOT_LOCATED_FACTS)
    facts["not_located"]["statements"][0]["text"] = (WORDS * 200)[:10_000]
    record = make_record(office1.notifier_assignments[0].id, kind="not_located", facts=facts)
    (result,) = office1.notifier_phone.push_ok([record])["results"]
    assert result["status"] == "rejected"
    assert result["errors"] == [{"field": "facts.not_located.statements[0].text",
                                 "rule": "S-FACTS", "message": "El texto pasa de 2,000 caracteres."}]
    assert db.session.get(Diligence, record["id"]) is None


def test_10000_characters_of_statements_with_emoji_print_over_several_pages(
        client, auth, office1: Office1, tmp_path):
    statements = [{"name": f"Vecino {n} 👷", "text": (WORDS * 30)[:1_990] + f" FIN-{n}"}
                  for n in range(1, 6)]

    def five_long_statements(facts):  # type: ignore[no-untyped-def]
        facts["not_located"]["statements"] = statements

    diligence = push_case(office1, "not_located", change=five_long_statements)
    auth.login(office1.supervisor.username)
    response = client.get(f"/diligencias/{diligence.id}/acta.pdf")
    assert response.status_code == 200
    text = one_line(pdftotext(response.data, tmp_path))
    assert all(f"FIN-{n}" in text for n in range(1, 6))
    assert "nadie volvió \ufffd" in text  # 🏚 is not in the font: a visible mark
    assert "hace meses ✓" in text  # a symbol the font draws prints as typed
    assert "página 4 de" in text
    review = client.get(f"/diligencias/{diligence.id}").get_data(as_text=True)
    assert all(f"FIN-{n}" in review for n in range(1, 6))


def test_a_text_longer_than_a_page_flows_over_pages_instead_of_failing(app, office1: Office1,
                                                                       tmp_path):
    """No limit on the office's own rows or a future field: one label/value row and one table
    cell of 12,000 characters each are cut into continued rows, every word printed."""
    diligence = push_case(office1, "not_located")
    acta = build_acta(diligence)
    long_text = " ".join(f"palabra{n}" for n in range(1_200))  # ~12,000 characters
    section = Section("Prueba de texto largo", (Line("Declaración", long_text),),
                      Table(("Persona", "Manifestó"), (1.0, 4.0), (("Vecina", long_text),)))
    pdf = acta_pdf(dataclasses.replace(acta, sections=(*acta.sections, section)), "http://x/v/1")
    text = one_line(pdftotext(pdf, tmp_path))
    assert text.count("palabra1199") == 2 and text.count("palabra600 ") == 2
    assert "(continúa)" in text
