"""Tiny hand-made store exports, written exactly as the store writes them (quirks included)."""

from __future__ import annotations

from pathlib import Path

MARKET_FILE_HEADER = (
    "id,Покупательская активность,Тип сервиса,Разрешить сообщать,Маркет_актив_6_мес,Маркет_актив_тек_мес,"
    "Длительность,Акционные_покупки,Популярная_категория,Средний_просмотр_категорий_за_визит,"
    "Неоплаченные_продукты_штук_квартал,Ошибка_сервиса,Страниц_за_визит"
)
# Six customers: both labels, both service types (one with the export's typo), both consent values.
MARKET_FILE_ROWS = [
    "1001,Снизилась,премиум,да,3.4,5,121,0.0,Товары для детей,6,2,1,5",
    "1002,Снизилась,стандартт,нет,4.9,3,539,0.14,Домашний текстиль,5,2,1,5",
    "1003,Прежний уровень,стандарт,да,5.5,4,600,0.2,Косметика и аксесуары,3,1,4,12",
    "1004,Прежний уровень,стандарт,да,4.1,4,700,0.25,Кухонная посуда,2,0,3,11",
    "1005,Прежний уровень,премиум,нет,3.9,5,800,0.3,Техника для красоты и здоровья,4,1,2,9",
    "1006,Снизилась,стандарт,да,2.9,3,400,0.95,Мелкая бытовая техника и электроника,1,5,6,3",
]
PERIODS_MONEY = ("препредыдущий_месяц", "предыдущий_месяц", "текущий_месяц")
PERIODS_TIME = ("предыдцщий_месяц", "текущий_месяц")


def store_files(
    *, inactive: bool = False, n_customers: int = 6, outlier_revenue: float | None = None
) -> dict[str, str]:
    """The four exports as text, exactly as the store writes them (quirks included).

    ``inactive``: customer 1001 has zero revenue in the first two months.
    ``n_customers``: past six, the six rows repeat under the next ids (1007, 1008, ...): a revenue
    outlier fence needs at least 20 active customers in a month (``ingest.outliers``).
    ``outlier_revenue``: the last customer's revenue in the current month.
    """
    market_rows = [_with_id(MARKET_FILE_ROWS[n % len(MARKET_FILE_ROWS)], 1001 + n) for n in range(n_customers)]
    ids = [1001 + n for n in range(n_customers)]
    money_rows = []
    for n, customer in enumerate(ids):
        for k, period in enumerate(PERIODS_MONEY):
            revenue = 0.0 if inactive and customer == 1001 and k < 2 else 4000.0 + 100 * n + 10 * k
            if outlier_revenue is not None and customer == ids[-1] and k == 2:
                revenue = outlier_revenue
            money_rows.append(f"{customer},{period},{revenue}")
    time_rows = [f"{c},{p},{10 + n + k}" for n, c in enumerate(ids) for k, p in enumerate(PERIODS_TIME)]
    profit_rows = [f"{c};{3 + n % 3},{n + 10}" for n, c in enumerate(ids)]
    return {
        "market_file.csv": "\n".join([MARKET_FILE_HEADER, *market_rows]) + "\n",
        "market_money.csv": "\n".join(["id,Период,Выручка", *money_rows]) + "\n",
        "market_time.csv": "\n".join(["id,Период,минут", *time_rows]) + "\n",
        "money.csv": "\r\n".join(["id;Прибыль", *profit_rows]) + "\r\n",
    }


def _with_id(row: str, customer: int) -> str:
    return f"{customer},{row.split(',', 1)[1]}"


def write_store(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder
