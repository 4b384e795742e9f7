"""A deterministic demo catalog: a drugstore and perfumery chain with a small grocery corner.

``generate_catalog(count, seed)`` yields the same products for the same seed, and the first
products do not depend on ``count``: the stream is simply cut after ``count`` items.  Names
are in Ukrainian (~40%), Azerbaijani (~20%), Georgian (~15%) and English (~25%).  Counted
products have codes from ``100001`` up and valid EAN-13 barcodes with the Ukrainian prefix
482; one item in a hundred (the 51st, 151st, ...) is weighed: a 5-digit PLU from ``20001``
up as its code, no barcode, a price per kilogram.  Pure Python: fast enough to make a
million items in a few seconds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from pos.barcode import with_check_digit
from pos.catalog import Product, VatRate
from pos.money import Money

VAT_A = VatRate("A", Decimal("20"))
VAT_B = VatRate("B", Decimal("7"))
VAT_E = VatRate("E", Decimal("0"))
DEMO_VAT_RATES: tuple[VatRate, ...] = (VAT_A, VAT_B, VAT_E)

FIRST_CODE = 100001
FIRST_PLU = 20001
LAST_PLU = 99999
WEIGHED_EVERY = 100  # item i is weighed when i % 100 == 50
LANGUAGES = ("uk", "az", "ka", "en")
LANGUAGE_SHARES = (0.40, 0.60, 0.75, 1.00)  # cumulative: 40% uk, 20% az, 15% ka, 25% en

# rough exchange rates from the UAH price lists, for demo stores in other countries
_PRICE_FACTORS = {"UAH": "1", "AZN": "0.041", "GEL": "0.066", "EUR": "0.022", "USD": "0.024", "PLN": "0.095"}
_ENDINGS = (0, 0, 50, 90, 99, 99, 49)  # kopiyky: shelf prices end like real ones

_UNITS = {  # unit words per language: millilitre, gram, litre
    "ml": ("мл", "ml", "მლ", "ml"),
    "g": ("г", "q", "გ", "g"),
    "l": ("л", "l", "ლ", "l"),
}


@dataclass(frozen=True, slots=True)
class Group:
    """Products that share brands, qualifiers, sizes and a price range."""

    category: str
    vat: VatRate
    kinds: tuple[tuple[str, str, str, str], ...]  # the product noun in uk, az, ka, en
    qualifiers: tuple[tuple[str, str, str, str], ...]
    brands: tuple[str, ...]
    sizes: tuple[tuple[str, str], ...]  # (number, unit key or "" for a literal)
    price_uah: tuple[int, int]


GROUPS: tuple[Group, ...] = (
    Group(
        "Hair care", VAT_A,
        (("Шампунь", "Şampun", "შამპუნი", "Shampoo"), ("Бальзам", "Balzam", "ბალზამი", "Conditioner"),
         ("Маска для волосся", "Saç maskası", "თმის ნიღაბი", "Hair mask"), ("Фарба для волосся", "Saç boyası", "თმის საღებავი", "Hair colour")),
        (("для сухого волосся", "quru saçlar üçün", "მშრალი თმისთვის", "for dry hair"),
         ("проти лупи", "kəpəyə qarşı", "ქერტლის საწინააღმდეგო", "anti-dandruff"),
         ("з аргановою олією", "argan yağı ilə", "არგანის ზეთით", "with argan oil"),
         ("для фарбованого волосся", "boyanmış saçlar üçün", "შეღებილი თმისთვის", "for coloured hair"),
         ("Herbal", "Herbal", "ჰერბალ", "Herbal")),
        ("Garnier Fructis", "Schwarzkopf", "Pantene", "Head & Shoulders", "Elseve", "Чиста Лінія", "Herbal Essences", "Dove"),
        (("200", "ml"), ("250", "ml"), ("400", "ml"), ("500", "ml")), (45, 420),
    ),
    Group(
        "Skin care", VAT_A,
        (("Крем для обличчя", "Üz kremi", "სახის კრემი", "Face cream"), ("Крем для рук", "Əl kremi", "ხელის კრემი", "Hand cream"),
         ("Сироватка", "Serum", "შრატი", "Serum"), ("Міцелярна вода", "Misellyar su", "მიცელარული წყალი", "Micellar water")),
        (("зволожувальний", "nəmləndirici", "დამატენიანებელი", "moisturising"),
         ("для чутливої шкіри", "həssas dəri üçün", "მგრძნობიარე კანისთვის", "for sensitive skin"),
         ("з алое вера", "aloe vera ilə", "ალოე ვერათი", "with aloe vera"),
         ("нічний", "gecə", "ღამის", "night"), ("SPF 30", "SPF 30", "SPF 30", "SPF 30")),
        ("Nivea", "Garnier", "La Roche-Posay", "Vichy", "Bioderma", "Біокон", "Eveline", "L'Oréal Paris"),
        (("50", "ml"), ("75", "ml"), ("100", "ml"), ("200", "ml")), (55, 1250),
    ),
    Group(
        "Body and bath", VAT_A,
        (("Гель для душу", "Duş geli", "შხაპის გელი", "Shower gel"), ("Мило", "Sabun", "საპონი", "Soap"),
         ("Дезодорант", "Dezodorant", "დეზოდორანტი", "Deodorant"), ("Зубна паста", "Diş pastası", "კბილის პასტა", "Toothpaste")),
        (("свіжість", "təravət", "სიახლე", "fresh"), ("кокос", "kokos", "ქოქოსი", "coconut"),
         ("лаванда", "lavanda", "ლავანდა", "lavender"), ("для чоловіків", "kişilər üçün", "მამაკაცებისთვის", "men"),
         ("відбілювальна", "ağardıcı", "მათეთრებელი", "whitening")),
        ("Palmolive", "Dove", "Rexona", "Colgate", "Blend-a-med", "Fa", "Nivea Men", "Safeguard"),
        (("90", "g"), ("150", "ml"), ("250", "ml"), ("500", "ml")), (25, 260),
    ),
    Group(
        "Perfume", VAT_A,
        (("Туалетна вода", "Tualet suyu", "ტუალეტის წყალი", "Eau de toilette"),
         ("Парфумована вода", "Ətir suyu", "პარფიუმერიული წყალი", "Eau de parfum")),
        (("жіноча", "qadın", "ქალის", "for women"), ("чоловіча", "kişi", "მამაკაცის", "for men"),
         ("Intense", "Intense", "Intense", "Intense"), ("Blue", "Blue", "Blue", "Blue"), ("Rose", "Rose", "Rose", "Rose")),
        ("Chanel", "Dior", "Hugo Boss", "Lacoste", "Versace", "Giorgio Armani", "Lancôme", "Carolina Herrera"),
        (("30", "ml"), ("50", "ml"), ("100", "ml")), (900, 6900),
    ),
    Group(
        "Drugstore", VAT_B,
        (("Вітаміни", "Vitaminlər", "ვიტამინები", "Vitamins"), ("Пластир", "Plastır", "პლასტირი", "Plasters"),
         ("Сироп від кашлю", "Öskürək siropu", "ხველების სიროფი", "Cough syrup"), ("Магній B6", "Maqnezium B6", "მაგნიუმი B6", "Magnesium B6")),
        (("для дітей", "uşaqlar üçün", "ბავშვებისთვის", "for children"), ("форте", "forte", "ფორტე", "forte"),
         ("C 500", "C 500", "C 500", "C 500"), ("D3 2000", "D3 2000", "D3 2000", "D3 2000")),
        ("Фармак", "Дарниця", "Артеріум", "Bayer", "Solgar", "Doppelherz", "Centrum", "Hansaplast"),
        (("№20", ""), ("№30", ""), ("№60", ""), ("100", "ml")), (35, 780),
    ),
    Group(
        "Grocery", VAT_A,
        (("Шоколад", "Şokolad", "შოკოლადი", "Chocolate"), ("Кава мелена", "Üyüdülmüş qəhvə", "დაფქული ყავა", "Ground coffee"),
         ("Вода мінеральна", "Mineral su", "მინერალური წყალი", "Mineral water"), ("Чай чорний", "Qara çay", "შავი ჩაი", "Black tea")),
        (("класичний", "klassik", "კლასიკური", "classic"), ("з горіхами", "qozlu", "თხილით", "with nuts"),
         ("газована", "qazlı", "გაზიანი", "sparkling"), ("бергамот", "berqamot", "ბერგამოტი", "bergamot")),
        ("Roshen", "Milka", "Jacobs", "Lavazza", "Моршинська", "Borjomi", "Sirab", "Azerçay"),
        (("100", "g"), ("250", "g"), ("0,5", "l"), ("1,5", "l")), (19, 350),
    ),
)

WEIGHED = Group(
    "Fruit, vegetables and deli", VAT_E,
    (("Яблука", "Alma", "ვაშლი", "Apples"), ("Банани", "Banan", "ბანანი", "Bananas"), ("Помідори", "Pomidor", "პომიდორი", "Tomatoes"),
     ("Сир твердий", "Pendir", "ყველი", "Cheese"), ("Волоські горіхи", "Qoz", "კაკალი", "Walnuts"), ("Цукерки", "Konfet", "კანფეტი", "Sweets")),
    (("Голден", "Qızıl", "გოლდენი", "Golden"), ("вагові", "çəki ilə", "წონითი", "loose"), ("органічні", "üzvi", "ორგანული", "organic")),
    ("",),
    (("1", "kg"),), (25, 900),
)

_GROUP_SHARES = (0.24, 0.48, 0.66, 0.74, 0.88, 1.00)  # cumulative, parallel to GROUPS


def generate_catalog(count: int, seed: int = 42, currency: str = "UAH") -> Iterator[Product]:
    """The first ``count`` products of the demo catalog for ``seed``."""
    rng = random.Random(seed)
    factor = Decimal(_PRICE_FACTORS.get(currency, "1"))
    counted = 0
    weighed = 0
    for index in range(count):
        if index % WEIGHED_EVERY == WEIGHED_EVERY // 2 and FIRST_PLU + weighed <= LAST_PLU:
            yield _product(rng, WEIGHED, str(FIRST_PLU + weighed), "", factor, currency, by_weight=True)
            weighed += 1
            continue
        group = GROUPS[_pick(rng.random(), _GROUP_SHARES)]
        serial = counted + 1
        body = (serial * 7_919_113 + 104_729) % 1_000_000_000  # a bijection: barcodes never repeat
        barcode = with_check_digit(f"482{body:09d}")
        yield _product(rng, group, str(FIRST_CODE + counted), barcode, factor, currency, by_weight=False)
        counted += 1


def _pick(draw: float, cumulative: tuple[float, ...]) -> int:
    for position, limit in enumerate(cumulative):
        if draw < limit:
            return position
    return len(cumulative) - 1


def _product(
    rng: random.Random, group: Group, code: str, barcode: str, factor: Decimal, currency: str, *, by_weight: bool
) -> Product:
    lang = _pick(rng.random(), LANGUAGE_SHARES)
    kind = rng.choice(group.kinds)[lang]
    qualifier = rng.choice(group.qualifiers)[lang]
    brand = rng.choice(group.brands)
    if by_weight:
        name = f"{kind} {qualifier}"
    else:
        number, unit = rng.choice(group.sizes)
        size = f"{number} {_UNITS[unit][lang]}" if unit else number
        name = f"{kind} {brand} {qualifier} {size}"
    low, high = group.price_uah
    kopiyky = rng.randint(low, high) * 100 + rng.choice(_ENDINGS)
    amount = (Decimal(kopiyky) / 100 * factor).quantize(Decimal("0.01"))
    price = Money(max(amount, Decimal("0.01")), currency)
    return Product(
        code=code, name=name, brand=brand, category=group.category, price=price, vat=group.vat,
        barcode=barcode, sold_by_weight=by_weight,
    )
