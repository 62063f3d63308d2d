"""The recovery report (manual function 000-12): payments recorded on credits in a period,
attributed to the field user and sector of the approved diligence that preceded them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fieldapp.credits.models import CreditSituation
from fieldapp.credits.situations import SituationIn, record_situation
from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from fieldapp.portfolio.models import Credit
from fieldapp.reports.services import RECOVERY_CSV_HEADER, RECOVERY_LOOKBACK_DAYS
from tests.reports.conftest import Work, _document
from tests.reports.test_reports import HTMX, assert_page_and_fragment, rows_of

URL = "/oficina/informes/recuperacion"
MARCH = {"mes": "2026-03"}


def pay(credit: Credit, day: date, amount: str, reference: str) -> CreditSituation:
    situation = record_situation(credit, SituationIn(
        "payment", "partial", day, reference, "Recibo de caja", amount=Decimal(amount)), actor=None)
    db.session.commit()
    return situation


@pytest.fixture
def payments(work: Work) -> dict[str, CreditSituation]:
    """The office head approved ana's notification in person (S1, acta of 10 March) and carla's
    requerimiento (S2, 12 March); beto's refused notification (S2, 11 March) awaits review and
    carla's other requerimiento was rejected."""
    jefa = work.people["jefa"]
    decide(work.diligences["in_person"], "approved", actor=jefa)
    decide(work.diligences["demand"], "approved", actor=jefa)
    db.session.commit()
    demand = work.credit("demand")
    return {
        "before_demand": pay(demand, date(2026, 3, 11), "500.00", "R-1"),
        "after_demand": pay(demand, date(2026, 3, 20), "9020.31", "R-2"),
        "same_day_notification": pay(work.credit("in_person"), date(2026, 3, 10), "1200.50", "R-3"),
        "after_rejected": pay(work.credit("rejected_demand"), date(2026, 3, 25), "1000.00", "R-4"),
        "awaiting_review": pay(work.credit("refused"), date(2026, 3, 31), "300.00", "R-5"),
        "last_day_of_window": pay(demand, date(2026, 3, 12) + timedelta(days=RECOVERY_LOOKBACK_DAYS),
                                  "100.00", "R-6"),
        "past_the_window": pay(demand, date(2026, 3, 13) + timedelta(days=RECOVERY_LOOKBACK_DAYS),
                               "50.00", "R-7"),
    }


@pytest.fixture
def head(client, auth, work: Work):  # type: ignore[no-untyped-def]
    auth.login("jefa")
    return client


def by_reference(response) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    return {row["Referencia"]: row for row in rows_of(response)}


def test_each_payment_counts_for_the_last_approved_diligence_before_it(head, work, payments):
    rows = by_reference(head.get(f"{URL}.csv", query_string=MARCH))
    assert set(rows) == {"R-1", "R-2", "R-3", "R-4", "R-5"}
    after = rows["R-2"]
    assert (after["Usuario"], after["Nombre"], after["Sector"]) == (
        "carla", "Carla Ortiz Paz", "S2 · Americana")
    assert (after["Diligencia previa"], after["Fecha de la diligencia"], after["Folio de la diligencia"]) == (
        "Requerimiento de pago", "2026-03-12", work.diligences["demand"].id)
    assert (after["Fecha de pago"], after["Importe"], after["Tipo de pago"]) == (
        "2026-03-20", "9020.31", "Pago parcial")
    # A diligence on the day of the payment preceded it (a payment has a day, not an hour).
    assert (rows["R-3"]["Usuario"], rows["R-3"]["Sector"]) == ("ana", "S1 · Centro")
    # Before the requerimiento, after a rejected one, or after one still awaiting review: none.
    for reference in ("R-1", "R-4", "R-5"):
        assert rows[reference]["Diligencia previa"] == "Sin diligencia previa", reference
        assert rows[reference]["Usuario"] == rows[reference]["Sector"] == "", reference


def test_the_look_back_window_ends_the_attribution(head, work, payments):
    september = by_reference(head.get(f"{URL}.csv", query_string={"mes": "2026-09"}))
    assert september["R-6"]["Usuario"] == "carla"
    assert september["R-7"]["Diligencia previa"] == "Sin diligencia previa"


def test_totals_per_person_and_sector_with_the_unattributed_line(head, work, payments):
    html, part = assert_page_and_fragment(head, URL, MARCH)
    assert "Del 01 mar 2026 al 31 mar 2026: 5 pagos por $12,020.81." in part
    by_user = part.split('id="recovery-by-user"')[1].split("</table>")[0]
    assert by_user.index("Carla Ortiz Paz") < by_user.index("Ana Ruiz Soto")  # largest first
    assert "$9,020.31" in by_user and "$1,200.50" in by_user
    assert "Sin diligencia previa</td><td class=\"num\">3</td><td class=\"num\">$1,800.00" in by_user
    by_sector = part.split('id="recovery-by-sector"')[1].split("</table>")[0]
    assert "S1 · Centro" in by_sector and "S2 · Americana" in by_sector
    assert "Sin diligencia previa" in by_sector and "$12,020.81" in by_sector
    # Each row links to its credit and to the diligence that preceded the payment.
    demand = work.credit("demand")
    assert f'href="/oficina/creditos/{demand.id}"' in part
    assert f'href="/diligencias/{work.diligences["demand"].id}"' in part
    assert f'href="/diligencias/{work.diligences["rejected_demand"].id}"' not in part


def test_a_period_is_a_month_or_a_range_of_days(head, work, payments):
    middle = by_reference(head.get(f"{URL}.csv", query_string={"desde": "2026-03-11", "hasta": "2026-03-20"}))
    assert set(middle) == {"R-1", "R-2"}
    part = head.get(URL, query_string={"mes": "2026-02"}, headers=HTMX).get_data(as_text=True)
    assert "No hay pagos registrados en este periodo." in part and "Del 01 feb 2026 al 28 feb 2026" in part


@pytest.mark.parametrize(("params", "message"), [
    ({"mes": "2026-13"}, "El mes debe escribirse AAAA-MM"),
    ({"mes": "marzo"}, "El mes debe escribirse AAAA-MM"),
    ({"mes": "2026-03", "desde": "2026-03-01"}, "Elija un mes o un rango de fechas, no ambos."),
    ({"desde": "2026-03-20", "hasta": "2026-03-01"}, "posterior"),
])
def test_a_bad_period_is_explained(head, work, params, message):
    page = head.get(URL, query_string=params)
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    download = head.get(f"{URL}.csv", query_string=params)
    assert download.status_code == 400 and message in download.get_data(as_text=True)


def test_an_office_sees_only_its_own_payments(client, auth, work, payments, factory):
    other = _document(factory, work.other_office, None, None)
    pay(other.credits[0], date(2026, 3, 15), "777.00", "N-1")
    auth.login("jefa")
    assert "N-1" not in by_reference(client.get(f"{URL}.csv", query_string=MARCH))
    auth.login("norte-jefe")
    rows = by_reference(client.get(f"{URL}.csv", query_string=MARCH))
    assert list(rows) == ["N-1"] and rows["N-1"]["Diligencia previa"] == "Sin diligencia previa"


def test_the_csv_has_spanish_headers_and_a_bom_for_spreadsheets(head, work, payments):
    response = head.get(f"{URL}.csv", query_string=MARCH)
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff" + ",".join(RECOVERY_CSV_HEADER) + "\r\n")
    assert "recuperacion-1401-2026-03-01-2026-03-31.csv" in response.headers["Content-Disposition"]
    (row,) = [r for r in rows_of(response) if r["Referencia"] == "R-2"]
    credit = work.credit("demand")
    assert (row["Crédito"], row["Patrón"], row["RFC"]) == (
        credit.credit_number, credit.debtor.legal_name, credit.debtor.rfc)
