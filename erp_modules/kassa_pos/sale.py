"""The Kassa reference on a point-of-sale sale: the sale's id at the till (a UUID), unique."""

from trytond.model import Unique, fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class POSSale(metaclass=PoolMeta):
    __name__ = 'sale.point.sale'

    kassa_reference = fields.Char(
        "Kassa Reference", states={'readonly': Eval('id', -1) >= 0},
        help="The id of the Kassa document this sale came from.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('kassa_reference_unique', Unique(table, table.kassa_reference),
                'kassa_pos.msg_kassa_reference_unique'),
            ]

    @classmethod
    def copy(cls, sales, default=None):
        default = dict(default or {})
        default.setdefault('kassa_reference')
        return super().copy(sales, default=default)
