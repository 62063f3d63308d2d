from __future__ import annotations

from wtforms import BooleanField, DateField, SelectField
from wtforms.validators import DataRequired

from fieldapp.web.forms import AppForm


class AssignForm(AppForm):
    user_id = SelectField("Asignar a", coerce=int, validators=[DataRequired("Elija a quién.")])
    due_on = DateField("Fecha límite", validators=[DataRequired("Indique la fecha límite.")])


class SectorAssignForm(AssignForm):
    sector_id = SelectField("Sector", coerce=int, validators=[DataRequired("Elija el sector.")])
    include_assigned = BooleanField("Reasignar también los ya asignados")
