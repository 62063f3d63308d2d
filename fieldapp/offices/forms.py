from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from fieldapp.offices.models import SECTOR_KINDS
from fieldapp.web.forms import AppForm

# The time zones of Mexico (IANA names); an office elsewhere is set with the CLI.
MEXICO_TIMEZONES = {
    "America/Mexico_City": "Centro (Ciudad de México)",
    "America/Monterrey": "Centro (Monterrey)",
    "America/Merida": "Centro (Mérida)",
    "America/Matamoros": "Centro, con horario de verano fronterizo (Matamoros)",
    "America/Cancun": "Sureste (Cancún)",
    "America/Chihuahua": "Centro (Chihuahua)",
    "America/Ciudad_Juarez": "Montaña, fronterizo (Ciudad Juárez)",
    "America/Ojinaga": "Centro, fronterizo (Ojinaga)",
    "America/Mazatlan": "Pacífico (Mazatlán)",
    "America/Hermosillo": "Pacífico sin horario de verano (Hermosillo)",
    "America/Tijuana": "Noroeste (Tijuana)",
    "America/Bahia_Banderas": "Centro (Bahía de Banderas)",
}


class OfficeForm(AppForm):
    name = StringField("Nombre de la subdelegación", validators=[
        DataRequired("Escriba el nombre."), Length(max=120)])
    state = StringField("Entidad", validators=[DataRequired("Escriba la entidad."), Length(max=60)])
    timezone = SelectField("Zona horaria", choices=MEXICO_TIMEZONES)


class SectorForm(AppForm):
    code = StringField("Clave", validators=[DataRequired("Escriba la clave del sector."),
                                            Length(max=20)])
    name = StringField("Nombre", validators=[DataRequired("Escriba el nombre del sector."),
                                             Length(max=120)])
    kind = SelectField("Tipo", choices=SECTOR_KINDS)
    boundary = HiddenField("Polígono")
