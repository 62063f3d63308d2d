"""The demo's place and people. The city, colonias, streets and postal codes are real
(Guadalajara, Jalisco); the office code, the companies, the people, their RFCs and every amount
are made up."""

from __future__ import annotations

from dataclasses import dataclass

OFFICE_CODE = "1401"
OFFICE_NAME = "Subdelegación Guadalajara Centro"
OFFICE_STATE = "Jalisco"
OFFICE_TIMEZONE = "America/Mexico_City"
MUNICIPALITY = "Guadalajara"
CEDULA_AUTHORITY = "Subdelegación Guadalajara Centro, IMSS"
FINE_AUTHORITY = "Jefatura de Servicios de Cobranza, Delegación Jalisco, IMSS"
ENFORCEMENT_AUTHORITY = "Oficina para Cobros, Subdelegación Guadalajara Centro, IMSS"
CREDENTIAL_ISSUER = "Lic. Ana María Velasco Ruiz, Titular de la Subdelegación Guadalajara Centro"


@dataclass(frozen=True)
class Colonia:
    name: str
    postal_code: str
    latitude: float  # approximate centre
    longitude: float
    streets: tuple[str, ...]


@dataclass(frozen=True)
class DemoSector:
    code: str
    name: str
    colonias: tuple[Colonia, ...]


# Positions are scattered within ~400 m of each colonia's centre.
COLONIA_RADIUS_DEGREES = 0.004

SECTORS: tuple[DemoSector, ...] = (
    DemoSector("S01", "Centro", (
        Colonia("Zona Centro", "44100", 20.6767, -103.3475,
                ("Av. Juárez", "Calle Pedro Moreno", "Calle Morelos", "Av. 16 de Septiembre",
                 "Calle Independencia", "Calle López Cotilla", "Av. Alcalde")),
        Colonia("Mexicaltzingo", "44180", 20.6695, -103.3530,
                ("Calle Mexicaltzingo", "Calle Colón", "Calle Galeana", "Calle Donato Guerra")),
        Colonia("San Juan de Dios", "44360", 20.6745, -103.3395,
                ("Av. Javier Mina", "Calzada Independencia Sur", "Calle Dionisio Rodríguez",
                 "Calle Gigantes")),
    )),
    DemoSector("S02", "Americana", (
        Colonia("Americana", "44160", 20.6735, -103.3660,
                ("Av. Chapultepec", "Calle Lerdo de Tejada", "Calle Libertad",
                 "Calle Prisciliano Sánchez", "Calle General Coronado", "Calle Marsella")),
        Colonia("Lafayette", "44150", 20.6760, -103.3765,
                ("Av. Hidalgo", "Calle Manuel López Cotilla", "Av. Chapultepec", "Calle Marsella")),
    )),
    DemoSector("S03", "Providencia", (
        Colonia("Providencia", "44630", 20.6950, -103.3880,
                ("Av. Providencia", "Calle Rubén Darío", "Av. Américas", "Calle Pablo Neruda",
                 "Calle Montevideo", "Calle Ottawa")),
    )),
    DemoSector("S04", "Santa Tere", (
        Colonia("Santa Teresita", "44600", 20.6830, -103.3620,
                ("Calle Juan Manuel", "Calle Garibaldi", "Calle Angulo", "Calle Herrera y Cairo",
                 "Av. Federalismo Norte")),
        Colonia("Ladrón de Guevara", "44600", 20.6850, -103.3740,
                ("Calle Justo Sierra", "Calle Lope de Vega", "Av. México",
                 "Calle José Guadalupe Zuno")),
    )),
    DemoSector("S05", "Chapalita", (
        Colonia("Chapalita", "44500", 20.6660, -103.3990,
                ("Av. Guadalupe", "Av. Tepeyac", "Av. de las Rosas", "Av. Niños Héroes")),
        Colonia("Jardines del Bosque", "44520", 20.6595, -103.3870,
                ("Av. Cruz del Sur", "Calle Eclipse", "Calle Nebulosa", "Calle Mercurio")),
    )),
    DemoSector("S06", "Oblatos", (
        Colonia("Oblatos", "44700", 20.6920, -103.3060,
                ("Av. Circunvalación Oblatos", "Calle Juan de Dios Robledo", "Calle Pablo Valdez",
                 "Calle Sierra Morena")),
        Colonia("Santa Cecilia", "44700", 20.6880, -103.2990,
                ("Av. Malecón", "Calle Sierra Nevada", "Calle Monte Olimpo")),
    )),
)

COMPANY_TRADES = (
    "Comercializadora", "Distribuidora", "Constructora", "Transportes", "Panificadora", "Textiles",
    "Manufacturas", "Abarrotes", "Talleres", "Restaurantes", "Impresos", "Muebles", "Calzado",
    "Autopartes", "Laboratorios", "Servicios Integrales", "Refaccionaria", "Tortillería",
)
COMPANY_PLACES = (
    "Tapatía", "Minerva", "Los Arcos", "Colomos", "Río Santiago", "La Perla", "Huentitán",
    "del Bajío", "de Occidente", "Chapultepec", "Agua Azul", "San Juan", "Analco", "Mezquitán",
    "Atemajac", "Tequila", "Chapala", "Altos de Jalisco", "Santa Tere", "Tlaquepaque",
)
COMPANY_FORMS = ("SA de CV", "SA de CV", "S de RL de CV", "SAPI de CV")

GIVEN_NAMES = (
    "José Luis", "María Guadalupe", "Juan Carlos", "Ana Laura", "Miguel Ángel", "Rosa Elena",
    "Francisco Javier", "Patricia", "Jorge", "Verónica", "Ricardo", "Claudia", "Alejandro",
    "Gabriela", "Fernando", "Leticia", "Arturo", "Silvia", "Raúl", "Adriana", "Héctor", "Norma",
)
SURNAMES = (
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
    "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez", "Torres",
    "Díaz", "Gutiérrez", "Ruiz", "Aguilar", "Navarro", "Orozco", "Cervantes", "Ibarra",
    "Castañeda", "Becerra", "Zúñiga", "Velázquez", "Padilla",
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    credential_number: str
    sector_code: str | None = None


DEMO_PASSWORD = "demo-1234"
USERS: tuple[DemoUser, ...] = (
    DemoUser("notificador1", "Juan Carlos Ramírez Ochoa", "notifier", "NOT-1401-0107", "S01"),
    DemoUser("notificador2", "María Fernanda Castillo Rivas", "notifier", "NOT-1401-0112", "S04"),
    DemoUser("ejecutor1", "Roberto Alonso Medina Torres", "executor", "EJE-1401-0031"),
    DemoUser("jefe1", "Laura Patricia Navarro Ibarra", "supervisor", "JEF-1401-0004"),
    DemoUser("admin", "Sergio Iván Gómez Lara", "admin", "ADM-1401-0001"),
)
# Which notifier covers which sectors.
NOTIFIER_SECTORS = {"notificador1": ("S01", "S02", "S03"), "notificador2": ("S04", "S05", "S06")}


# R-CAL-3 (CFF 13): the demo office holds a habilitación of every hour of the demo's days, so
# a newcomer can capture at any hour of their own time zone. A real office records one for a
# real case on its parámetros screen; without one the business-hours rule blocks as always.
DEMO_ENABLEMENT_FOLIO = "HAB-DEMO-1401"
DEMO_ENABLEMENT_SIGNER = "Laura Patricia Navarro Ibarra, jefa de la oficina de cobros (ficticia)"
DEMO_ENABLEMENT_REASON = ("Demostración: habilita todos los días y horas del periodo de prueba "
                          "para que la captura pueda probarse a cualquier hora.")
DEMO_ENABLEMENT_DAYS_BEFORE = 30
DEMO_ENABLEMENT_DAYS_AFTER = 330  # with the 30 before: within the one-year limit
