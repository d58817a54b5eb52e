"""Random but realistic ICAO 9303 machine-readable-zone text (TD1, TD2, TD3, MRV-A, MRV-B).

Also `random_lines` (uniform characters with some filler runs) used to balance the training classes.
"""
from __future__ import annotations

import random

ALPHABET = "<0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = DIGITS + LETTERS

# Issuing states / nationalities (ICAO codes; Germany is "D<<").
STATES = ["NOR"] * 12 + ["SWE"] * 3 + ["DNK"] * 3 + ["FIN"] * 2 + [
    "ISL", "D<<", "GBR", "POL", "LTU", "LVA", "EST", "NLD", "BEL", "FRA", "ESP", "ITA", "PRT", "ROU", "BGR",
    "UKR", "RUS", "SYR", "AFG", "ERI", "SOM", "IRQ", "IRN", "PAK", "IND", "CHN", "PHL", "THA", "VNM", "USA",
    "CAN", "BRA", "TUR", "ETH", "XXA", "UTO", "CZE", "SVK", "HUN", "HRV", "SRB", "BIH", "GRC", "AUT", "CHE",
    "IRL", "MEX", "COL", "NGA", "KEN", "MAR", "EGY", "JPN", "KOR", "AUS", "NZL", "ZAF", "XXB"]

SURNAMES = """NORDMANN HANSEN JOHANSEN OLSEN LARSEN ANDERSEN PEDERSEN NILSEN KRISTIANSEN JENSEN KARLSEN JOHNSEN
PETTERSEN ERIKSEN BERG HAUGEN HAGEN JOHANNESSEN ANDREASSEN JACOBSEN DAHL JORGENSEN HALVORSEN HENRIKSEN LUND
SORENSEN JAKOBSEN GUNDERSEN MOEN IVERSEN STRAND SOLBERG SVENDSEN EIDE KNUTSEN MARTINSEN PAULSEN BAKKEN
KRISTOFFERSEN MATHISEN LIE AMUNDSEN NGUYEN RASMUSSEN LUNDE SOLHEIM BERGE MOE NYGAARD BAKKE KRISTENSEN FREDRIKSEN
HOLM LIEN ANDERSSON KARLSSON NIELSEN KOWALSKI NOWAK WISNIEWSKI KAZLAUSKAS AHMED MOHAMED ALI HASSAN HUSSEIN
OEDEGAARD AASEN BJOERNSTAD HAALAND MUELLER SCHMIDT SCHNEIDER FISCHER WEBER SMITH JONES WILLIAMS BROWN TAYLOR
GARCIA MARTINEZ RODRIGUEZ LOPEZ ROSSI RUSSO SILVA SANTOS PEREIRA DUBOIS MARTIN BERNARD TANAKA SUZUKI WANG LI
ZHANG LIU CHEN YILMAZ KAYA DEMIR ABDULLAHI OSMAN YUSUF HAJI TESFAYE GEBREMEDHIN KHAN MALIK QURESHI SINGH
PATEL KUMAR SHARMA TRAN PHAM HOANG VO DANG SANTOS REYES CRUZ BAUTISTA IVANOV PETROV SMIRNOVA KOVALENKO
SHEVCHENKO BONDARENKO HORVATH VARGA NAGY POPESCU IONESCU PAPADOPOULOS ERIKSSON VIRTANEN KORHONEN MAKINEN
STORVIK MYKLEBUST FJELLHEIM QVIGSTAD QUIST ZAHL VIK OEVERLAND XU ZHOU EKBERG WIIK JUVKAM SKJAEVELAND
VON<DER<LEYEN DE<LA<CRUZ VAN<DIJK MC<DONALD EL<AMRANI AL<HASSAN""".split()
GIVEN = """KARI OLA ANNE INGER KARIN MARIT INGRID LIV EVA BERIT ASTRID BJORG HILDE ANNA SOLVEIG MARIANNE RANDI IDA
NINA ELLEN JAN PER BJOERN OLE LARS KJELL KNUT SVEIN ARNE THOMAS HANS GEIR ROGER MARTIN ANDREAS JOHN TOR ERIK
JONAS EMMA NORA SOFIE OLIVIA ELLA LEAH FILIP JAKOB LUCAS NOAH OSKAR ISAK AKSEL MAGNUS HENRIK EMIL SANDER
MOHAMMAD FATIMA AISHA OMAR YUSUF IBRAHIM ZAINAB MARIA JOSE JUAN PIOTR AGNIESZKA TOMASZ OKSANA OLEKSANDR
IRYNA DMYTRO MINH LINH THANH HUONG WEI XIAO JING QUANG QUINN ZOE XAVIER YASMIN ZARA VILDE VETLE TUVA
TORBJOERN SIGRID SOELVI AASE OEYSTEIN AUDUN HALLVARD GUNNHILD KJERSTI TRYGVE GRO BAARD JOERGEN""".split()


def char_value(c: str) -> int:
    if c == "<":
        return 0
    if c.isdigit():
        return int(c)
    return ord(c) - ord("A") + 10


def check_digit(s: str) -> str:
    w = (7, 3, 1)
    return str(sum(char_value(c) * w[i % 3] for i, c in enumerate(s)) % 10)


def _name_field(r: random.Random, width: int) -> str:
    sur = r.choice(SURNAMES)
    if r.random() < 0.25:
        sur += "<" + r.choice(SURNAMES)
    given = [r.choice(GIVEN) for _ in range(r.choice([1, 1, 1, 2, 2, 3]))]
    s = sur + "<<" + "<".join(given)
    if r.random() < 0.02:
        s = sur  # no given names
    s = s[:width]  # truncated long names
    return s + "<" * (width - len(s))


def _date(r: random.Random, lo_year: int, hi_year: int) -> str:
    y = r.randint(lo_year, hi_year) % 100
    return f"{y:02d}{r.randint(1, 12):02d}{r.randint(1, 28 if r.random() < 0.9 else 31):02d}"


def _docnum(r: random.Random) -> str:
    k = r.random()
    if k < 0.3:
        s = "".join(r.choice(LETTERS) for _ in range(2)) + "".join(r.choice(DIGITS) for _ in range(7))
    elif k < 0.6:
        s = "".join(r.choice(DIGITS) for _ in range(r.choice([8, 9])))
    elif k < 0.85:
        s = "".join(r.choice(ALNUM) for _ in range(9))
    else:
        s = "".join(r.choice(ALNUM) for _ in range(r.randint(6, 8)))
    return (s + "<" * 9)[:9]


def _optional(r: random.Random, width: int, state: str) -> str:
    k = r.random()
    if state == "NOR" and width >= 11 and k < 0.7:
        s = _date(r, 1930, 2024)[4:6] + _date(r, 1930, 2024)[2:4] + _date(r, 1930, 2024)[:2] + "".join(r.choice(DIGITS) for _ in range(5))
    elif k < 0.45:
        s = ""
    elif k < 0.75:
        s = "".join(r.choice(DIGITS) for _ in range(r.randint(1, width)))
    else:
        s = "".join(r.choice(ALNUM) for _ in range(r.randint(1, width)))
    s = s[:width]
    return s + "<" * (width - len(s))


def _sex(r):
    return r.choice("MMMFFF<X") if r.random() < 0.1 else r.choice("MF")


def mrz_lines(r: random.Random, fmt: str | None = None) -> tuple[str, list[str]]:
    """(format, lines) for one document; formats TD1 (3x30), TD2 (2x36), TD3 (2x44), MRVA (2x44), MRVB (2x36)."""
    fmt = fmt or r.choices(["TD1", "TD2", "TD3", "MRVA", "MRVB"], weights=[4, 1.5, 4, 0.75, 0.75])[0]
    state = r.choice(STATES)
    nat = state if r.random() < 0.8 else r.choice(STATES)
    dob = _date(r, 1925, 2024)
    exp = _date(r, 2015, 2036)
    sex = _sex(r)
    doc = _docnum(r)
    if fmt == "TD1":
        kind = r.choice(["ID", "I<", "IR", "AR", "C<", "ID", "I<"])
        opt1 = _optional(r, 15, state)
        l1 = kind + state + doc + check_digit(doc) + opt1
        opt2 = _optional(r, 11, "X")
        l2 = dob + check_digit(dob) + sex + exp + check_digit(exp) + nat + opt2
        comp = check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
        l2 += comp
        return fmt, [l1, l2, _name_field(r, 30)]
    if fmt in ("TD3", "MRVA"):
        kind = r.choice(["P<", "P<", "P<", "PN", "PD", "PS"]) if fmt == "TD3" else r.choice(["V<", "VN", "VC"])
        l1 = kind + state + _name_field(r, 39)
        if fmt == "TD3":
            opt = _optional(r, 14, state)
            optc = check_digit(opt) if opt.strip("<") else r.choice(["<", "0"])
            l2 = doc + check_digit(doc) + nat + dob + check_digit(dob) + sex + exp + check_digit(exp) + opt + optc
            l2 += check_digit(l2[0:10] + l2[13:20] + l2[21:43])
        else:
            l2 = doc + check_digit(doc) + nat + dob + check_digit(dob) + sex + exp + check_digit(exp) + _optional(r, 16, "X")
        return fmt, [l1, l2]
    # TD2 / MRV-B, 36 characters
    kind = r.choice(["I<", "ID", "IR", "AC"]) if fmt == "TD2" else r.choice(["V<", "VN"])
    l1 = kind + state + _name_field(r, 31)
    if fmt == "TD2":
        l2 = doc + check_digit(doc) + nat + dob + check_digit(dob) + sex + exp + check_digit(exp) + _optional(r, 7, "X")
        l2 += check_digit(l2[0:10] + l2[13:20] + l2[21:35])
    else:
        l2 = doc + check_digit(doc) + nat + dob + check_digit(dob) + sex + exp + check_digit(exp) + _optional(r, 8, "X")
    return fmt, [l1, l2]


def random_lines(r: random.Random) -> tuple[str, list[str]]:
    """Lines of MRZ lengths with uniformly drawn characters (and a few filler runs): class balance."""
    n, k = r.choice([(30, 3), (36, 2), (44, 2)])
    lines = []
    for _ in range(k):
        s = []
        while len(s) < n:
            if r.random() < 0.06:
                s.extend("<" * r.randint(1, 6))
            else:
                s.append(r.choice(ALNUM) if r.random() < 0.95 else "<")
        lines.append("".join(s[:n]))
    return f"RND{n}", lines


if __name__ == "__main__":
    rr = random.Random(1)
    for _ in range(6):
        f, ls = mrz_lines(rr)
        print(f)
        for ln in ls:
            assert len(ln) in (30, 36, 44) and set(ln) <= set(ALPHABET), ln
            print("  " + ln)
