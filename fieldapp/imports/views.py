"""The admin's upload page for the emisión (the same import as `fieldapp import-credits`)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, make_response, redirect, render_template, url_for
from sqlalchemy.exc import IntegrityError

from fieldapp.auth.access import allow, signed_in_user
from fieldapp.extensions import db
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
    try:
        summary = import_credit_file(file.read(), actor=me, only_office=me.office, source="upload",
                                     filename=file.filename)
    except ImportRejected as rejected:
        db.session.rollback()
        return _page(form, rejected.problems, 422, rejected.bad_lines)
    except IntegrityError:
        # Someone imported the same credits at the same moment; nothing of this file was kept.
        db.session.rollback()
        problem = RowProblem(1, "otra importación guardó los mismos créditos al mismo tiempo; "
                                "vuelva a importar el archivo.")
        return _page(form, [problem], 409, 1)
    db.session.commit()
    flash(f"Importación terminada. {summary.describe()}", "success")
    return redirect(url_for("imports.upload"))


@bp.route("/plantilla.csv")
@allow("admin")
def template() -> Response:
    response = make_response(template_csv())
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = "attachment; filename=plantilla-emision.csv"
    return response
