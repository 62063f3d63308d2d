from __future__ import annotations

from wtforms import DateField, DecimalField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from fieldapp.credits.models import SITUATION_SUBKINDS
from fieldapp.web.forms import AppForm

# One list of "kind:subkind" choices, grouped by kind on the screen.
SITUATION_CHOICES = {f"{kind}:{sub}": label for kind, subs in SITUATION_SUBKINDS.items()
                     for sub, label in subs.items() if sub != "unspecified"}


class SituationForm(AppForm):
    kind = SelectField("Situación", choices=SITUATION_CHOICES,
                       validators=[DataRequired("Elija la situación.")])
    starts_on = DateField("Fecha (pago, presentación o inicio)",
                          validators=[DataRequired("Indique la fecha.")])
    amount = DecimalField("Importe (pagos)", places=2, validators=[
        Optional(), NumberRange(min=0.01, message="El importe debe ser mayor que cero.")])
    reference = StringField("Referencia (recibo, póliza, expediente, oficio)", validators=[
        DataRequired("Escriba la referencia."), Length(max=60)])
    source_document = StringField("Documento de origen", validators=[
        DataRequired("Escriba el documento de origen."), Length(max=200)])


class EndSituationForm(AppForm):
    ends_on = DateField("Fecha de fin", validators=[DataRequired("Indique la fecha de fin.")])
    reason = StringField("Motivo o documento", validators=[
        DataRequired("Escriba el motivo o documento del fin."), Length(max=300)])


class FlagDecisionForm(AppForm):
    action = SelectField("Decisión", choices={
        "keep": "Mantener el crédito como está",
        "recompute": "Recalcular desde sus notificaciones válidas"})
    reason = StringField("Motivo", validators=[DataRequired("Escriba el motivo de la decisión."),
                                               Length(max=300)])


class CreditSearchForm(AppForm):
    class Meta:
        csrf = False

    q = StringField("Número de crédito o RFC", validators=[Optional(), Length(max=20)])


# Estrados (CFF 134 III, 139) -----------------------------------------------------------------

class EstradosAgreementForm(AppForm):
    number = StringField("Número del acuerdo", validators=[
        DataRequired("Escriba el número del acuerdo."),
        Length(max=60, message="El número del acuerdo admite hasta 60 caracteres.")])
    agreed_on = DateField("Fecha del acuerdo", validators=[
        DataRequired("Indique la fecha del acuerdo.")])


class EstradosPublicationForm(AppForm):
    posted_on = DateField("Fijación en los estrados de la subdelegación", validators=[
        DataRequired("Indique la fecha de fijación.")])
    published_on = DateField("Publicación electrónica", validators=[
        DataRequired("Indique la fecha de publicación electrónica.")])


class EstradosRetirementForm(AppForm):
    retired_on = DateField("Fecha de retiro", validators=[
        DataRequired("Indique la fecha de retiro.")])


# Cambio de domicilio (R-NOT-10) ----------------------------------------------------------------

class AcceptProposalForm(AppForm):
    user_id = SelectField("Asignar a", coerce=int, validators=[DataRequired("Elija a quién.")])
    due_on = DateField("Fecha límite", validators=[DataRequired("Indique la fecha límite.")])


class DismissProposalForm(AppForm):
    reason = StringField("Motivo", validators=[
        DataRequired("Escriba el motivo para descartar el domicilio."),
        Length(max=300, message="El motivo admite hasta 300 caracteres.")])
