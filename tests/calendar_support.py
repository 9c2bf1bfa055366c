"""A plausible 2027 schedule (every statutory holiday named) for calendar tests.

The dates are invented in the shape of a State Council notice; only the names matter to the
check that a year may be official (app.commands.calendar_statutory).
"""
from datetime import date

HOLIDAYS_2027 = [
    ("2027-01-01", "元旦"), ("2027-01-02", "元旦"), ("2027-01-03", "元旦"),
    *((f"2027-02-{d:02d}", "春节") for d in range(6, 13)),
    ("2027-04-03", "清明节"), ("2027-04-04", "清明节"), ("2027-04-05", "清明节"),
    *((f"2027-05-{d:02d}", "劳动节") for d in range(1, 6)),
    ("2027-06-09", "端午节"),
    ("2027-09-15", "中秋节"),
    *((f"2027-10-{d:02d}", "国庆节") for d in range(1, 8)),
]
WORKDAYS_2027 = [("2027-02-14", "春节调休"), ("2027-04-25", "劳动节调休"),
                 ("2027-09-26", "国庆节调休"), ("2027-10-09", "国庆节调休")]


def schedule_csv(holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027, header=True) -> str:
    """The schedule as the import reads it (``date,kind,name`` lines)."""
    lines = ["date,kind,name"] if header else []
    lines += [f"{day},holiday,{name}" for day, name in holidays]
    lines += [f"{day},workday,{name}" for day, name in workdays]
    return "\n".join(lines) + "\n"


def schedule_rows(holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027):
    """The schedule as SetCalendarYearCommand takes it: (holidays, workdays) of (date, name)."""
    return ([(date.fromisoformat(day), name) for day, name in holidays],
            [(date.fromisoformat(day), name) for day, name in workdays])
