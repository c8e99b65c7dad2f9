#!/usr/bin/env python3
"""Writes the BIFF8 (Excel 97-2003) fixtures of BIFFReaderTests from invented data.

    pip install xlwt==1.3.0
    python3 Tests/Fixtures/import/make-xls.py

xlwt writes genuine BIFF8 in an OLE2 compound file, as ЭлЖур's exports are; its output is
deterministic, so running this again reproduces the committed files byte for byte. The
people are invented.
"""
import datetime
import os

import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))


def journal():
    book = xlwt.Workbook(encoding="utf-8")
    date = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    stamp = xlwt.easyxf(num_format_str="DD.MM.YYYY HH:MM")
    clock = xlwt.easyxf(num_format_str="HH:MM")
    two = xlwt.easyxf(num_format_str="0.00")

    a = book.add_sheet("7А")
    for c, title in enumerate(["ФИО", "Алгебра", "Геометрия", "Средний балл", "Дата рождения", "Пропуски"]):
        a.write(0, c, title)
    pupils = [
        ("Белкина Арина Олеговна", 5, 4, 4.5, datetime.date(2012, 3, 14), "Н"),
        ("  Гусев Тимофей Ильич  ", 3, 2, 2.75, datetime.date(2011, 12, 1), ""),
        ("Ёлкина Вера", 4, 5, 4.0, datetime.date(2012, 9, 30), "УП"),
    ]
    for r, (name, alg, geo, mean, born, absent) in enumerate(pupils, start=1):
        a.write(r, 0, name)
        a.write(r, 1, alg)
        a.write(r, 2, geo)
        a.write(r, 3, mean, two)
        a.write(r, 4, born, date)
        if absent:
            a.write(r, 5, absent)
    a.write(5, 0, "Итого")
    a.write(5, 1, 12)
    a.write(5, 3, -0.125)
    a.write(5, 4, 1234567.0)
    a.write(6, 0, "Урок")
    a.write(6, 1, datetime.datetime(2025, 9, 1, 8, 30), stamp)
    a.write(6, 2, datetime.time(13, 45), clock)
    a.write(6, 3, 100000)
    a.write(6, 4, 12345678901.0)
    a.write(6, 5, -3)

    b = book.add_sheet("Сводная 7Б")
    b.write(0, 0, "Ученик")
    b.write(0, 1, "I четверть")
    b.write(1, 0, "Фёдорова Юлия")
    b.write(1, 1, 3.6)
    b.write(2, 0, "Щукин Эдуард")
    b.write(2, 2, "н/а")

    book.add_sheet("Пусто")
    book.save(os.path.join(HERE, "journal.xls"))


def eljur():
    """A pupil's journal as ЭлЖур exports it (built from descriptions): the pupil and the class
    above, a header row of dates after the subjects' column, the data from the fourth row."""
    book = xlwt.Workbook(encoding="utf-8")
    s = book.add_sheet("Журнал")
    s.write(0, 0, "Ученик: Белкина Арина Олеговна")
    s.write(1, 0, "Класс: 7А")
    header = ["Предмет", "02.09.2025", "09.09.2025", "16.09.2025", "07.10.2025", "Итог"]
    for c, title in enumerate(header):
        s.write(2, c, title)
    rows = [
        ("Алгебра", [5, "4 5", "Н", ""], 5),
        ("Русский язык", ["", 3, "", "5/Н"], 4),
        ("Физика", ["Б", "", 4, 2], None),
    ]
    for r, (subject, cells, final) in enumerate(rows, start=3):
        s.write(r, 0, subject)
        for c, v in enumerate(cells, start=1):
            if v != "":
                s.write(r, c, v)
        if final is not None:
            s.write(r, 5, final)
    book.save(os.path.join(HERE, "eljur-pupil.xls"))


if __name__ == "__main__":
    journal()
    eljur()
