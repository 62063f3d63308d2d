"""The admin's upload page for the emisión (the same import as `fieldapp import-credits`)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, make_response, redirect, render_template, url_for

from fieldapp.auth.access import allow, signed_in_user
from fieldapp.imports.forms import CreditImportForm
from fieldapp.imports.rows import COLUMNS, template_csv
from fieldapp.imports.services import ImportRejected, RowProblem, import_credit_file, recent_imports

bp = Blueprint("imports", __name__, url_prefix="/admin/importar")



def _page(form: CreditImportForm, problems: list[RowProblem] | None = None, status: int = 200,
          bad_lines: int = 0) -> tuple[str, int]:
    me = signed_in_user()
    return render_template("imports/upload.html", form=form, problems=problems or [],
                           bad_lines=bad_lines, columns=COLUMNS,
                           recent=recent_imports(me.office_id)), status


@bp.route("/", methods=["GET", "POST"])
@allow("admin")
def upload() -> Response | tuple[str, int]:
    me = signed_in_user()
    form = CreditImportForm()
    if not form.validate_on_submit():
        return _page(form, status=422 if form.is_submitted() else 200)
    file = form.file.data
    # ImportRejected: rows with problems (422), or rows another import saved at the same moment
    # (ImportCollided, 409); nothing of the file is kept, and the page lists each problem.
    with form.taking_refusals():
        summary = import_credit_file(file.read(), actor=me, only_office=me.office, source="upload",
                                     filename=file.filename)
    rejected = form.refused_by
    if isinstance(rejected, ImportRejected):
        return _page(form, rejected.problems, rejected.status, rejected.bad_lines)
    flash(f"Importación terminada. {summary.describe()}", "success")
    return redirect(url_for("imports.upload"))


@bp.route("/plantilla.csv")
@allow("admin")
def template() -> Response:
    response = make_response(template_csv())
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = "attachment; filename=plantilla-emision.csv"
    return response
