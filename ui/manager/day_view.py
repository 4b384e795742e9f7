"""The day view: one day on the shop's clock at this till, as three charts (QtCharts from
the Qt add-ons): sales and returns by hour, sales by cashier, and what each tender took, with
the exact totals written under each chart.  Left/Right (or the buttons) go a day back or on;
T comes back to today.  A till without QtCharts shows the totals alone and says why."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from babel.dates import format_date

from local_db.journal_search import DayFigures
from pos.i18n import _
from pos.money import Money
from ui.dialogs import big_button
from ui.errors import show_problem
from ui.manager.common import Desk, tender_name
from ui.manager.search_form import start_of
from ui.message_area import MessageArea
from ui.qt import QGridLayout, QHBoxLayout, QKeyEvent, QLabel, QPainter, Qt, QVBoxLayout, QWidget, qconnect, qt_charts

SALES_COLOUR, RETURNS_COLOUR = "#1f7a3a", "#b42318"
TENDER_COLOURS = ("#1f6feb", "#1f7a3a", "#8a4b00", "#6b3fa0", "#5a6270")


def charts_module() -> Any | None:
    try:
        return qt_charts()
    except ImportError:
        return None


def _height(amount: Money) -> float:
    """A bar's height: drawing only (every figure a person reads is the exact Decimal below the chart)."""
    return float(amount.amount)


class DayViewPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayViewPage")
        self.desk = desk
        self.day: date = datetime.now(desk.zone).date()
        self.figures: DayFigures | None = None
        self.charts = charts_module()
        self.title = QLabel("", self)
        self.title.setObjectName("sectionTitle")
        back = big_button(_("←  Day before"), self)
        on = big_button(_("Day after  →"), self)
        today = big_button(_("T  Today"), self)
        qconnect(back.clicked, lambda: self.go(-1))
        qconnect(on.clicked, lambda: self.go(1))
        qconnect(today.clicked, self.today)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        for button in (back, on, today):
            header.addWidget(button)
        self.views: dict[str, QWidget] = {}
        self.totals: dict[str, QLabel] = {}
        grid = QGridLayout()
        for name, row, col, span in (("hours", 0, 0, 2), ("cashiers", 2, 0, 1), ("tenders", 2, 1, 1)):
            view = self._view(name)
            total = QLabel("", self)
            total.setObjectName(f"{name}Totals")
            total.setWordWrap(True)
            self.views[name], self.totals[name] = view, total
            grid.addWidget(view, row, col, 1, span)
            grid.addWidget(total, row + 1, col, 1, span)
        grid.setRowStretch(0, 5)
        grid.setRowStretch(2, 4)
        self.message = MessageArea(self)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(header)
        column.addLayout(grid, 1)
        column.addWidget(self.message)
        if self.charts is None:
            self.message.show_notice(_("Charts are not available on this till (QtCharts is not installed): "
                                       "the totals are below."))
        self.loaded = False

    def _view(self, name: str) -> QWidget:
        if self.charts is None:
            return QLabel("", self)
        view = self.charts.QChartView(self)
        view.setObjectName(f"{name}Chart")
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(150)
        return view  # type: ignore[no-any-return]

    # -- the day ---------------------------------------------------------------------------
    def go(self, days: int) -> None:
        self.day += timedelta(days=days)
        self.refresh()

    def today(self) -> None:
        self.day = datetime.now(self.desk.zone).date()
        self.refresh()

    def refresh(self) -> None:
        desk, day = self.desk, self.day
        self.title.setText(_("Day view: {day}").format(day=format_date(day, "full", locale=desk.ui_locale or "en")))
        since, until = start_of(day, desk.zone), start_of(day + timedelta(days=1), desk.zone)
        search = desk.search
        desk.session.query(lambda _t, _j: search.day_figures(since, until, desk.zone)).success(self._show).failure(
            lambda error: show_problem(self.message, error)).run()

    def _show(self, figures: DayFigures) -> None:
        self.figures = figures
        m = self.desk.money
        self.totals["hours"].setText(_("{count} sales · {sales} · returns {returns} ({returns_count}) · net {net}").format(
            count=figures.sales_count, sales=m(figures.sales), returns=m(figures.returns),
            returns_count=figures.returns_count, net=m(figures.net)))
        self.totals["cashiers"].setText(" · ".join(
            _("{name}: {count} sales, {sales}").format(name=c.name, count=c.sales_count, sales=m(c.sales))
            for c in figures.by_cashier) or _("No sales this day."))
        self.totals["tenders"].setText(" · ".join(
            f"{tender_name(t.method)}: {m(t.net)}" for t in figures.by_tender) or _("No payments this day."))
        if not figures.complete:
            self.message.show_notice(_("A very busy day: the figures cover its first documents only."))
        if self.charts is not None:
            self._draw(figures)
        self.loaded = True

    # -- the charts --------------------------------------------------------------------------
    def _chart(self, title: str) -> Any:
        chart = self.charts.QChart()  # type: ignore[union-attr]
        chart.setTitle(title)
        chart.setAnimationOptions(self.charts.QChart.AnimationOption.NoAnimation)  # type: ignore[union-attr]
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        return chart

    def _put(self, name: str, chart: Any) -> None:
        view = self.views[name]
        old = view.chart()  # type: ignore[attr-defined]
        view.setChart(chart)  # type: ignore[attr-defined]
        if old is not None:
            old.deleteLater()

    def _bars(self, name: str, title: str, categories: list[str], series: list[tuple[str, str, list[Money]]],
              horizontal: bool = False) -> None:
        c = self.charts
        assert c is not None
        chart = self._chart(title)
        bars = c.QHorizontalBarSeries() if horizontal else c.QBarSeries()
        top = 0.0
        for label, colour, amounts in series:
            bar_set = c.QBarSet(label)
            bar_set.setColor(colour)
            for amount in amounts:
                bar_set.append(_height(amount))
                top = max(top, _height(amount))
            bars.append(bar_set)
        chart.addSeries(bars)
        names = c.QBarCategoryAxis()
        names.append(categories or [""])
        values = c.QValueAxis()
        values.setRange(0, top * 1.1 if top else 1)
        values.setLabelFormat("%.0f")
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(names)
        bars.attachAxis(values)
        chart.legend().setVisible(len(series) > 1)
        self._put(name, chart)

    def _draw(self, figures: DayFigures) -> None:
        hours = figures.by_hour
        self._bars("hours", _("Sales by hour"), [f"{h.hour:02d}" for h in hours], [
            (_("Sales"), SALES_COLOUR, [h.sales for h in hours]),
            (_("Returns"), RETURNS_COLOUR, [h.returns for h in hours])])
        people = figures.by_cashier
        self._bars("cashiers", _("Sales by cashier"), [p.name for p in people],
                   [(_("Sales"), SALES_COLOUR, [p.sales for p in people])], horizontal=True)
        c = self.charts
        assert c is not None
        chart = self._chart(_("By tender (net)"))
        pie = c.QPieSeries()
        for index, tender in enumerate(t for t in figures.by_tender if t.net.amount > 0):
            piece = pie.append(f"{tender_name(tender.method)} {self.desk.money(tender.net)}", _height(tender.net))
            piece.setColor(TENDER_COLOURS[index % len(TENDER_COLOURS)])
            piece.setLabelVisible(True)
        chart.addSeries(pie)
        chart.legend().setVisible(False)
        self._put("tenders", chart)

    def handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Left:
            self.go(-1)
        elif key == Qt.Key.Key_Right:
            self.go(1)
        elif key == Qt.Key.Key_T:
            self.today()
        else:
            return False
        return True
