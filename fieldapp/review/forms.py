from __future__ import annotations

from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from fieldapp.assignments.models import ASSIGNMENT_KINDS
from fieldapp.web.forms import AppForm


class AssignForm(AppForm):
    user_id = SelectField("Asignar a", coerce=int, validators=[DataRequired("Elija a quién.")])
    due_on = DateField("Fecha límite", validators=[DataRequired("Indique la fecha límite.")])
    # A document's own diligence, or a localización of its debtor (R-NOT-10).
    kind = SelectField("Encargo", choices=ASSIGNMENT_KINDS, default="diligence")


class SectorAssignForm(AssignForm):
    sector_id = SelectField("Sector", coerce=int, validators=[DataRequired("Elija el sector.")])
    include_assigned = BooleanField("Reasignar también los ya asignados")


DECISION_TEXT_MAX = 2000


class DecisionForm(AppForm):
    """One of the office head's decisions on a diligence (diligences.services.decide): the
    text is the observations of a return or a comment, the reason of a rejection, an
    optional note of an approval."""

    action = SelectField("Decisión", choices={"approved": "Aprobar", "returned": "Devolver",
                                              "rejected": "Rechazar", "comment": "Comentar"},
                         validators=[DataRequired("Elija la decisión.")])
    text = TextAreaField("Texto", validators=[Length(max=DECISION_TEXT_MAX,
                                                     message="El texto es demasiado largo "
                                                             f"(máximo {DECISION_TEXT_MAX} caracteres).")])
