"""Bar charts drawn as SVG on the server (templates/onboarding/includes/chart.html), no JavaScript.

Each chart is a <figure> whose caption is its title, an SVG (role="img", its own <title>) and the
same figures as a DSFR table, its text alternative (RGAA 1.3: the SVG points to the table with
aria-describedby). Colour is never alone: every bar carries its value in words, and the legend and
the table name each series."""

from dataclasses import dataclass, field

LABEL_WIDTH, BARS_WIDTH, VALUE_WIDTH = 250, 380, 90
BAR, GAP, TOP = 14, 12, 8
# DSFR colours with AA contrast on white.
BLUE, GREEN, GREY, BAND = "#000091", "#18753c", "#666666", "#e3e3fd"


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple  # one per series; None when there is no figure
    band: tuple | None = None  # (low, high): the documents' window, drawn behind the bars


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    colour: str
    text: str
    text_x: int


@dataclass(frozen=True)
class DrawnRow:
    label: str
    label_y: int
    bars: list
    band: tuple | None  # (x, y, width, height)


@dataclass
class Chart:
    id: str
    title: str
    series: list
    rows: list
    headers: list  # the table's column headers, the first one naming the rows
    table: list  # the table's rows, cells as shown
    unit: str = ""
    note: str = ""
    drawn: list = field(default_factory=list)
    width: int = LABEL_WIDTH + BARS_WIDTH + VALUE_WIDTH
    label_x: int = LABEL_WIDTH - 5
    height: int = 0
    summary: str = ""

    @property
    def has_band(self) -> bool:
        return any(row.band for row in self.rows)

    @property
    def band_colour(self) -> str:
        return BAND


def _shown(value, unit: str) -> str:
    if value is None:
        return "—"
    text = f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)
    return f"{text} {unit}".strip()


def bar_chart(chart_id: str, title: str, *, series: list[Series], rows: list[Row], headers: list[str],
              table: list[list], unit: str = "", note: str = "") -> Chart:
    """Lay out horizontal bars, one group per row and one bar per series, on a common scale."""
    chart = Chart(chart_id, title, series, rows, headers, table, unit, note)
    top = max([v for row in rows for v in row.values if v is not None]
              + [row.band[1] for row in rows if row.band] + [1])
    scale = BARS_WIDTH / top
    y = TOP
    for row in rows:
        group = len(series) * BAR
        bars = []
        for index, (value, kind) in enumerate(zip(row.values, series, strict=True)):
            width = round((value or 0) * scale)
            bars.append(Bar(LABEL_WIDTH, y + index * BAR, max(width, 1 if value else 0), kind.colour,
                            _shown(value, unit), LABEL_WIDTH + width + 4))
        band = None
        if row.band:
            low, high = (round(v * scale) for v in row.band)
            band = (LABEL_WIDTH + low, y - 3, max(high - low, 1), group + 6)
        chart.drawn.append(DrawnRow(row.label, y + group // 2 + 4, bars, band))
        y += group + GAP
    chart.height = y + TOP
    chart.summary = f"{title} : graphique en barres, les données sont dans le tableau qui suit."
    return chart
