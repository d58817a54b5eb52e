"""Templates for identity documents: passport, national_id, drivers_license.

Every template is fn(rng, lang) -> Doc. All values are random (fakedata.py).
"""
from __future__ import annotations

import datetime as dt
import unicodedata

from docmodel import B
from fakedata import (CITIES, digits, fmt_date, letters, maybe, person, pick, random_date)

# code, passport word(s), state name, nationality word, id-card title, driving licence title
COUNTRIES = [
    ("NOR", "PASS / PASSPORT / PASSEPORT", "KONGERIKET NORGE / KINGDOM OF NORWAY / ROYAUME DE NORVÈGE", "NORSK/NORWEGIAN",
     "NASJONALT ID-KORT / NATIONAL IDENTITY CARD", "FØRERKORT"),
    ("SWE", "PASS / PASSPORT / PASSEPORT", "KONUNGARIKET SVERIGE / KINGDOM OF SWEDEN", "SVENSK/SWEDISH",
     "IDENTITETSKORT / IDENTITY CARD", "KÖRKORT"),
    ("DNK", "PAS / PASSPORT / PASSEPORT", "KONGERIGET DANMARK / KINGDOM OF DENMARK", "DANSK/DANISH",
     "IDENTITETSKORT / IDENTITY CARD", "KØREKORT"),
    ("FIN", "PASSI - PASS / PASSPORT / PASSEPORT", "SUOMI - FINLAND", "SUOMI/FINLAND",
     "HENKILÖKORTTI / IDENTITETSKORT / IDENTITY CARD", "AJOKORTTI"),
    ("DEU", "REISEPASS / PASSPORT / PASSEPORT", "BUNDESREPUBLIK DEUTSCHLAND / FEDERAL REPUBLIC OF GERMANY", "DEUTSCH",
     "PERSONALAUSWEIS / IDENTITY CARD / CARTE D'IDENTITÉ", "FÜHRERSCHEIN"),
    ("NLD", "PASPOORT / PASSPORT / PASSEPORT", "KONINKRIJK DER NEDERLANDEN", "NEDERLANDSE",
     "IDENTITEITSKAART / IDENTITY CARD", "RIJBEWIJS"),
    ("POL", "PASZPORT / PASSPORT / PASSEPORT", "RZECZPOSPOLITA POLSKA / REPUBLIC OF POLAND", "POLSKIE/POLISH",
     "DOWÓD OSOBISTY / IDENTITY CARD", "PRAWO JAZDY"),
    ("GBR", "PASSPORT / PASSEPORT", "UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND", "BRITISH CITIZEN",
     "IDENTITY CARD", "DRIVING LICENCE"),
    ("FRA", "PASSEPORT / PASSPORT", "RÉPUBLIQUE FRANÇAISE", "FRANÇAISE",
     "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD", "PERMIS DE CONDUIRE"),
    ("ESP", "PASAPORTE / PASSPORT / PASSEPORT", "REINO DE ESPAÑA", "ESPAÑOLA",
     "DOCUMENTO NACIONAL DE IDENTIDAD", "PERMISO DE CONDUCCIÓN"),
    ("ITA", "PASSAPORTO / PASSPORT / PASSEPORT", "REPUBBLICA ITALIANA", "ITALIANA",
     "CARTA D'IDENTITÀ / IDENTITY CARD", "PATENTE DI GUIDA"),
    ("LTU", "PASAS / PASSPORT / PASSEPORT", "LIETUVOS RESPUBLIKA / REPUBLIC OF LITHUANIA", "LIETUVOS/LITHUANIAN",
     "ASMENS TAPATYBĖS KORTELĖ / IDENTITY CARD", "VAIRUOTOJO PAŽYMĖJIMAS"),
    ("LVA", "PASE / PASSPORT / PASSEPORT", "LATVIJAS REPUBLIKA / REPUBLIC OF LATVIA", "LATVIJAS/LATVIAN",
     "PERSONAS APLIECĪBA / IDENTITY CARD", "VADĪTĀJA APLIECĪBA"),
    ("ISL", "VEGABRÉF / PASSPORT / PASSEPORT", "ÍSLAND / ICELAND", "ÍSLENSKUR/ICELANDIC",
     "NAFNSKÍRTEINI / IDENTITY CARD", "ÖKUSKÍRTEINI"),
    ("CHE", "PASS / PASSEPORT / PASSAPORTO / PASSPORT", "SCHWEIZERISCHE EIDGENOSSENSCHAFT / CONFÉDÉRATION SUISSE",
     "SCHWEIZ/SUISSE", "IDENTITÄTSKARTE / CARTE D'IDENTITÉ / CARTA D'IDENTITÀ / IDENTITY CARD", "FÜHRERAUSWEIS"),
    ("USA", "PASSPORT", "UNITED STATES OF AMERICA", "USA", "IDENTIFICATION CARD", "DRIVER LICENSE"),
]


def _mrz_clean(s: str) -> str:
    s = s.upper().replace("Æ", "AE").replace("Ø", "OE").replace("Å", "AA").replace("Ü", "UE").replace("Ö", "OE")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else "<" for c in s)


def _cd(s: str) -> str:
    w = [7, 3, 1]
    tot = 0
    for i, c in enumerate(s):
        v = int(c) if c.isdigit() else (ord(c) - 55 if c.isalpha() else 0)
        tot += v * w[i % 3]
    return str(tot % 10)


def _ymd(d: dt.date) -> str:
    return f"{d.year % 100:02d}{d.month:02d}{d.day:02d}"


def mrz_name(p, width):
    s = _mrz_clean(p["last"]) + "<<" + _mrz_clean(p["first"])
    return (s + "<" * width)[:width]


def mrz_td3(p, country, docno, exp, kind="P<"):
    l1 = (kind + country + mrz_name(p, 39))[:44]
    dn = (docno + "<" * 9)[:9]
    pn = (p["fnr"][-5:] if country == "NOR" else "").ljust(14, "<")
    l2 = dn + _cd(dn) + country + _ymd(p["dob"]) + _cd(_ymd(p["dob"])) + p["sex"] + _ymd(exp) + _cd(_ymd(exp)) + pn + _cd(pn)
    l2 += _cd(l2[0:10] + l2[13:20] + l2[21:43])
    return [l1, l2]


def mrz_td1(p, country, docno, exp, kind="ID"):
    dn = (docno + "<" * 9)[:9]
    l1 = (kind + country + dn + _cd(dn) + "<" * 15)[:30]
    l2 = _ymd(p["dob"]) + _cd(_ymd(p["dob"])) + p["sex"] + _ymd(exp) + _cd(_ymd(exp)) + country + "<" * 11
    l2 = l2[:29] + _cd(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
    return [l1, l2, mrz_name(p, 30)]


def mrz_td2(p, country, docno, exp, kind="I<"):
    l1 = (kind + country + mrz_name(p, 31))[:36]
    dn = (docno + "<" * 9)[:9]
    l2 = dn + _cd(dn) + country + _ymd(p["dob"]) + _cd(_ymd(p["dob"])) + p["sex"] + _ymd(exp) + _cd(_ymd(exp)) + "<" * 7
    l2 += _cd(l2[0:10] + l2[13:20] + l2[21:35])
    return [l1, l2]


def _cardate(rng, d):
    return rng.choice([fmt_date(rng, d, "no", "dots"), fmt_date(rng, d, "no", "card"),
                       f"{d.day:02d} {['JAN','FEB','MAR','APR','MAY','JUN','JUL','AUG','SEP','OCT','NOV','DEC'][d.month-1]} {d.year % 100:02d}"])


def _country(rng, lang):
    if lang == "no" or maybe(rng, 0.35):
        return COUNTRIES[0]
    return pick(rng, COUNTRIES[1:])


def _sex(rng, p):
    return p["sex"] if maybe(rng, 0.6) else f"{p['sex']}/{p['sex']}"


# --------------------------------------------------------------------------- passport
def passport_datapage(rng, lang):
    c = _country(rng, lang)
    code = c[0]
    p = person(rng, "no" if code == "NOR" else "en")
    b = B("passport", "passport_datapage", lang, kind="passport")
    docno = (letters(rng, 2) + digits(rng, 7)) if maybe(rng, 0.5) else digits(rng, 8)
    issue = random_date(rng, 2016, 2025)
    exp = issue.replace(year=issue.year + 10)
    bil = code == "NOR"
    b.line(c[2], size=0.8, align="center", bold=True)
    b.line(c[1], size=0.9, bold=True)
    b.photo()
    fr = {"Type": "Type", "Code": "Code du pays", "Passport No.": "N° du passeport", "Surname": "Nom", "Given names": "Prénoms",
          "Nationality": "Nationalité", "Date of birth": "Date de naissance", "Personal No.": "N° personnel", "Sex": "Sexe",
          "Place of birth": "Lieu de naissance", "Date of issue": "Date de délivrance", "Authority": "Autorité",
          "Date of expiry": "Date d'expiration", "Holder's signature": "Signature du titulaire"}
    sep = rng.choice(["/", " / ", "/ "])
    lab = (lambda no, en: f"{no}/{en}" if bil else (f"{en}{sep}{fr.get(en, en)}" if fr_labels else en))
    fr_labels = not bil and maybe(rng, 0.6)
    pairs = [(lab("Type", "Type"), "P"), (lab("Kode", "Code"), code), (lab("Passnr.", "Passport No."), docno),
             (lab("Etternavn", "Surname"), p["last"].upper()), (lab("Fornavn", "Given names"), p["first"].upper()),
             (lab("Nasjonalitet", "Nationality"), c[3]), (lab("Fødselsdato", "Date of birth"), _cardate(rng, p["dob"])),
             (lab("Personnr.", "Personal No.") if bil else "Personal No.", p["fnr"][-5:] if bil else None),
             (lab("Kjønn", "Sex"), _sex(rng, p)),
             (lab("Fødested", "Place of birth"), pick(rng, CITIES)[1].upper()),
             (lab("Utstedt", "Date of issue"), _cardate(rng, issue)),
             (lab("Myndighet", "Authority"), rng.choice(["POLITIET", "POLITIET/POLICE", "UTENRIKSDEPARTEMENTET"]) if bil else
              rng.choice(["PASSPORT OFFICE", "POLICE", "MINISTRY OF FOREIGN AFFAIRS", "HM PASSPORT OFFICE"])),
             (lab("Utløpsdato", "Date of expiry"), _cardate(rng, exp))]
    if maybe(rng, 0.3):
        rng.shuffle(pairs)
    b.kv(pairs, style="stack", cols=2, size=0.8)
    if maybe(rng, 0.4):
        b.line(lab("Innehaverens underskrift", "Holder's signature"), size=0.6)
    if maybe(rng, 0.93):
        b.mrz(mrz_td3(p, code, docno, exp))
    return b.doc


def passport_nor_bilingual_full(rng, lang):
    """Norwegian passport data page with trilingual labels (NO/EN/FR)."""
    p = person(rng, "no")
    b = B("passport", "passport_nor_trilingual", lang, kind="passport")
    docno = digits(rng, 8) if maybe(rng, 0.5) else letters(rng, 2) + digits(rng, 7)
    issue = random_date(rng, 2015, 2025)
    exp = issue.replace(year=issue.year + rng.choice([5, 10]))
    b.line(rng.choice(["NORGE NOREG NORWAY", "KONGERIKET NORGE", "NORGE / NORWAY"]), size=0.9, align="center", bold=True)
    b.line(rng.choice(["PASS PASSPORT PASSEPORT", "PASS / PASSPORT", "PASS"]), size=0.9, bold=True)
    b.photo()
    b.kv([("Type/Type/Type", "P"), ("Kode/Code/Code", "NOR"), ("Passnummer/Passport No./N° du passeport", docno),
          ("Etternavn/Surname/Nom", p["last"].upper()), ("Fornavn/Given names/Prénoms", p["first"].upper()),
          ("Statsborgerskap/Nationality/Nationalité", rng.choice(["NORSK", "NORWEGIAN", "NORSK/NORWEGIAN"])),
          ("Fødselsdato/Date of birth/Date de naissance", _cardate(rng, p["dob"])),
          ("Kjønn/Sex/Sexe", p["sex"]),
          ("Fødested/Place of birth/Lieu de naissance", pick(rng, CITIES)[1].upper()),
          ("Utstedelsesdato/Date of issue/Date de délivrance", _cardate(rng, issue)),
          ("Utløpsdato/Date of expiry/Date d'expiration", _cardate(rng, exp)),
          ("Utstedt av/Authority/Autorité", "POLITIET"),
          ("Personnummer/Personal No./N° personnel", p["fnr"] if maybe(rng, 0.5) else p["fnr"][-5:])],
         style="stack", cols=2, size=0.75)
    b.mrz(mrz_td3(p, "NOR", docno, exp))
    return b.doc


def passport_copy_on_page(rng, lang):
    """A photocopy/scan of a passport page placed on an A4 sheet, sometimes with a note."""
    inner = passport_datapage(rng, lang) if maybe(rng, 0.6) else passport_nor_bilingual_full(rng, lang)
    b = B("passport", "passport_copy_on_page", lang, kind="a4")
    if maybe(rng, 0.5):
        b.line(rng.choice(["Kopi av pass", "Kopi av passets dataside", "Copy of passport", "Passkopi",
                           "Vedlegg: kopi av pass", "Passport copy - identity verification"]), size=1.1, bold=True)
        b.gap(1)
    for blk in inner.pages[0].blocks:
        if blk["t"] == "photo":
            continue
        b.page.blocks.append(dict(blk, size=min(blk.get("size", 1.0), 0.9)) if "size" in blk else blk)
    if maybe(rng, 0.4):
        b.gap(2)
        b.line(rng.choice(["Bekreftet kopi av original", "Certified true copy of the original", "Sett original",
                           "Kopien er i samsvar med originalen"]), size=0.9)
        b.line(f"Dato: {fmt_date(rng, random_date(rng, 2020, 2026))}", size=0.9)
    return b.doc


def passport_mrz_only(rng, lang):
    """Partial capture: MRZ zone and a few field fragments (e.g. lower part of the page)."""
    c = _country(rng, lang)
    p = person(rng, "no" if c[0] == "NOR" else "en")
    docno = digits(rng, 8)
    exp = random_date(rng, 2026, 2035)
    b = B("passport", "passport_mrz_only", lang, kind="passport")
    if maybe(rng, 0.7):
        b.line(rng.choice(["Utløpsdato/Date of expiry", "Date of expiry/Date d'expiration", "Holder's signature",
                           "Myndighet/Authority", "Passport No.", "Sex/Sexe"]), size=0.7)
        b.line(_cardate(rng, exp), size=0.8)
    if maybe(rng, 0.5):
        b.line(c[1].split(" / ")[0], size=0.9, bold=True)
    b.gap(2)
    b.mrz(mrz_td3(p, c[0], docno, exp))
    return b.doc


def passport_info_page(rng, lang):
    """Inner passport page with the holder's notes / observations."""
    b = B("passport", "passport_info_page", lang, kind="passport")
    if maybe(rng, 0.5):
        b.line("PASS / PASSPORT", bold=True)
        b.para(rng.choice([
            "Dette passet tilhører Kongeriket Norge. Innehaveren er norsk statsborger. Passet inneholder 36 sider.",
            "This passport is the property of the Kingdom of Norway. The holder is a Norwegian citizen.",
            "Innehaveren av dette passet anmodes om å melde tap av passet til nærmeste politistasjon eller utenriksstasjon.",
        ]), size=0.8)
        b.kv([("Passnr./Passport No.", digits(rng, 8)), ("Utløpsdato/Date of expiry", _cardate(rng, random_date(rng, 2026, 2035)))],
             style="stack", size=0.8)
    else:
        b.line("PASSPORT", bold=True)
        b.para(rng.choice([
            "The Secretary of State requests and requires in the name of His Majesty all those whom it may concern "
            "to allow the bearer to pass freely without let or hindrance.",
            "Observations / Observations officielles. The bearer of this passport is a citizen. Valid for all countries.",
            "Le présent passeport contient 32 pages. This passport contains 32 pages. Passport No."]), size=0.8)
        b.line(f"Passport No. {digits(rng, 9)}", size=0.8)
    return b.doc


def passport_emergency_td2(rng, lang):
    """HELD-OUT template: emergency / provisional passport or travel document with a TD2 MRZ."""
    c = _country(rng, lang)
    p = person(rng, "no" if c[0] == "NOR" else "en")
    b = B("passport", "passport_emergency_td2", lang, kind="passport")
    docno = letters(rng, 1) + digits(rng, 7)
    issue = random_date(rng, 2020, 2025)
    exp = issue + dt.timedelta(days=rng.choice([30, 90, 365]))
    b.line(c[2].split(" / ")[-1], size=0.8, bold=True)
    b.line(rng.choice(["NØDPASS / EMERGENCY PASSPORT", "PROVISIONAL PASSPORT / PASSEPORT PROVISOIRE",
                       "MIDLERTIDIG PASS / TEMPORARY PASSPORT", "EMERGENCY TRAVEL DOCUMENT"]), bold=True)
    b.photo()
    b.kv([("Surname / Nom", p["last"].upper()), ("Given names / Prénoms", p["first"].upper()),
          ("Document No. / Numéro du document", docno), ("Nationality / Nationalité", c[0]),
          ("Date of birth / Date de naissance", _cardate(rng, p["dob"])), ("Sex / Sexe", p["sex"]),
          ("Valid until / Valable jusqu'au", _cardate(rng, exp)),
          ("Valid for travel to / Valable pour", rng.choice(["NORWAY", "ALL COUNTRIES", "NOR via DNK"]))],
         style="stack", cols=2, size=0.8)
    b.mrz(mrz_td2(p, c[0], docno, exp, kind="P<"))
    return b.doc


# --------------------------------------------------------------------------- national ID
def natid_nor_front(rng, lang):
    p = person(rng, "no")
    b = B("national_id", "natid_nor_card", lang, kind="card")
    docno = letters(rng, 2) + digits(rng, 7)
    issue = random_date(rng, 2020, 2025)
    exp = issue.replace(year=issue.year + 10)
    b.line(rng.choice(["NORGE NOREG NORWAY", "NORGE / NORWAY", "NOREG"]), size=0.8, bold=True)
    b.line(rng.choice(["NASJONALT ID-KORT", "NASJONALT ID-KORT / NATIONAL IDENTITY CARD", "IDENTITETSKORT / IDENTITY CARD",
                       "ID-KORT / IDENTITY CARD"]), size=0.8, bold=True)
    b.photo()
    b.kv([("Etternavn/Surname", p["last"].upper()), ("Fornavn/Given names", p["first"].upper()),
          ("Kjønn/Sex", p["sex"]), ("Statsborgerskap/Nationality", "NOR"),
          ("Fødselsdato/Date of birth", fmt_date(rng, p["dob"], "no", "dots")),
          ("Dokumentnummer/Document No.", docno), ("Utløpsdato/Date of expiry", fmt_date(rng, exp, "no", "dots")),
          ("Fødselsnummer/Personal No.", p["fnr"] if maybe(rng, 0.8) else None)], style="stack", cols=2, size=0.7)
    if maybe(rng, 0.3):
        b.line(rng.choice(["Gir ikke rett til reise", "Ikke gyldig som reisedokument", "Not valid for travel"]), size=0.6)
    if maybe(rng, 0.55):
        b.newpage("card")
        if maybe(rng, 0.5):
            b.kv([("Utstedt av/Issuing authority", "POLITIET"), ("Utstedt/Date of issue", fmt_date(rng, issue, "no", "dots")),
                  ("Fødested/Place of birth", pick(rng, CITIES)[1].upper())], style="stack", size=0.7)
        b.mrz(mrz_td1(p, "NOR", docno, exp, kind=rng.choice(["ID", "I<"])))
    return b.doc


def natid_foreign_card(rng, lang):
    c = pick(rng, COUNTRIES[1:])
    p = person(rng, "en")
    b = B("national_id", "natid_foreign_card", lang, kind="card")
    docno = letters(rng, 3) + digits(rng, 6)
    exp = random_date(rng, 2026, 2034)
    b.line(c[2].split(" / ")[0], size=0.7, bold=True)
    b.line(c[4] if maybe(rng, 0.8) else c[4].split(" / ")[0], size=0.8, bold=True)
    b.photo()
    fields = [("Surname / Nom", p["last"].upper()), ("Given names / Prénoms", p["first"].upper()),
              ("Sex / Sexe", p["sex"]), ("Nationality / Nationalité", c[0]),
              ("Date of birth / Date de naissance", _cardate(rng, p["dob"])),
              ("Document No.", docno), ("Date of expiry / Date d'expiration", _cardate(rng, exp)),
              ("Card access number", digits(rng, 6) if maybe(rng, 0.3) else None),
              ("Personal No.", digits(rng, 11) if maybe(rng, 0.3) else None)]
    if maybe(rng, 0.4):  # labels only in the issuing country's language (field names unknown to the model)
        fields = [(f"{i + 1}.", v) for i, (k, v) in enumerate(fields)] if maybe(rng, 0.5) else [("", v) for k, v in fields]
    b.kv(fields, style="stack", cols=2, size=0.7)
    if maybe(rng, 0.7):
        b.newpage("card")
        if maybe(rng, 0.5):
            b.kv([("Address / Adresse", pick(rng, ["MADRID", "BERLIN", "PARIS", "WARSZAWA", "ROMA", "STOCKHOLM", "HELSINKI"])),
                  ("Authority / Autorité", rng.choice(["POLICE", "MUNICIPALITY", "CITY OFFICE"])),
                  ("Height / Taille", f"{rng.randint(150, 199)} cm")], style="stack", size=0.7)
        b.mrz(mrz_td1(p, c[0], docno, exp, kind=rng.choice(["ID", "I<", "IC"])))
    return b.doc


def natid_on_page(rng, lang):
    """Copy of an ID card (front and back) on an A4 page."""
    inner = natid_nor_front(rng, lang) if maybe(rng, 0.6) else natid_foreign_card(rng, lang)
    b = B("national_id", "natid_copy_on_page", lang, kind="a4")
    if maybe(rng, 0.5):
        b.line(rng.choice(["Kopi av ID-kort (forside og bakside)", "Copy of identity card", "Kopi av legitimasjon: nasjonalt ID-kort",
                           "Identity card - front and back", "ID-kort kopi"]), size=1.1, bold=True)
        b.gap(1)
    for pg in inner.pages:
        for blk in pg.blocks:
            if blk["t"] != "photo":
                b.page.blocks.append(blk)
        b.gap(2)
    return b.doc


def natid_mrz_back(rng, lang):
    """Only the back of an ID card: a few labels and the 3-line TD1 MRZ."""
    c = _country(rng, lang)
    p = person(rng, "no" if c[0] == "NOR" else "en")
    docno = letters(rng, 2) + digits(rng, 7)
    exp = random_date(rng, 2026, 2034)
    b = B("national_id", "natid_mrz_back", lang, kind="card")
    if maybe(rng, 0.6):
        b.kv([(rng.choice(["Fødested/Place of birth", "Place of birth / Lieu de naissance", "Utstedt av/Authority",
                           "Authority / Autorité", "Address"]), pick(rng, CITIES)[1].upper())], style="stack", size=0.7)
    if maybe(rng, 0.3):
        b.line(c[4].split(" / ")[0], size=0.7)
    b.mrz(mrz_td1(p, c[0], docno, exp, kind=rng.choice(["ID", "I<", "ID"])))
    return b.doc


def natid_residence_card(rng, lang):
    """Residence card / permit card (an identity card for foreign nationals)."""
    p = person(rng, "en")
    b = B("national_id", "natid_residence_card", lang, kind="card")
    docno = letters(rng, 2) + digits(rng, 7)
    exp = random_date(rng, 2026, 2031)
    b.line(rng.choice(["OPPHOLDSKORT / RESIDENCE CARD", "OPPHOLDSTILLATELSE / RESIDENCE PERMIT", "RESIDENCE PERMIT",
                       "PERMANENT RESIDENT CARD", "TITRE DE SÉJOUR / RESIDENCE PERMIT"]), size=0.8, bold=True)
    b.photo()
    b.kv([("Navn/Surname", p["last"].upper()), ("Fornavn/Given names", p["first"].upper()),
          ("Type tillatelse/Type of permit", rng.choice(["ARBEID", "FAMILIE", "STUDIER", "PERMANENT", "EU/EØS"])),
          ("Gyldig til/Valid until", fmt_date(rng, exp, "no", "dots")), ("Kjønn/Sex", p["sex"]),
          ("Fødselsdato/Date of birth", fmt_date(rng, p["dob"], "no", "dots")),
          ("Statsborgerskap/Nationality", rng.choice(["POL", "LTU", "SYR", "ERI", "IND", "PHL", "USA", "UKR"])),
          ("Merknader/Remarks", rng.choice(["", "Arbeidstillatelse", "Adgang til arbeid"]))], style="stack", cols=2, size=0.7)
    if maybe(rng, 0.6):
        b.mrz(mrz_td1(p, rng.choice(["NOR", "USA", "DEU"]), docno, exp, kind=rng.choice(["IR", "IP", "C1"])))
    return b.doc


OOD_ID_COUNTRIES = [("BEL", "BELGIË BELGIQUE BELGIEN", "IDENTITEITSKAART CARTE D'IDENTITÉ PERSONALAUSWEIS IDENTITY CARD",
                     ["Naam / Nom / Name", "Voornamen / Prénoms / Vornamen", "Geslacht / Sexe", "Nationaliteit / Nationalité",
                      "Geboortedatum / Date de naissance", "Kaartnummer / N° de carte", "Geldig tot / Valable jusqu'au"]),
                    ("EST", "EESTI VABARIIK", "ISIKUTUNNISTUS IDENTITY CARD",
                     ["Perekonnanimi / Surname", "Eesnimed / Given names", "Sugu / Sex", "Kodakondsus / Citizenship",
                      "Sünniaeg / Date of birth", "Dokumendi number / Document number", "Kehtiv kuni / Date of expiry"]),
                    ("PRT", "REPÚBLICA PORTUGUESA", "CARTÃO DE CIDADÃO CITIZEN CARD",
                     ["Apelido(s) / Surname", "Nome(s) / Given name(s)", "Sexo / Sex", "Nacionalidade / Nationality",
                      "Data de nascimento / Date of birth", "N° documento / Document No.", "Data de validade / Expiry date"]),
                    ("ROU", "ROMÂNIA ROUMANIE ROMANIA", "CARTE DE IDENTITATE CARTE D'IDENTITÉ IDENTITY CARD",
                     ["Nume / Nom / Last name", "Prenume / Prénom / First name", "Sex / Sexe / Sex", "Cetățenie / Nationalité / Nationality",
                      "Data nașterii / Date de naissance", "Seria / Nr.", "Valabilitate / Validité / Validity"]),
                    ("CZE", "ČESKÁ REPUBLIKA", "OBČANSKÝ PRŮKAZ IDENTITY CARD",
                     ["Příjmení / Surname", "Jméno / Given names", "Pohlaví / Sex", "Státní občanství / Nationality",
                      "Datum narození / Date of birth", "Číslo dokladu / Document No.", "Platnost do / Date of expiry"])]


def natid_unseen_country(rng, lang):
    """HELD-OUT template: ID cards of countries (and field labels) that no training template uses."""
    code, state, title, labels = pick(rng, OOD_ID_COUNTRIES)
    p = person(rng, "en")
    docno = letters(rng, 2) + digits(rng, 7)
    exp = random_date(rng, 2026, 2034)
    b = B("national_id", "natid_unseen_country", lang, kind="card")
    b.line(state, size=0.7, bold=True)
    b.line(title, size=0.75, bold=True)
    b.photo()
    vals = [p["last"].upper(), p["first"].upper(), p["sex"], code, fmt_date(rng, p["dob"], "no", "dots"), docno, fmt_date(rng, exp, "no", "dots")]
    b.kv(list(zip(labels, vals)), style="stack", cols=2, size=0.7)
    if maybe(rng, 0.7):
        b.newpage("card")
        b.mrz(mrz_td1(p, code, docno, exp, kind=rng.choice(["ID", "I<"])))
    return b.doc


def natid_bank_id(rng, lang):
    """Older bank-issued ID card (accepted as legitimation in Norway) with few fields."""
    p = person(rng, "no")
    b = B("national_id", "natid_bank_id_card", lang, kind="card")
    b.line(rng.choice(["LEGITIMASJONSKORT", "ID-KORT", "Identitetskort - Norsk standard for bankkort med bilde",
                       "IDENTITY CARD / LEGITIMASJON"]), size=0.8, bold=True)
    b.photo()
    b.line(p["name"].upper(), size=0.9)
    b.line(f"Født {fmt_date(rng, p['dob'], 'no', 'dots')}", size=0.8)
    b.line(f"Pers.nr. {p['fnr']}" if maybe(rng, 0.5) else f"Fnr: {p['fnr'][:6]} {p['fnr'][6:]}", size=0.8)
    b.line(f"Gyldig til {fmt_date(rng, random_date(rng, 2026, 2031), 'no', 'dots')}", size=0.7)
    b.line(rng.choice(["Bankkort med bilde", "Utstedt av banken etter kontroll av pass", "Kortet er bankens eiendom",
                       "Legitimasjon godkjent etter bransjestandard"]), size=0.6)
    return b.doc


# --------------------------------------------------------------------------- driver's licence
CATS = ["AM", "A1", "A2", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE", "T", "S"]


def _cats(rng):
    n = rng.choice([1, 1, 2, 2, 3, 4, 5])
    base = ["B"] + [c for c in CATS if c != "B"]
    return sorted(set(["B"] + rng.sample(base, n - 1)), key=CATS.index)


def dl_eu_front(rng, lang):
    c = _country(rng, lang)
    p = person(rng, "no" if c[0] == "NOR" else "en")
    b = B("drivers_license", "dl_eu_card", lang, kind="card")
    issue = random_date(rng, 2013, 2025)
    exp = issue.replace(year=issue.year + 15)
    title = c[5]
    b.line(rng.choice([f"{title}", f"{title} {c[2].split(' / ')[0]}", f"{c[2].split(' / ')[0]} {title}"]), size=0.8, bold=True)
    if maybe(rng, 0.4):
        b.line(rng.choice(["FØRERKORT NORGE", "DRIVING LICENCE", "EU-MODELL", "PERMIS DE CONDUIRE"]), size=0.6)
    b.photo()
    authority = "Statens vegvesen" if c[0] == "NOR" else rng.choice(["DVLA", "Transportstyrelsen", "Kreis", "Préfecture", "Traficom"])
    b.kv([("1.", p["last"].upper()), ("2.", p["first"].upper()),
          ("3.", f"{fmt_date(rng, p['dob'], 'no', 'dots')} {pick(rng, CITIES)[1].upper() if maybe(rng, 0.5) else ''}".strip()),
          ("4a.", fmt_date(rng, issue, "no", "dots")), ("4b.", fmt_date(rng, exp, "no", "dots")),
          ("4c.", authority), ("4d.", p["fnr"] if c[0] == "NOR" and maybe(rng, 0.7) else None),
          ("5.", digits(rng, rng.choice([9, 11, 12])) if maybe(rng, 0.7) else letters(rng, 5) + digits(rng, 6)),
          ("9.", " ".join(_cats(rng)))], style=rng.choice(["colon", "tab"]), size=0.75)
    if maybe(rng, 0.4):
        b.newpage("card")
        dl_back_table(rng, b, lang)
    return b.doc


def dl_back_table(rng, b, lang):
    rows = []
    for cat in _cats(rng):
        d0 = random_date(rng, 1995, 2020)
        rows.append([cat, fmt_date(rng, d0, "no", "dots"), fmt_date(rng, d0.replace(year=min(d0.year + 15, 2039)), "no", "dots"),
                     rng.choice(["", "", "01.06", "78", "96", "70.0123"])])
    b.table(["9.", "10.", "11.", "12."], rows, size=0.7)
    if maybe(rng, 0.5):
        b.line(rng.choice(["12. Merknader / restriksjoner: 01 Syns- og/eller linsekorreksjon",
                           "12. Restrictions: 01 Sight correction", "13.", "14. 01.06"]), size=0.6)


def dl_back(rng, lang):
    b = B("drivers_license", "dl_back", lang, kind="card")
    if maybe(rng, 0.5):
        b.line(rng.choice(["FØRERKORT", "DRIVING LICENCE", "KÖRKORT", "FÜHRERSCHEIN"]), size=0.7, bold=True)
    dl_back_table(rng, b, lang)
    if maybe(rng, 0.4):
        b.line(rng.choice(["AM A1 A2 A B BE C1 C1E C CE D1 D1E D DE", "Klasse / Category", "Førerett / Driving categories"]), size=0.6)
    return b.doc


def dl_us(rng, lang):
    p = person(rng, "en")
    b = B("drivers_license", "dl_us_card", lang, kind="card")
    state = rng.choice(["CALIFORNIA", "NEW YORK STATE", "TEXAS", "FLORIDA", "WASHINGTON", "OREGON", "MINNESOTA", "ILLINOIS"])
    b.line(f"{state} {rng.choice(['DRIVER LICENSE', 'DRIVER LICENSE', 'DRIVERS LICENSE', 'USA DRIVER LICENSE'])}", size=0.8, bold=True)
    b.photo()
    exp = random_date(rng, 2026, 2032)
    b.kv([("DL", letters(rng, 1) + digits(rng, 7)), ("EXP", exp.strftime("%m/%d/%Y")),
          ("LN", p["last"].upper()), ("FN", p["first"].upper()),
          ("", f"{rng.randint(100, 9999)} {rng.choice(['MAIN ST', 'OAK AVE', 'PINE RD', 'ELM ST'])}"),
          ("DOB", p["dob"].strftime("%m/%d/%Y")), ("CLASS", rng.choice(["C", "D", "A", "B", "M"])),
          ("RSTR", rng.choice(["NONE", "CORR LENS", "B"])), ("END", rng.choice(["NONE", "M", "H"])),
          ("SEX", p["sex"]), ("HGT", f"{rng.randint(5, 6)}-{rng.randint(0, 11):02d}\""), ("EYES", rng.choice(["BRN", "BLU", "GRN", "HAZ"])),
          ("ISS", random_date(rng, 2018, 2025).strftime("%m/%d/%Y")), ("DD", digits(rng, 10))], style=rng.choice(["colon", "tab"]), size=0.7)
    if maybe(rng, 0.3):
        b.line(rng.choice(["ORGAN DONOR", "VETERAN", "REAL ID", "NOT FOR FEDERAL IDENTIFICATION"]), size=0.6)
    return b.doc


def dl_on_page(rng, lang):
    inner = dl_eu_front(rng, lang)
    b = B("drivers_license", "dl_copy_on_page", lang, kind="a4")
    if maybe(rng, 0.6):
        b.line(rng.choice(["Kopi av førerkort", "Copy of driving licence", "Førerkort - forside og bakside",
                           "Vedlegg: førerkort", "Driver's license copy"]), size=1.1, bold=True)
    for pg in inner.pages:
        for blk in pg.blocks:
            if blk["t"] != "photo":
                b.page.blocks.append(blk)
        b.gap(2)
    return b.doc


def dl_record_printout(rng, lang):
    """Print-out of driving-licence entitlements (digital licence / licence record)."""
    p = person(rng, lang)
    no = lang == "no"
    b = B("drivers_license", "dl_record_printout", lang)
    if no:
        b.line(rng.choice(["Statens vegvesen", "Førerkort-appen", "Digitalt førerkort"]), bold=True)
        b.title(rng.choice(["Førerkortopplysninger", "Oversikt over førerrett", "Digitalt førerkort", "Førerkort - utskrift"]))
        b.kv([("Navn", p["name"]), ("Fødselsdato", fmt_date(rng, p["dob"], "no", "dots")), ("Førerkortnummer", digits(rng, 11)),
              ("Utstedt", fmt_date(rng, random_date(rng, 2012, 2024), "no", "dots")), ("Gyldig til", fmt_date(rng, random_date(rng, 2026, 2039), "no", "dots"))])
        b.table(["Klasse", "Gyldig fra", "Gyldig til", "Vilkår"], [[c, fmt_date(rng, random_date(rng, 1990, 2020), "no", "dots"),
                                                                fmt_date(rng, random_date(rng, 2026, 2039), "no", "dots"), rng.choice(["", "01 Briller", "78 Automatgir"])] for c in _cats(rng)])
        if maybe(rng, 0.5):
            b.para(rng.choice(["Førerkortet gjelder som legitimasjon i Norge.", "Merknader: Ingen.", "Kode 01: syns- og/eller linsekorreksjon."]))
    else:
        b.line(rng.choice(["DVLA", "View driving licence", "Department of Motor Vehicles"]), bold=True)
        b.title(rng.choice(["Your driving licence", "Driving licence summary", "Driver record", "Licence check code summary"]))
        b.kv([("Name", p["name"]), ("Date of birth", fmt_date(rng, p["dob"], "en")), ("Driving licence number", letters(rng, 5) + digits(rng, 6) + letters(rng, 2)),
              ("Licence valid from", fmt_date(rng, random_date(rng, 2012, 2024), "en")), ("Licence valid to", fmt_date(rng, random_date(rng, 2026, 2039), "en")),
              ("Penalty points", str(rng.choice([0, 0, 3, 6])))])
        b.table(["Category", "Valid from", "Valid to", "Restrictions"], [[c, fmt_date(rng, random_date(rng, 1990, 2020), "en", "slash"),
                                                                        fmt_date(rng, random_date(rng, 2026, 2039), "en", "slash"), rng.choice(["", "01", "78"])] for c in _cats(rng)])
    return b.doc


def dl_temporary(rng, lang):
    """HELD-OUT template: temporary driving licence / driving licence confirmation on paper."""
    p = person(rng, lang)
    b = B("drivers_license", "dl_temporary_paper", lang, kind="a4")
    if lang == "no":
        b.line("Statens vegvesen", bold=True)
        b.title(rng.choice(["Midlertidig førerkort", "Midlertidig kjøreseddel", "Bekreftelse på førerrett"]))
        b.kv([("Navn", p["name"]), ("Fødselsnummer", p["fnr"]), ("Klasser", ", ".join(_cats(rng))),
              ("Gyldig til", fmt_date(rng, random_date(rng, 2025, 2027))),
              ("Førerkortnummer", digits(rng, 11))])
        b.para(rng.choice([
            "Dette dokumentet gjelder som førerkort i Norge sammen med gyldig legitimasjon frem til nytt førerkort er mottatt.",
            "Kjøreseddelen gjelder bare i Norge. Førerkortet sendes i posten innen tre uker.",
            "Du har bestått førerprøven. Midlertidig førerkort gjelder kun sammen med legitimasjon med bilde."]))
    else:
        b.line(rng.choice(["Driver and Vehicle Licensing Agency", "Department of Motor Vehicles"]), bold=True)
        b.title(rng.choice(["Temporary driving licence", "Interim driver license", "Driving licence confirmation"]))
        b.kv([("Name", p["name"]), ("Date of birth", fmt_date(rng, p["dob"], "en")),
              ("Licence number", letters(rng, 5) + digits(rng, 6) + letters(rng, 2)),
              ("Entitlement categories", ", ".join(_cats(rng))), ("Valid until", fmt_date(rng, random_date(rng, 2025, 2027), "en"))])
        b.para(rng.choice([
            "This temporary licence allows you to drive until your photocard licence arrives. Carry photo identification.",
            "This document is valid only together with a photo ID. Your new driver license card will be mailed within 30 days."]))
    return b.doc


def dl_intl_permit(rng, lang):
    """International driving permit booklet page."""
    p = person(rng, "en")
    b = B("drivers_license", "dl_international_permit", lang, kind="passport")
    b.line(rng.choice(["INTERNASJONALT FØRERKORT", "INTERNATIONAL DRIVING PERMIT", "PERMIS INTERNATIONAL DE CONDUIRE"]), bold=True)
    b.line("Convention on Road Traffic of 8 November 1968", size=0.6)
    b.photo()
    b.kv([("1. Surname / Nom", p["last"].upper()), ("2. Other names / Prénoms", p["first"].upper()),
          ("3. Date of birth", fmt_date(rng, p["dob"], "no", "dots")), ("Valid until", fmt_date(rng, random_date(rng, 2025, 2028), "no", "dots")),
          ("Categories", " ".join(_cats(rng))), ("Issued by", rng.choice(["NAF", "Statens vegvesen", "AA", "ADAC"]))],
         style="stack", cols=2, size=0.7)
    return b.doc


TEMPLATES = {
    "passport": [(passport_datapage, False, "nox"), (passport_nor_bilingual_full, False, "no"),
                 (passport_copy_on_page, False, "nox"), (passport_mrz_only, False, "nox"), (passport_info_page, False, "nox"),
                 (passport_emergency_td2, True, "nox")],
    "national_id": [(natid_nor_front, False, "no"), (natid_foreign_card, False, "en"), (natid_on_page, False, "nox"),
                    (natid_mrz_back, False, "nox"), (natid_residence_card, False, "nox"), (natid_bank_id, False, "no"),
                    (natid_unseen_country, True, "nox")],
    "drivers_license": [(dl_eu_front, False, "nox"), (dl_back, False, "nox"), (dl_us, False, "en"), (dl_on_page, False, "nox"),
                        (dl_intl_permit, False, "en"), (dl_record_printout, False, "nox"), (dl_temporary, True, "nox")],
}
