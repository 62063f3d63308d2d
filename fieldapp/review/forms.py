from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField
from wtforms.validators import DataRequired


class AssignForm(FlaskForm):
    user_id = SelectField("Asignar a", coerce=int, validators=[DataRequired("Elija a quién.")])
    due_on = DateField("Fecha límite", validators=[DataRequired("Indique la fecha límite.")])


class SectorAssignForm(AssignForm):
    sector_id = SelectField("Sector", coerce=int, validators=[DataRequired("Elija el sector.")])
    include_assigned = BooleanField("Reasignar también los ya asignados")
