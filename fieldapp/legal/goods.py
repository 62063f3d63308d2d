"""Categories of goods an executor may record in an embargo (CFF 155, 157).

Each seizable category sits in one fraction of CFF 155 (R-PAE-4: the attendee designates in
the order I → IV). Exempt categories are those of CFF 157 (R-PAE-6): never seizable. The
catalogue ships in the legal pack, so the phone offers and judges the same list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Fraction = Literal["I", "II", "III", "IV"]
FRACTION_ORDER: dict[str, int] = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass(frozen=True)
class ItemCategory:
    label: str
    fraction: Fraction | None = None  # CFF 155 fraction; None when exempt
    exempt_basis: str | None = None  # CFF 157 fraction when the category is never seizable
    sealable: bool = False  # a physical good that carries a seal label (R-PAE-8)
    bank_deposit: bool = False  # seized only up to the amount secured (R-PAE-7)
    seizable_with_whole_business: bool = False  # CFF 157 IV: with the business in its totality

    @property
    def exempt(self) -> bool:
        return self.exempt_basis is not None


ITEM_CATEGORIES: dict[str, ItemCategory] = {
    # CFF 155 I
    "cash": ItemCategory("Dinero en efectivo", "I", sealable=True),
    "precious_metals": ItemCategory("Metales preciosos y alhajas", "I", sealable=True),
    "bank_deposit": ItemCategory("Depósitos bancarios", "I", bank_deposit=True),
    "insurance_savings": ItemCategory("Componente de ahorro de seguros de vida", "I"),
    # CFF 155 II
    "shares": ItemCategory("Acciones", "II"),
    "bonds": ItemCategory("Bonos y títulos de crédito", "II"),
    "coupons": ItemCategory("Cupones vencidos", "II"),
    "receivables": ItemCategory("Créditos de inmediato y fácil cobro", "II"),
    # CFF 155 III
    "vehicle": ItemCategory("Vehículo", "III", sealable=True),
    "inventory": ItemCategory("Mercancías e inventario", "III", sealable=True),
    "office_equipment": ItemCategory("Mobiliario y equipo de oficina", "III", sealable=True),
    "electronics": ItemCategory("Equipo electrónico", "III", sealable=True),
    "other_movable": ItemCategory("Otros bienes muebles", "III", sealable=True),
    # CFF 155 IV
    "real_estate": ItemCategory("Bien inmueble", "IV"),
    # CFF 157 (never seizable)
    "bed_and_clothing": ItemCategory("Lecho cotidiano y vestidos", exempt_basis="CFF 157 I"),
    "household_furniture": ItemCategory("Muebles de uso indispensable, no de lujo",
                                        exempt_basis="CFF 157 II"),
    "trade_tools": ItemCategory("Instrumentos y útiles indispensables para el oficio",
                                exempt_basis="CFF 157 III"),
    "business_machinery": ItemCategory("Maquinaria, enseres y semovientes de la negociación",
                                       "III", exempt_basis="CFF 157 IV", sealable=True,
                                       seizable_with_whole_business=True),
    "military_equipment": ItemCategory("Armas, vehículos y caballos de militares en servicio",
                                       exempt_basis="CFF 157 V"),
    "uncollected_crops": ItemCategory("Granos no cosechados", exempt_basis="CFF 157 VI"),
    "usufruct_rights": ItemCategory("Derechos de usufructo, uso o habitación",
                                    exempt_basis="CFF 157 VII-VIII"),
    "family_patrimony": ItemCategory("Patrimonio de familia inscrito",
                                     exempt_basis="CFF 157 IX"),
    "salaries": ItemCategory("Sueldos y salarios", exempt_basis="CFF 157 X"),
    "pensions": ItemCategory("Pensiones", exempt_basis="CFF 157 XI"),
    "ejido_land": ItemCategory("Ejidos", exempt_basis="CFF 157 XII"),
    "retirement_savings": ItemCategory("Ahorro para el retiro (AFORE)",
                                       exempt_basis="CFF 157"),
}


def is_exempt(category: ItemCategory, whole_business: bool) -> bool:
    """R-PAE-6: CFF 157 IV lets a business's machinery be seized with the whole business."""
    return category.exempt and not (whole_business and category.seizable_with_whole_business)
