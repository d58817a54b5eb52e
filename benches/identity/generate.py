#!/usr/bin/env python3
"""Ground truth for identity-field extraction: synthetic identity documents (no real person) with
known fields, each as a text PDF (hand-written PDF, Helvetica/Courier, WinAnsiEncoding) and as a
300 dpi scan (PIL: DejaVu Sans visual zone, OCR-B MRZ, guilloche, blur, skew, JPEG), plus
truth.jsonl. Deterministic for a given seed. Independent of models/train (own code, own names).

    python3 benches/identity/generate.py OUT_DIR [--count N] [--seed S]

Kinds: TD3 passport (P<), TD1 national ID card (ID / I<, front and back on one page), TD2 card
(I<, 2x36), MRV-A visa (V<, 2x44, no composite check digit), Norwegian/EU driving licence (no MRZ,
numbered fields 1.-9.). MRZ per ICAO 9303: names transliterated (AE OE AA UE, hyphen/space -> <,
truncated to fit), 7-3-1 check digits. Norwegian holders carry a valid fødselsnummer.
"""
import argparse, datetime as dt, io, json, math, os, random, sys, unicodedata

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

REF = dt.date(2026, 12, 1)  # "today" for the generator: fixed, so the output is deterministic
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
OCRB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
DPI = 300
PX = DPI / 25.4          # pixels per mm
PT = 72 / 25.4           # points per mm

# ---------------------------------------------------------------- names (own lists)
NO_SURNAMES = [
    "Sørensen", "Bjørnstad", "Kjærnes", "Sæther", "Næss", "Grønvold", "Løvås", "Åsheim", "Bråten",
    "Østby", "Ødegård", "Strøm", "Haugland", "Rønning", "Bøe", "Håland", "Nygård", "Dæhli",
    "Hansen", "Johansen", "Olsen", "Larsen", "Pedersen", "Nilsen", "Kristiansen", "Berg", "Haugen",
    "Halvorsen", "Lunde", "Solheim", "Myklebust", "Tveit", "Brekke", "Aas", "Vik", "Moe",
    "Fjeldstad", "Ellingsen", "Birkeland", "Gulbrandsen", "Skjærvø", "Kvalø", "Tangen", "Sandvik",
    "Berg-Sørlie", "Haugen Bakke", "Li", "Nguyen", "Ahmed", "Mohamud", "Hussain",
]
NO_GIVEN_F = [
    "Kari", "Ingrid", "Åse", "Sigrid", "Ragnhild", "Solveig", "Gøril", "Marit", "Tone", "Liv",
    "Bjørg", "Sølvi", "Ørnhild", "Kari-Anne", "Anne-Marie", "Mari", "Synnøve", "Hege", "Tuva",
    "Nora", "Emma", "Astrid", "Dagny", "Kjellaug", "Turid", "Wenche", "Åshild", "Hanne", "Sunniva",
]
NO_GIVEN_M = [
    "Ola", "Per", "Knut", "Bjørn", "Øyvind", "Håkon", "Ståle", "Kjell", "Tor", "Lars", "Jens",
    "Hans-Petter", "Jan-Erik", "Ægir", "Ørjan", "Sindre", "Eivind", "Trygve", "Arne", "Gaute",
    "Magnus", "Jørgen", "Steinar", "Sverre", "Torbjørn", "Åsmund", "Even", "Leif", "Nils",
]
FOREIGN = {  # code: (surnames, female given, male given, country, adjective)
    "DEU": (["Müller", "Schröder", "Krüger", "Günther", "Weiß", "Bäcker", "Hoffmann", "Schäfer-Lüdke"],
            ["Anna-Lena", "Käthe", "Sophie", "Ursula", "Brünhilde"],
            ["Jürgen", "Günter", "Lüder", "Karl-Heinz", "Matthias", "Björn"], "GERMANY", "GERMAN"),
    "SWE": (["Öberg", "Åkesson", "Lindström", "Svensson", "Björklund", "Ekström"],
            ["Åsa", "Märta", "Linnéa", "Karin", "Ebba"],
            ["Göran", "Örjan", "Nils-Åke", "Sven", "Pär"], "SWEDEN", "SWEDISH"),
    "DNK": (["Sørensen", "Kjær", "Møller", "Andersen", "Nørgaard"],
            ["Mette", "Søs", "Birthe", "Freja"], ["Søren", "Mads", "Bjarke", "Jørn"], "DENMARK", "DANISH"),
    "POL": (["Kowalski", "Nowak", "Wójcik", "Kaczmarek", "Mazur"],
            ["Agnieszka", "Katarzyna", "Zofia", "Anna-Maria"], ["Piotr", "Tomasz", "Jan", "Krzysztof"],
            "POLAND", "POLISH"),
    "NLD": (["de Vries", "van den Berg", "Jansen", "Bakker", "Visser"],
            ["Sanne", "Femke", "Anouk"], ["Joris", "Sander", "Pieter-Jan"], "NETHERLANDS", "DUTCH"),
    "FRA": (["Dubois", "Lefèvre", "Moreau", "Girard", "Mercier"],
            ["Zoë", "Hélène", "Marie-Claire", "Cécile"], ["Jean-Luc", "François", "Étienne"],
            "FRANCE", "FRENCH"),
    "TUR": (["Öztürk", "Gündüz", "Çelik", "Aydin"],
            ["Müge", "Gül", "Elif"], ["Mehmet", "Ümit", "Emre"], "TURKEY", "TURKISH"),
    "SOM": (["Mohamed", "Abdi", "Warsame", "Hassan"], ["Fadumo", "Hodan", "Amina"],
            ["Abdirahman", "Mahad", "Yusuf"], "SOMALIA", "SOMALI"),
    "IND": (["Sharma", "Patel", "Iyer", "Reddy"], ["Priya", "Ananya", "Lakshmi"],
            ["Rahul", "Arjun", "Vikram"], "INDIA", "INDIAN"),
    "PHL": (["Santos", "Reyes", "dela Cruz", "Bautista"], ["Maria Luisa", "Jasmine", "Rosario"],
            ["Jose", "Mark Anthony", "Ramon"], "PHILIPPINES", "FILIPINO"),
    "GBR": (["O'Brien", "Smith", "Taylor-Wood", "Macdonald"], ["Olivia", "Charlotte", "Emily"],
            ["Oliver", "Harry", "George"], "UNITED KINGDOM", "BRITISH"),
}
NO_PLACES = ["Oslo", "Bergen", "Trondheim", "Tromsø", "Bodø", "Ålesund", "Førde", "Lillehammer",
             "Kristiansand", "Stavanger", "Hønefoss", "Sandnessjøen", "Ås", "Mo i Rana", "Hammerfest"]
FOREIGN_PLACES = {"DEU": "München", "SWE": "Göteborg", "DNK": "Århus", "POL": "Kraków",
                  "NLD": "Utrecht", "FRA": "Orléans", "TUR": "Ankara",
                  "SOM": "Mogadishu", "IND": "Chennai", "PHL": "Quezon City", "GBR": "Leeds"}
MONTHS_NO = ["JAN", "FEB", "MAR", "APR", "MAI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DES"]
MONTHS_EN = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
MONTHS_FR = ["JAN", "FÉV", "MARS", "AVR", "MAI", "JUIN", "JUIL", "AOÛT", "SEPT", "OCT", "NOV", "DÉC"]

# ---------------------------------------------------------------- ICAO 9303
TRANSLIT = {"Æ": "AE", "Ø": "OE", "Å": "AA", "Ü": "UE", "Ä": "AE", "Ö": "OE", "ß": "SS",
            "Þ": "TH", "Ð": "D", "Œ": "OE", "Ñ": "N"}


def icao_fold(s):
    """Upper case, ICAO 9303 transliteration, other diacritics dropped; spaces/hyphens kept."""
    out = []
    for ch in s.upper():
        if ch in TRANSLIT:
            out.append(TRANSLIT[ch])
        else:
            out.append("".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)))
    return "".join(out)


def mrz_name_part(s):
    s = icao_fold(s).replace("'", "")
    s = "".join(c if ("A" <= c <= "Z") else "<" for c in s)
    while "<<" in s:
        s = s.replace("<<", "<")
    return s.strip("<")


def mrz_name(surname, given, length):
    """SURNAME<<GIVEN<NAMES, truncated per ICAO (given names first), padded; and whether cut."""
    s, g = mrz_name_part(surname), mrz_name_part(given)
    full = s + "<<" + g
    cut = len(full) > length
    if cut:
        room = length - len(s) - 2
        full = (s + "<<" + g[:room].rstrip("<")) if room >= 1 else s[:length]
        full = full[:length]
    return full.ljust(length, "<"), cut


def mrz_val(c):
    if c.isdigit():
        return int(c)
    if c == "<":
        return 0
    return ord(c) - 55


def check(s):
    return str(sum(mrz_val(c) * (7, 3, 1)[i % 3] for i, c in enumerate(s)) % 10)


def yymmdd(d):
    return d.strftime("%y%m%d")


def mrz_sex(sex):
    return "<" if sex == "X" else sex


def names_from_mrz(name_field):
    s, _, g = name_field.partition("<<")
    return s.replace("<", " ").strip(), g.replace("<", " ").strip()


def td3(doc_type, state, p, number, nat, expiry, optional):
    l1, cut = mrz_name(p["surname"], p["given"], 39)
    l1 = doc_type.ljust(2, "<") + state + l1
    num = number.ljust(9, "<")
    opt = optional.ljust(14, "<")
    opt_cd = check(opt) if optional else p["rng"].choice("<0")
    a = num + check(num)
    b = yymmdd(p["birth"]) + check(yymmdd(p["birth"]))
    c = yymmdd(expiry) + check(yymmdd(expiry))
    l2 = a + nat + b + mrz_sex(p["sex"]) + c + opt + opt_cd
    l2 += check(a + b + c + opt + opt_cd)
    return [l1, l2], cut, l1[5:]


def td1(doc_type, state, p, number, nat, expiry, optional1, optional2=""):
    num = number.ljust(9, "<")
    o1 = optional1.ljust(15, "<")
    l1 = doc_type.ljust(2, "<") + state + num + check(num) + o1
    b = yymmdd(p["birth"]) + check(yymmdd(p["birth"]))
    c = yymmdd(expiry) + check(yymmdd(expiry))
    o2 = optional2.ljust(11, "<")
    l2 = b + mrz_sex(p["sex"]) + c + nat + o2
    l2 += check(l1[5:30] + b + c + o2)
    l3, cut = mrz_name(p["surname"], p["given"], 30)
    return [l1, l2, l3], cut, l3


def td2(doc_type, state, p, number, nat, expiry, optional):
    l1, cut = mrz_name(p["surname"], p["given"], 31)
    l1 = doc_type.ljust(2, "<") + state + l1
    num = number.ljust(9, "<")
    a = num + check(num)
    b = yymmdd(p["birth"]) + check(yymmdd(p["birth"]))
    c = yymmdd(expiry) + check(yymmdd(expiry))
    o = optional.ljust(7, "<")
    l2 = a + nat + b + mrz_sex(p["sex"]) + c + o
    l2 += check(a + b + c + o)
    return [l1, l2], cut, l1[5:]


def mrva(doc_type, state, p, number, nat, expiry, optional):
    l1, cut = mrz_name(p["surname"], p["given"], 39)
    l1 = doc_type.ljust(2, "<") + state + l1
    num = number.ljust(9, "<")
    l2 = (num + check(num) + nat + yymmdd(p["birth"]) + check(yymmdd(p["birth"]))
          + mrz_sex(p["sex"]) + yymmdd(expiry) + check(yymmdd(expiry)) + optional.ljust(16, "<"))
    return [l1, l2], cut, l1[5:]


# ---------------------------------------------------------------- fødselsnummer
K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def control(digits, weights):
    r = sum(int(d) * w for d, w in zip(digits, weights)) % 11
    k = 11 - r
    return 0 if k == 11 else (None if k == 10 else k)


def individual_ranges(year):
    if 1854 <= year <= 1899:
        return [(500, 749)]
    if 1900 <= year <= 1999:
        return [(0, 499)] + ([(900, 999)] if year >= 1940 else [])
    if 2000 <= year <= 2039:
        return [(500, 999)]
    raise ValueError(year)


def fodselsnummer(rng, birth, sex):
    lo, hi = rng.choice(individual_ranges(birth.year))
    while True:
        ind = rng.randint(lo, hi)
        if (ind % 2 == 1) != (sex == "M"):  # third individual digit: odd male, even female
            continue
        base = birth.strftime("%d%m%y") + f"{ind:03d}"
        k1 = control(base, K1)
        if k1 is None:
            continue
        k2 = control(base + str(k1), K2)
        if k2 is None:
            continue
        return base + str(k1) + str(k2)


# ---------------------------------------------------------------- people and documents
def add_years(d, n):
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def rand_date(rng, a, b):
    return a + dt.timedelta(days=rng.randint(0, (b - a).days))


def person(rng, nat, min_age=0, early=False):
    sex = rng.choice("FM")
    if nat == "NOR":
        surnames, gf, gm = NO_SURNAMES, NO_GIVEN_F, NO_GIVEN_M
    else:
        surnames, gf, gm = FOREIGN[nat][:3]
    if nat != "NOR" and rng.random() < 0.08:
        sex = "X"
    pool = gf if sex == "F" else gm if sex == "M" else gf + gm
    k = min(len(pool), rng.choices([1, 2, 3, 4], [45, 35, 14, 6])[0])
    given = []
    while len(given) < k:
        g = rng.choice(pool)
        if g not in given:
            given.append(g)
    surname = rng.choice(surnames)
    if rng.random() < 0.1 and nat == "NOR":
        surname = surname + "-" + rng.choice([s for s in surnames if " " not in s and "-" not in s])
    if early:
        year = rng.randint(1921, 1926)
    else:
        year = rng.randint(1920, min(2020, REF.year - min_age))
    birth = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))
    return {"rng": rng, "sex": sex, "surname": surname, "given": " ".join(given), "birth": birth,
            "nat": nat}


def validity(rng, birth, years_adult, years_child, min_age=0, expired=False):
    """Issue and expiry dates: expired or valid on REF, issued after birth (+min_age)."""
    earliest = add_years(birth, min_age) + dt.timedelta(days=30)
    for _ in range(100):
        if expired:
            expiry = rand_date(rng, dt.date(2008, 1, 1), REF - dt.timedelta(days=1))
        else:
            expiry = rand_date(rng, REF + dt.timedelta(days=10), add_years(REF, years_adult) - dt.timedelta(days=20))
        yrs = years_adult if expiry.year - birth.year > 18 + years_adult else years_child
        issue = add_years(expiry, -yrs)
        if issue >= earliest and issue <= REF:
            return issue, expiry
    issue = rand_date(rng, earliest, REF) if earliest < REF else REF
    return issue, add_years(issue, years_child)


def fmt_date(rng_style, d, lang="no"):
    if rng_style == "dot":
        return d.strftime("%d.%m.%Y")
    if rng_style == "space":
        return d.strftime("%d %m %Y")
    a = MONTHS_NO[d.month - 1] if lang == "no" else MONTHS_FR[d.month - 1]
    return f"{d.day:02d} {a}/{MONTHS_EN[d.month - 1]} {d.year}"


def alnum(rng, n, letters=2):
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(letters)) + \
        "".join(rng.choice("0123456789") for _ in range(n - letters))


class Layout:
    """Drawing items in mm (y from the top): rendered to a PDF and to a PIL scan."""

    def __init__(self, w, h, tint):
        self.w, self.h, self.tint, self.items = w, h, tint, []

    def text(self, x, y, s, size, kind="value"):  # kind: value | bold | label | mrz | title
        self.items.append(("text", x, y, s, size, kind))

    def photo(self, x, y, w, h):
        self.items.append(("photo", x, y, w, h))

    def panel(self, x, y, w, h, tint):
        self.items.append(("panel", x, y, w, h, tint))


def lbl(L, x, y, s, size=4.6):
    L.text(x, y, s, size, "label")


def passport(rng, idx, L_out):
    nor = rng.random() < 0.6
    nat = "NOR" if nor else rng.choice(list(FOREIGN))
    p = person(rng, nat, early=rng.random() < 0.1)
    issue, expiry = validity(rng, p["birth"], 10, 5, expired=rng.random() < 0.2)
    full9 = rng.random() < 0.35
    fnr = fodselsnummer(rng, p["birth"], p["sex"]) if nor else None
    if nor:
        number = alnum(rng, 9, 2)
        optional = fnr
    else:
        number = alnum(rng, 9 if full9 else rng.choice([8, 9]), rng.choice([1, 2]))
        optional = alnum(rng, 14, 3) if full9 else rng.choice(["", "", alnum(rng, 9, 0)])
    state = "NOR" if nor else ("D<<" if nat == "DEU" else nat)
    mrz, cut, name_field = td3("P", state, p, number, state, expiry, optional)
    style = rng.choice(["dot", "space", "month"])
    lang = "no" if nor else "fr"
    L = Layout(125, 88, rng.choice([(226, 236, 246), (240, 228, 232), (232, 242, 232)]))
    L.panel(0, 0, 125, 9, tuple(max(0, c - 30) for c in L.tint))
    if nor:
        L.text(5, 6, "NORGE  NOREG  NORWAY", 8, "title")
        L.text(80, 6, "PASS  PASSPORT", 8, "title")
    else:
        L.text(5, 6, FOREIGN[nat][3], 8, "title")
        L.text(80, 6, "PASSPORT / PASSEPORT", 8, "title")
    L.photo(5, 13, 30, 40)
    x1, x2, x3 = 40, 62, 88
    T = (lambda no, en: f"{no}/{en}")
    labels = {
        "type": T("Type", "Type") if nor else "Type/Type",
        "cc": T("Landkode", "Country code") if nor else "Code/Country code",
        "no": T("Passnr.", "Passport No.") if nor else "Passport No./N° du passeport",
        "sn": T("Etternavn", "Surname") if nor else "Surname/Nom",
        "gn": T("Fornavn", "Given names") if nor else "Given names/Prénoms",
        "nat": T("Nasjonalitet", "Nationality") if nor else "Nationality/Nationalité",
        "dob": T("Fødselsdato", "Date of birth") if nor else "Date of birth/Date de naissance",
        "pn": T("Personnr.", "Personal No.") if nor else "Personal No./N° personnel",
        "sex": T("Kjønn", "Sex") if nor else "Sex/Sexe",
        "pob": T("Fødested", "Place of birth") if nor else "Place of birth/Lieu de naissance",
        "doi": T("Utstedelsesdato", "Date of issue") if nor else "Date of issue/Date de délivrance",
        "auth": T("Myndighet", "Authority") if nor else "Authority/Autorité",
        "doe": T("Utløpsdato", "Date of expiry") if nor else "Date of expiry/Date d'expiration",
    }
    rows = 13
    lbl(L, x1, rows, labels["type"]); lbl(L, x2, rows, labels["cc"]); lbl(L, x3, rows, labels["no"])
    L.text(x1, rows + 3.6, "P", 8); L.text(x2, rows + 3.6, state.strip("<"), 8); L.text(x3, rows + 3.6, number, 8, "bold")
    y = rows + 7.4
    sex_viz = {"F": "K", "M": "M", "X": "X"}[p["sex"]] if nor else p["sex"]
    for key, val in [("sn", p["surname"].upper()), ("gn", p["given"].upper()),
                     ("nat", "NORSK/NORWEGIAN" if nor else FOREIGN[nat][4])]:
        lbl(L, x1, y, labels[key]); L.text(x1, y + 3.6, val, 8); y += 7.4
    lbl(L, x1, y, labels["dob"]); L.text(x1, y + 3.6, fmt_date(style, p["birth"], lang), 8)
    pers = fnr if nor else (optional if optional and not full9 else None)
    if pers:
        lbl(L, x3, y, labels["pn"]); L.text(x3, y + 3.6, pers, 8)
    y += 7.4
    place = rng.choice(NO_PLACES) if nor else FOREIGN_PLACES[nat]
    lbl(L, x1, y, labels["sex"]); L.text(x1, y + 3.6, sex_viz, 8)
    lbl(L, x2, y, labels["pob"]); L.text(x2, y + 3.6, place.upper(), 8); y += 7.4
    lbl(L, x1, y, labels["doi"]); L.text(x1, y + 3.6, fmt_date(style, issue, lang), 8)
    lbl(L, x3, y, labels["auth"]); L.text(x3, y + 3.6, "POLITIET" if nor else "MINISTRY", 8); y += 7.4
    lbl(L, x1, y, labels["doe"]); L.text(x1, y + 3.6, fmt_date(style, expiry, lang), 8)
    mrz_block(L, mrz, 6.6, 77.0, 5.2)
    return L, p, dict(kind="passport", mrz=mrz, number=number, expiry=expiry, nat=state.strip("<"), fnr=fnr,
                      personal=(fnr if nor else (optional or None)), cut=cut, name_field=name_field,
                      state=state)


def mrz_block(L, lines, x, y_first_baseline, pitch):
    for i, line in enumerate(lines):
        L.text(x, y_first_baseline + i * pitch, line, 12, "mrz")


def national_id(rng, idx):
    nor = rng.random() < 0.55
    nat = "NOR" if nor else rng.choice(["SWE", "DEU", "DNK", "POL", "NLD", "FRA"])
    p = person(rng, nat, early=rng.random() < 0.1)
    issue, expiry = validity(rng, p["birth"], 10, 5, expired=rng.random() < 0.2)
    fnr = fodselsnummer(rng, p["birth"], p["sex"]) if nor else None
    number = alnum(rng, 9, rng.choice([1, 2, 3])) if (nor or rng.random() < 0.6) else alnum(rng, 8, 1)
    state = "NOR" if nor else ("D<<" if nat == "DEU" else nat)
    dtype = "ID" if (nor or rng.random() < 0.5) else "I<"
    opt1 = fnr if nor else rng.choice(["", alnum(rng, 15, 2)])
    mrz, cut, name_field = td1(dtype, state, p, number, state, expiry, opt1,
                               rng.choice(["", alnum(rng, 11, 0)]) if not nor else "")
    style = rng.choice(["dot", "space", "month"])
    lang = "no" if nor else "fr"
    W, H, gap = 85.6, 54.0, 6.0
    L = Layout(W, 2 * H + gap, rng.choice([(236, 228, 244), (226, 240, 240), (244, 238, 224)]))
    L.panel(0, H, W, gap, (255, 255, 255))
    L.text(4, 5, ("NORGE NORWAY  NASJONALT ID-KORT / NATIONAL IDENTITY CARD") if nor
           else f"{FOREIGN[nat][3]}  IDENTITY CARD / CARTE D'IDENTITÉ", 6, "title")
    L.photo(4, 9, 22, 29)
    x, x2 = 29, 57
    rows = [
        ("Etternavn/Surname" if nor else "Surname/Nom", p["surname"].upper(), None, None),
        ("Fornavn/Given names" if nor else "Given names/Prénoms", p["given"].upper(), None, None),
        ("Kjønn/Sex" if nor else "Sex/Sexe", ({"F": "K", "M": "M"}[p["sex"]] if nor else p["sex"]),
         "Nasjonalitet/Nationality" if nor else "Nationality", "NOR" if nor else state.strip("<")),
        ("Fødselsdato/Date of birth" if nor else "Date of birth", fmt_date(style, p["birth"], lang),
         "Personnr./Personal No." if nor else None, fnr),
        ("Dokumentnr./Document No." if nor else "Card No./N° de la carte", number,
         "Utløpsdato/Date of expiry" if nor else "Date of expiry", fmt_date(style, expiry, lang)),
    ]
    y = 9.5
    for la, va, lb, vb in rows:
        lbl(L, x, y, la, 3.9); L.text(x, y + 3.0, va, 6.6)
        if lb and vb:
            lbl(L, x2, y, lb, 3.9); L.text(x2, y + 3.0, vb, 6.6)
        y += 6.6
    by = H + gap
    lbl(L, 4, by + 5, "Utstedt av/Issuing authority" if nor else "Authority/Autorité", 3.9)
    L.text(4, by + 8, "POLITIET" if nor else "MUNICIPALITY", 6.6)
    lbl(L, 45, by + 5, "Utstedelsesdato/Date of issue" if nor else "Date of issue", 3.9)
    L.text(45, by + 8, fmt_date(style, issue, lang), 6.6)
    mrz_block(L, mrz, 4.7, by + 35.5, 5.6)
    return L, p, dict(kind="national_id", mrz=mrz, number=number, expiry=expiry, nat=state.strip("<"),
                      fnr=fnr, personal=None, cut=cut, name_field=name_field, state=state)


def td2_doc(rng, idx):
    nat = rng.choice(["SWE", "DEU", "POL", "FRA", "NLD", "TUR"])
    p = person(rng, nat, early=rng.random() < 0.1)
    issue, expiry = validity(rng, p["birth"], 10, 5, expired=rng.random() < 0.2)
    number = alnum(rng, rng.choice([8, 9, 9]), rng.choice([1, 2]))
    state = "D<<" if nat == "DEU" else nat
    mrz, cut, name_field = td2("I", state, p, number, state, expiry, rng.choice(["", alnum(rng, 7, 0)]))
    style = rng.choice(["dot", "space", "month"])
    L = Layout(105, 74, rng.choice([(230, 236, 226), (238, 230, 240)]))
    L.text(5, 6, f"{FOREIGN[nat][3]}  IDENTITY CARD / CARTE D'IDENTITÉ", 7, "title")
    L.photo(5, 10, 26, 33)
    x, x2 = 35, 70
    y = 10.5
    for la, va, lb, vb in [
        ("Surname/Nom", p["surname"].upper(), None, None),
        ("Given names/Prénoms", p["given"].upper(), None, None),
        ("Nationality/Nationalité", FOREIGN[nat][4], "Sex/Sexe", p["sex"]),
        ("Date of birth/Date de naissance", fmt_date(style, p["birth"], "fr"), "Card No.", number),
        ("Date of issue/Date de délivrance", fmt_date(style, issue, "fr"),
         "Date of expiry/Date d'expiration", fmt_date(style, expiry, "fr")),
    ]:
        lbl(L, x, y, la, 4.2); L.text(x, y + 3.3, va, 7.2)
        if lb:
            lbl(L, x2, y, lb, 4.2); L.text(x2, y + 3.3, vb, 7.2)
        y += 7.2
    mrz_block(L, mrz, 6.8, 62.5, 5.4)
    return L, p, dict(kind="td2", mrz=mrz, number=number, expiry=expiry, nat=state.strip("<"),
                      fnr=None, personal=None, cut=cut, name_field=name_field, state=state)


def visa(rng, idx):
    nat = rng.choice(["IND", "PHL", "TUR", "SOM", "GBR"])
    p = person(rng, nat, min_age=1, early=rng.random() < 0.1)
    expired = rng.random() < 0.25
    if expired:
        until = rand_date(rng, dt.date(2012, 1, 1), REF - dt.timedelta(days=1))
    else:
        until = rand_date(rng, REF + dt.timedelta(days=5), add_years(REF, 2))
    frm = until - dt.timedelta(days=rng.choice([30, 90, 180, 365, 730]))
    number = "NOR" + "".join(rng.choice("0123456789") for _ in range(6))
    optional = rng.choice(["", alnum(rng, 16, 4), alnum(rng, 8, 2)])
    mrz, cut, name_field = mrva("V", "NOR", p, number, nat, until, optional)
    passno = alnum(rng, 8, 1)
    style = rng.choice(["dot", "space", "month"])
    L = Layout(125, 88, rng.choice([(232, 238, 248), (246, 236, 230)]))
    L.text(5, 6, "VISUM  VISA   NORGE / NORWAY", 8, "title")
    L.text(95, 6, number, 9, "bold")
    L.photo(5, 12, 30, 40)
    x, x2 = 40, 84
    y = 12
    for la, va, lb, vb in [
        ("Gyldig for/Valid for", "SCHENGENSTATER", None, None),
        ("Fra/From", fmt_date(style, frm), "Til/Until", fmt_date(style, until)),
        ("Type visum/Type of visa", "C", "Antall innreiser/Number of entries", rng.choice(["1", "2", "MULT"])),
        ("Varighet av opphold/Duration of visit", f"{rng.choice([15, 30, 90])} DAGER/DAYS",
         "Utstedt i/Issued in", "OSLO"),
        ("Den/On", fmt_date(style, frm - dt.timedelta(days=rng.randint(3, 40))), "Passnr./Passport number", passno),
        ("Etternavn, fornavn/Surname, name", f"{p['surname'].upper()}, {p['given'].upper()}", None, None),
        ("Merknader/Remarks", rng.choice(["BESØK/VISIT", "TURIST/TOURIST", "FORRETNING/BUSINESS"]), None, None),
    ]:
        lbl(L, x, y, la); L.text(x, y + 3.6, va, 8)
        if lb:
            lbl(L, x2, y, lb); L.text(x2, y + 3.6, vb, 8)
        y += 8.2
    mrz_block(L, mrz, 6.6, 77.0, 5.2)
    return L, p, dict(kind="visa", mrz=mrz, number=number, expiry=until, nat=nat, fnr=None,
                      personal=None, cut=cut, name_field=name_field, state="NOR")


def licence(rng, idx):
    country = rng.choices(["NOR", "SWE", "DEU"], [75, 13, 12])[0]
    p = person(rng, country, min_age=18, early=rng.random() < 0.1)
    if p["sex"] == "X":
        p["sex"] = "F"
    issue, expiry = validity(rng, p["birth"], 15, 15, min_age=18, expired=rng.random() < 0.2)
    if issue < add_years(p["birth"], 18):
        issue = add_years(p["birth"], 18)
        expiry = add_years(issue, 15)
    if country == "NOR" and add_years(p["birth"], 75) < expiry:  # over 75: shorter licences
        expiry = max(add_years(issue, rng.choice([1, 2, 3, 5])), issue + dt.timedelta(days=90))
    fnr = fodselsnummer(rng, p["birth"], p["sex"]) if country == "NOR" else None
    digits = "".join(rng.choice("0123456789") for _ in range(11))
    digits = digits[:2] + str(rng.randint(13, 40)) + digits[4:]  # never a date: not a fødselsnummer
    if country == "NOR":
        number = digits
        shown = rng.choice([f"{digits[:2]} {digits[2:8]} {digits[8:10]} {digits[10]}", digits])
    elif country == "SWE":
        number = digits[:8]
        shown = number
    else:
        number = "B" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(9)) + "1"
        shown = number
    place = rng.choice(NO_PLACES) if country == "NOR" else FOREIGN_PLACES[country]
    upper = rng.random() < 0.5
    sn = p["surname"].upper() if upper else p["surname"]
    gn = p["given"].upper() if upper else p["given"]
    L = Layout(85.6, 54, rng.choice([(244, 226, 232), (240, 232, 236), (236, 236, 244)]))
    title = {"NOR": "FØRERKORT   NORGE", "SWE": "KÖRKORT   SVERIGE", "DEU": "FÜHRERSCHEIN   BUNDESREPUBLIK DEUTSCHLAND"}
    L.panel(3, 3, 10, 7, (40, 60, 150))
    L.text(5.4, 8, {"NOR": "N", "SWE": "S", "DEU": "D"}[country], 9, "bold")
    L.text(16, 7.5, title[country], 7, "title")
    L.photo(3, 12, 23, 30)
    x = 29
    auth = {"NOR": "Statens vegvesen", "SWE": "Transportstyrelsen", "DEU": "Stadt Köln"}[country]
    cats = " ".join(rng.sample(["AM", "A1", "A", "B", "BE", "C1", "C1E", "T"], rng.randint(1, 4)))
    cats = " ".join(sorted(set(cats.split()), key=["AM", "A1", "A", "B", "BE", "C1", "C1E", "T"].index))
    fields = [("1.", sn), ("2.", gn), ("3.", f"{p['birth'].strftime('%d.%m.%Y')} {place}")]

    def num(y, n, v, xx=x):
        L.text(xx, y, n, 5.2, "label"); L.text(xx + (4.2 if len(n) > 2 else 3.2), y, v, 7.2)

    y = 14
    for n, v in fields:
        num(y, n, v); y += 5.2
    num(y, "4a.", issue.strftime("%d.%m.%Y")); num(y, "4c.", auth, x + 25); y += 5.2
    num(y, "4b.", expiry.strftime("%d.%m.%Y"))
    if country == "NOR":
        num(y, "4d.", fnr, x + 25)
    elif country == "SWE":
        num(y, "4d.", p["birth"].strftime("%Y%m%d") + "-" + digits[7:11], x + 25)
    y += 5.2
    num(y, "5.", shown); y += 5.2
    L.text(x, y + 1.5, "7.", 5.2, "label"); L.text(x + 5, y + 1.5, p["given"].split()[0] + " " + p["surname"], 6.5, "value")
    y += 6.8
    num(y, "9.", cats)
    return L, p, dict(kind="drivers_license", mrz=None, number=number, expiry=expiry, nat=None, fnr=fnr,
                      personal=None, cut=False, name_field=None, state=country)


# ---------------------------------------------------------------- PDF (hand-written)
def pdf_str(s):
    out = []
    for b in s.encode("cp1252"):
        if b in (0x28, 0x29, 0x5C):
            out.append("\\" + chr(b))
        elif 32 <= b < 127:
            out.append(chr(b))
        else:
            out.append("\\%03o" % b)
    return "(" + "".join(out) + ")"


def write_pdf(L, path, title):
    W, H = L.w * PT, L.h * PT
    ops = []
    col = lambda c: " ".join(f"{v / 255:.3f}" for v in c)
    ops.append(f"q {col(L.tint)} rg 0 0 {W:.2f} {H:.2f} re f Q")
    # a few guilloche polylines
    ops.append(f"q 0.4 w {col(tuple(max(0, c - 25) for c in L.tint))} RG")
    for k in range(6):
        y0 = H * (0.15 + 0.13 * k)
        pts = [(x, y0 + 4 * math.sin(x / 9 + k)) for x in range(0, int(W) + 3, 3)]
        ops.append(f"{pts[0][0]:.1f} {pts[0][1]:.1f} m " + " ".join(f"{x:.1f} {y:.1f} l" for x, y in pts[1:]) + " S")
    ops.append("Q")
    for it in L.items:
        if it[0] == "panel":
            _, x, y, w, h, tint = it
            ops.append(f"q {col(tint)} rg {x * PT:.2f} {H - (y + h) * PT:.2f} {w * PT:.2f} {h * PT:.2f} re f Q")
        elif it[0] == "photo":
            _, x, y, w, h = it
            ops.append(f"q 0.62 0.62 0.64 rg {x * PT:.2f} {H - (y + h) * PT:.2f} {w * PT:.2f} {h * PT:.2f} re f Q")
    for it in L.items:
        if it[0] != "text":
            continue
        _, x, y, s, size, kind = it
        font = {"mrz": "F3", "bold": "F2", "title": "F2"}.get(kind, "F1")
        colr = "0.42 0.42 0.42" if kind == "label" else "0.05 0.05 0.1"
        ops.append(f"BT /{font} {size:.2f} Tf {colr} rg 1 0 0 1 {x * PT:.2f} {H - y * PT:.2f} Tm {pdf_str(s)} Tj ET")
    content = "\n".join(ops).encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {W:.2f} {H:.2f}] /Contents 4 0 R "
         f"/Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R >> >> >>").encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>",
        b"<< /Title " + pdf_str(title).encode("latin-1") + b" /Producer (varde benches/identity) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, len(objs), xref)
    with open(path, "wb") as f:
        f.write(out)


# ---------------------------------------------------------------- scan (PIL)
_fonts = {}


def font(kind, size_pt):
    px = max(8, round(size_pt * DPI / 72))
    key = (kind, px)
    if key not in _fonts:
        if kind == "mrz":
            probe = ImageFont.truetype(OCRB, 100)
            adv = probe.getlength("<" * 10) / 10
            px = round(100 * 2.54 * PX / adv)  # 10 characters per inch
            _fonts[key] = ImageFont.truetype(OCRB, px)
        else:
            _fonts[key] = ImageFont.truetype(DEJAVU_BOLD if kind in ("bold", "title") else DEJAVU, px)
    return _fonts[key]


def guilloche(d, rng, w, h, tint):
    dark = tuple(max(0, c - rng.randint(25, 55)) for c in tint)
    for k in range(rng.randint(14, 26)):
        y0 = rng.uniform(0, h)
        amp = rng.uniform(8, 60)
        lam = rng.uniform(80, 400)
        ph = rng.uniform(0, 6.3)
        amp2, lam2 = rng.uniform(0, 20), rng.uniform(30, 90)
        pts = [(x, y0 + amp * math.sin(x / lam * 6.283 + ph) + amp2 * math.sin(x / lam2))
               for x in range(0, w + 6, 6)]
        d.line(pts, fill=dark, width=rng.choice([1, 1, 2]))
    # a rosette
    cx, cy, r = rng.uniform(w * 0.5, w * 0.9), rng.uniform(h * 0.2, h * 0.6), rng.uniform(h * 0.15, h * 0.3)
    for k in range(18):
        pts = []
        for t in range(0, 361, 4):
            a = math.radians(t)
            rr = r * (0.7 + 0.3 * math.sin(6 * a + k * 0.35))
            pts.append((cx + rr * math.cos(a + k * 0.17), cy + rr * math.sin(a + k * 0.17)))
        d.line(pts, fill=dark, width=1)


def photo(img, rng, x, y, w, h):
    ph = Image.new("L", (w, h), rng.randint(150, 200))
    d = ImageDraw.Draw(ph)
    for i in range(h):  # vertical gradient
        d.line([(0, i), (w, i)], fill=int(200 - 60 * i / h + rng.uniform(-3, 3)))
    g = rng.randint(70, 120)
    d.ellipse([w * 0.28, h * 0.12, w * 0.72, h * 0.62], fill=g)
    d.ellipse([w * 0.08, h * 0.62, w * 0.92, h * 1.25], fill=g - 20)
    ph = ph.filter(ImageFilter.GaussianBlur(w / 40))
    img.paste(ph.convert("RGB"), (x, y))


def render_scan(L, path, rng):
    w, h = round(L.w * PX), round(L.h * PX)
    img = Image.new("RGB", (w, h), L.tint)
    d = ImageDraw.Draw(img)
    guilloche(d, rng, w, h, L.tint)
    for it in L.items:
        if it[0] == "panel":
            _, x, y, pw, ph_, tint = it
            d.rectangle([x * PX, y * PX, (x + pw) * PX, (y + ph_) * PX], fill=tint)
        elif it[0] == "photo":
            _, x, y, pw, ph_ = it
            photo(img, rng, round(x * PX), round(y * PX), round(pw * PX), round(ph_ * PX))
    for it in L.items:
        if it[0] != "text":
            continue
        _, x, y, s, size, kind = it
        f = font(kind, size)
        fill = (105, 105, 110) if kind == "label" else (20, 20, 30)
        if kind == "title":
            fill = (60, 40, 90)
        if kind == "bold" and size >= 9:
            fill = (170, 30, 30)
        d.text((x * PX, y * PX), s, font=f, fill=fill, anchor="ls")
    # scanner bed, skew, lighting, blur, noise, JPEG
    m = round(6 * PX)
    bed = Image.new("RGB", (w + 2 * m, h + 2 * m), (248, 248, 246))
    bed.paste(img, (m, m))
    bed = bed.rotate(rng.uniform(-2, 2), resample=Image.BICUBIC, fillcolor=(248, 248, 246))
    side = int(math.hypot(*bed.size)) + 2
    grad = Image.linear_gradient("L").resize((side, side)).rotate(rng.uniform(0, 360), resample=Image.BILINEAR)
    ox, oy = (side - bed.size[0]) // 2, (side - bed.size[1]) // 2
    grad = grad.crop((ox, oy, ox + bed.size[0], oy + bed.size[1]))
    lo = rng.randint(185, 225)
    grad = grad.point(lambda v: lo + (255 - lo) * v // 255).convert("RGB")
    bed = ImageChops.multiply(bed, grad)
    bed = bed.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.3)))
    noise = Image.effect_noise(bed.size, rng.uniform(6, 14)).convert("RGB")
    bed = ImageChops.add(bed, noise, 1.0, -128)
    buf = io.BytesIO()
    bed.save(buf, "JPEG", quality=rng.randint(55, 82), dpi=(DPI, DPI))
    with open(path, "wb") as f:
        f.write(buf.getvalue())


# ---------------------------------------------------------------- main
KINDS = [("passport", 30), ("national_id", 20), ("td2", 12), ("visa", 13), ("drivers_license", 25)]
SHORT = {"passport": "passport-td3", "national_id": "id-td1", "td2": "id-td2", "visa": "visa-mrva",
         "drivers_license": "licence"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--seed", type=int, default=9303)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    kinds = []
    for k, w in KINDS:
        kinds += [k] * round(a.count * w / 100)
    while len(kinds) < a.count:
        kinds.append(KINDS[len(kinds) % len(KINDS)][0])
    kinds = kinds[:a.count]
    rng.shuffle(kinds)
    make = {"passport": lambda r, i: passport(r, i, None), "national_id": national_id, "td2": td2_doc,
            "visa": visa, "drivers_license": licence}
    truth = []
    for i, kind in enumerate(kinds, 1):
        drng = random.Random(f"{a.seed}-{i}")
        L, p, info = make[kind](drng, i)
        stem = f"{i:03d}-{SHORT[kind]}"
        write_pdf(L, os.path.join(a.out, stem + ".pdf"), f"Synthetic identity document {stem}")
        render_scan(L, os.path.join(a.out, stem + ".jpg"), drng)
        rec = {
            "file_pdf": stem + ".pdf", "file_scan": stem + ".jpg", "kind": kind, "mrz": info["mrz"],
            "surname": p["surname"], "given_names": p["given"], "birth_date": p["birth"].isoformat(),
            "document_number": info["number"], "expiry_date": info["expiry"].isoformat(),
            "nationality": info["nat"], "sex": p["sex"], "national_id": info["fnr"],
            # extras for the scorer and for debugging
            "issuing_state": info["state"].strip("<") if info["mrz"] else info["state"],
            "personal_number": info["personal"],
            "mrz_name_truncated": info["cut"],
            "mrz_surname": names_from_mrz(info["name_field"])[0] if info["name_field"] else None,
            "mrz_given_names": names_from_mrz(info["name_field"])[1] if info["name_field"] else None,
            "expired": info["expiry"] < REF,
        }
        truth.append(rec)
    with open(os.path.join(a.out, "truth.jsonl"), "w", encoding="utf-8") as f:
        for r in truth:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    by = {}
    for r in truth:
        by[r["kind"]] = by.get(r["kind"], 0) + 1
    print(f"{len(truth)} documents in {a.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(by.items())),
          file=sys.stderr)


if __name__ == "__main__":
    main()
