"""Random, entirely synthetic values for the document generator.

Nothing here refers to a real person: names are drawn from common-name lists and
combined at random, numbers (fødselsnummer, passport numbers, HPR numbers,
account numbers) are random digits with the right shape.
"""
from __future__ import annotations

import datetime as _dt
import random

NO_FIRST_F = """Kari Nora Emma Sofie Ingrid Anne Hilde Sigrid Åse Ida Maja Tone Silje Kristin Solveig Ragnhild
Astrid Vilde Liv Randi Fatima Aisha Anna Olena Mariam Sara Linnea Tuva Ingvild Berit Gunnhild Synnøve Marit
Hanne Mette Camilla Ellinor Live Frida Thea Hedda Oda Marte Karoline Eli Bente Turid Grete Wenche Agnes Elise
Ylva Signe Maria Amalie Jenny Lene Torill Unni Zainab Hodan Natalia Agnieszka Leila""".split()
NO_FIRST_M = """Ola Jakob Emil Lars Per Knut Håkon Bjørn Øystein Mathias Fredrik Eirik Marius Torbjørn Sindre Jonas
Nils Mohammed Ali Piotr Tomasz Ahmed Yusuf Amir Even Aksel Geir Trond Odd Arne Terje Rune Svein Kjetil Tor
Magnus Henrik Sander Kristian Andreas Martin Jon Steinar Vegard Ståle Asbjørn Halvor Leif Egil Tormod Gunnar
Ivar Sverre Aleksander Filip Theodor Isak Ludvig Johannes Oskar Markus Adrian Hamza Omar Krzysztof Dmitri""".split()
NO_LAST = """Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen
Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen Henriksen Lund Sørensen
Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen Martinsen Paulsen Bakken Kristoffersen
Mathisen Lie Amundsen Nguyen Rasmussen Lunde Solheim Berge Moe Nygård Bakke Kristensen Fredriksen Holm
Lien Hauge Christensen Andresen Nielsen Knudsen Evensen Sæther Aas Myhre Hanssen Ahmed Haugland Thomassen
Sivertsen Simonsen Danielsen Berntsen Sandvik Rønning Arnesen Antonsen Næss Vik Haug Ellingsen Thorsen
Edvardsen Birkeland Isaksen Gulbrandsen Ruud Aasen Strøm Myklebust Tangen Ødegård Eliassen Helland Bøe
Jenssen Aune Mikkelsen Tveit Brekke Abrahamsen Madsen Kowalski Khan Hussain Tran Yilmaz Nowak Wiśniewski
Fjeld Grønlund Kvam Vold Rød Sletten Fossum Stensrud Østby Løken Engen Skoglund Torgersen Hoel Rustad""".split()
EN_FIRST = """James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Susan Sarah Thomas
Emily Oliver Charlotte George Amelia Harry Jack Isla Noah Olivia Lucy Daniel Grace Samuel Chloe Joseph
Hannah Benjamin Megan Peter Claire Richard Helen Mark Laura""".split()
EN_LAST = """Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White
Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis Harris Martin Cooper King Lee Baker Hughes Morgan
Murphy O'Brien Kelly Campbell Stewart Anderson Scott Reid""".split()

CITIES = [("0150", "Oslo"), ("0557", "Oslo"), ("0964", "Oslo"), ("5003", "Bergen"), ("5145", "Fyllingsdalen"),
          ("7010", "Trondheim"), ("7045", "Trondheim"), ("4006", "Stavanger"), ("9008", "Tromsø"),
          ("4611", "Kristiansand"), ("3015", "Drammen"), ("1606", "Fredrikstad"), ("2317", "Hamar"),
          ("8006", "Bodø"), ("6002", "Ålesund"), ("2609", "Lillehammer"), ("3117", "Tønsberg"), ("1530", "Moss"),
          ("3724", "Skien"), ("2815", "Gjøvik"), ("6413", "Molde"), ("5527", "Haugesund"), ("9510", "Alta"),
          ("8514", "Narvik"), ("1337", "Sandvika"), ("2000", "Lillestrøm"), ("4836", "Arendal"),
          ("3510", "Hønefoss"), ("1440", "Drøbak"), ("4300", "Sandnes"), ("1300", "Sandvika"), ("3256", "Larvik"),
          ("6800", "Førde"), ("8300", "Svolvær"), ("9600", "Hammerfest"), ("2400", "Elverum"), ("3611", "Kongsberg"),
          ("4400", "Flekkefjord"), ("6100", "Volda"), ("7600", "Levanger"), ("8800", "Sandnessjøen"),
          ("1710", "Sarpsborg"), ("1820", "Spydeberg"), ("2380", "Brumunddal"), ("5700", "Voss")]
STREETS = ["Storgata", "Kirkegata", "Parkveien", "Skolegata", "Bjørkeveien", "Granveien", "Solbakken", "Fjordveien",
           "Strandgata", "Havnegata", "Elvegata", "Løkkeveien", "Markveien", "Sjøgata", "Torggata", "Bekkeveien",
           "Lindealleen", "Furuveien", "Åsveien", "Kongens gate", "Dronningens gate", "Nordre gate", "Søndre gate",
           "Industriveien", "Stasjonsveien", "Gamle Drammensvei", "Ringveien", "Lerkeveien", "Rognveien",
           "Eikeveien", "Blåbærstien", "Tyttebærveien", "Vestre gate", "Hovedgata", "Nygata", "Prinsens gate",
           "Fabrikkgata", "Hagebyveien", "Lyngveien", "Heiaveien", "Myrveien", "Tollbugata", "Rådhusgata"]
EN_STREETS = ["High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Mill Lane",
              "Queen Street", "King's Road", "Green Lane", "Manor Road", "London Road", "Elm Grove"]
EN_CITIES = ["London", "Manchester", "Leeds", "Bristol", "York", "Edinburgh", "Cardiff", "Oxford", "Bath",
             "Aberdeen", "Norwich", "Leicester", "Dublin", "Cork"]

HOSPITALS_NO = ["Oslo universitetssykehus", "Haukeland universitetssjukehus", "St. Olavs hospital",
                "Sykehuset Østfold", "Akershus universitetssykehus", "Sørlandet sykehus", "Stavanger universitetssjukehus",
                "Universitetssykehuset Nord-Norge", "Sykehuset Innlandet", "Vestre Viken", "Sykehuset i Vestfold",
                "Nordlandssykehuset", "Helse Møre og Romsdal", "Diakonhjemmet sykehus", "Lovisenberg Diakonale Sykehus",
                "Sykehuset Telemark", "Helse Fonna", "Helse Førde", "Bærum sykehus", "Ringerike sykehus",
                "Sykehuset Levanger", "Kongsberg sykehus", "Kristiansund sykehus", "Helgelandssykehuset"]
HOSPITALS_EN = ["St Mary's Hospital", "Royal County Hospital", "City General Hospital", "Northfield University Hospital",
                "Riverside NHS Foundation Trust", "Western Infirmary", "St Luke's Hospital", "Queen Elizabeth Hospital",
                "Princess Anne Hospital", "Kingsbridge Medical Centre", "Hillcrest General Hospital"]
DEPTS_NO = ["Medisinsk avdeling", "Kirurgisk avdeling", "Hjerteavdelingen", "Lungeavdelingen", "Nevrologisk avdeling",
            "Ortopedisk avdeling", "Gastromedisinsk avdeling", "Geriatrisk avdeling", "Kvinneklinikken",
            "Barne- og ungdomsklinikken", "Avdeling for infeksjonsmedisin", "Endokrinologisk poliklinikk",
            "Revmatologisk avdeling", "Øre-nese-hals-avdelingen", "Øyeavdelingen", "Distriktspsykiatrisk senter",
            "Hudavdelingen", "Urologisk avdeling", "Nyremedisinsk avdeling", "Hjerneslagenheten", "Akuttmottaket",
            "Kreftavdelingen", "Karkirurgisk seksjon", "Fødeavdelingen", "Intensivavdelingen"]
DEPTS_EN = ["Department of Medicine", "Department of Surgery", "Cardiology", "Respiratory Medicine", "Neurology",
            "Orthopaedics", "Gastroenterology", "Care of the Elderly", "Obstetrics and Gynaecology", "Paediatrics",
            "Infectious Diseases", "Endocrinology", "Rheumatology", "ENT", "Ophthalmology", "Dermatology",
            "Urology", "Renal Medicine", "Stroke Unit", "Emergency Department", "Oncology", "Vascular Surgery"]
GP_SUFFIX_NO = ["legesenter", "legekontor", "Legesenter", "helsehus", "legesenter AS", "fastlegekontor"]
PHARMACIES = ["Fjordapoteket", "Sentrumsapoteket", "Løveapoteket", "Nordstjernen apotek", "Svaneapoteket",
              "Apoteket Hjorten", "Kronen apotek", "Måken apotek", "Apoteket Torget", "Elgen apotek", "Bryggeapoteket"]
LABS_NO = ["Avdeling for medisinsk biokjemi", "Sentrallaboratoriet", "Klinikk for laboratoriemedisin",
           "Nordlab medisinsk laboratorium", "Medisinsk biokjemi og farmakologi", "Laboratoriesenteret",
           "Avdeling for mikrobiologi", "Laboratorium for klinisk biokjemi", "Fjordlab AS"]
LABS_EN = ["Department of Clinical Biochemistry", "Pathology Laboratory", "Clinical Chemistry Laboratory",
           "Blood Sciences", "Central Laboratory Services", "Microbiology Department", "Haematology Laboratory"]
COMPANIES = ["Fjordkraft", "Nordlys Energi AS", "Telenett AS", "Bygg & Rør AS", "Hansen Maling AS", "Dekkhotellet AS",
             "Kontorrekvisita Norge AS", "Sykkelverkstedet", "Grønn Hage AS", "Elektrikeren AS", "Nettbutikken AS",
             "Bilverksted Nord", "Rørleggeren AS", "Regnskapshuset AS", "Vaskeriet AS", "Datahjelpen AS",
             "Taktekkeren Vest AS", "Møbelhuset", "Skoleutstyr AS", "Brødrene Lie AS"]


def pick(rng: random.Random, seq):
    return seq[rng.randrange(len(seq))]


def maybe(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def person(rng: random.Random, lang: str = "no"):
    sex = rng.choice("FM")
    if lang == "en" and maybe(rng, 0.7):
        first = pick(rng, EN_FIRST)
        last = pick(rng, EN_LAST)
    else:
        first = pick(rng, NO_FIRST_F if sex == "F" else NO_FIRST_M)
        if maybe(rng, 0.25):
            first += " " + pick(rng, NO_FIRST_F if sex == "F" else NO_FIRST_M)
        last = pick(rng, NO_LAST)
        if maybe(rng, 0.1):
            last = pick(rng, NO_LAST) + " " + last
    dob = random_date(rng, 1935, 2006)
    return {"first": first, "last": last, "sex": sex, "dob": dob, "name": f"{first} {last}",
            "fnr": fnr(rng, dob, sex)}


def doctor(rng: random.Random, lang: str = "no"):
    p = person(rng, lang)
    return p["name"]


def random_date(rng: random.Random, y0: int = 2018, y1: int = 2026) -> _dt.date:
    start = _dt.date(y0, 1, 1).toordinal()
    end = _dt.date(y1, 12, 28).toordinal()
    d = _dt.date.fromordinal(rng.randint(start, end))
    return d.replace(day=28) if (d.month == 2 and d.day == 29) else d  # so that d.replace(year=...) is always valid


MONTHS_NO = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
             "november", "desember"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
MON3 = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
MON3_NO = ["JAN", "FEB", "MAR", "APR", "MAI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DES"]


def fmt_date(rng: random.Random, d: _dt.date, lang: str = "no", style: str | None = None) -> str:
    style = style or rng.choice(["dots", "dots", "iso", "long", "dots2"] if lang == "no" else
                                ["slash", "long", "iso", "dmy", "dots"])
    if style == "dots":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "dots2":
        return f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}"
    if style == "iso":
        return d.isoformat()
    if style == "slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "dmy":
        return f"{d.day} {MONTHS_EN[d.month - 1][:3]} {d.year}"
    if style == "card":  # passports: 12 AUG/AOÛT 74 or 12 MAR/MAR 2031
        return f"{d.day:02d} {MON3_NO[d.month - 1]}/{MON3[d.month - 1]} {d.year}"
    if lang == "no":
        return f"{d.day}. {MONTHS_NO[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def fnr(rng: random.Random, dob: _dt.date, sex: str) -> str:
    """A random 11-digit number shaped like a fødselsnummer (valid checksums, random individual number)."""
    for _ in range(100):
        ind = rng.randrange(0, 500) if dob.year < 2000 else rng.randrange(500, 1000)
        if (ind % 2 == 0) != (sex == "F"):
            ind = (ind + 1) % 1000
        d = f"{dob.day:02d}{dob.month:02d}{dob.year % 100:02d}{ind:03d}"
        w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2]
        k1 = 11 - sum(int(a) * b for a, b in zip(d, w1)) % 11
        k1 = 0 if k1 == 11 else k1
        if k1 == 10:
            continue
        d += str(k1)
        w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
        k2 = 11 - sum(int(a) * b for a, b in zip(d, w2)) % 11
        k2 = 0 if k2 == 11 else k2
        if k2 == 10:
            continue
        return d + str(k2)
    return f"{dob.day:02d}{dob.month:02d}{dob.year % 100:02d}{rng.randrange(10**5):05d}"


def fmt_fnr(rng, f: str) -> str:
    return f if maybe(rng, 0.6) else f"{f[:6]} {f[6:]}"


def digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


def address(rng: random.Random, lang: str = "no"):
    if lang == "en" and maybe(rng, 0.7):
        return f"{rng.randint(1, 220)} {pick(rng, EN_STREETS)}", f"{pick(rng, EN_CITIES)} {letters(rng, 2)}{rng.randint(1, 20)} {rng.randint(1, 9)}{letters(rng, 2)}"
    pc, city = pick(rng, CITIES)
    num = f"{rng.randint(1, 140)}{rng.choice(['', '', '', 'A', 'B', 'C'])}"
    return f"{pick(rng, STREETS)} {num}", f"{pc} {city}"


def phone(rng: random.Random) -> str:
    return rng.choice([f"{rng.randint(40, 99)} {digits(rng, 2)} {digits(rng, 2)} {digits(rng, 2)}",
                       f"+47 {rng.randint(40, 99)}{digits(rng, 1)} {digits(rng, 2)} {digits(rng, 3)}",
                       f"{rng.randint(22, 79)}{digits(rng, 6)}"])


def orgnr(rng) -> str:
    return f"{rng.randint(8, 9)}{digits(rng, 2)} {digits(rng, 3)} {digits(rng, 3)}"


def kontonr(rng) -> str:
    return f"{digits(rng, 4)}.{digits(rng, 2)}.{digits(rng, 5)}"


def money(rng: random.Random, lo: float, hi: float, lang: str = "no") -> str:
    v = rng.uniform(lo, hi)
    s = f"{v:,.2f}"
    if lang == "no":
        s = s.replace(",", " ").replace(".", ",")
    return s


def hpr(rng) -> str:
    return digits(rng, rng.choice([7, 8, 9]))


def gp_office(rng) -> str:
    _, city = pick(rng, CITIES)
    return f"{rng.choice([city, pick(rng, STREETS).split()[0], 'Sentrum', 'Torget', 'Bryggen', 'Sjøsiden', 'Nordbyen'])} {pick(rng, GP_SUFFIX_NO)}"


def num(rng: random.Random, lo: float, hi: float, dec: int = 1, comma: bool = False) -> str:
    v = rng.uniform(lo, hi)
    s = f"{v:.{dec}f}"
    return s.replace(".", ",") if comma else s
