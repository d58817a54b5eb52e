"""Templates for clinical documents: medical_certificate, lab_report, discharge_summary, prescription, referral."""
from __future__ import annotations

import datetime as dt

from clinvocab import (ANALYTES, DOSE_EN, DOSE_NO, EN_DRUG, ICD10, ICPC2, MEDS, NCSP, SYMPTOMS_EN, SYMPTOMS_NO,
                       clinic_header, course_en, course_no, history_no, lab_value, med_line)
from docmodel import B
from fakedata import (COMPANIES, HOSPITALS_EN, HOSPITALS_NO, LABS_EN, LABS_NO, address, digits, doctor, fmt_date,
                      fmt_fnr, gp_office, hpr, maybe, person, phone, pick, random_date, DEPTS_NO, DEPTS_EN, CITIES)


def _patient_block(rng, b, p, lang, style=None):
    a1, a2 = address(rng, lang)
    if lang == "no":
        pairs = [(rng.choice(["Pasient", "Navn", "Pasientens navn"]), p["name"] if maybe(rng, 0.7) else f"{p['last']}, {p['first']}"),
                 (rng.choice(["Fødselsnr.", "Fødselsnummer", "F.nr.", "Personnummer"]), fmt_fnr(rng, p["fnr"])) if maybe(rng, 0.8)
                 else ("Født", fmt_date(rng, p["dob"], "no")),
                 ("Adresse", f"{a1}, {a2}") if maybe(rng, 0.5) else (None, None)]
    else:
        pairs = [(rng.choice(["Patient", "Name", "Patient name"]), p["name"]),
                 (rng.choice(["DOB", "Date of birth", "D.O.B."]), fmt_date(rng, p["dob"], "en")),
                 (rng.choice(["NHS No.", "MRN", "Hospital No.", "ID"]), digits(rng, 10) if maybe(rng, 0.5) else f"{digits(rng, 3)} {digits(rng, 3)} {digits(rng, 4)}"),
                 ("Address", f"{a1}, {a2}") if maybe(rng, 0.4) else (None, None)]
    b.kv([(k, v) for k, v in pairs if k], style=style or rng.choice(["colon", "colon", "tab"]))


def _signoff(rng, b, lang, role=None):
    dname = doctor(rng, lang)
    if lang == "no":
        if maybe(rng, 0.6):
            b.line(rng.choice(["Med vennlig hilsen", "Vennlig hilsen", "Mvh"]))
        b.sig(dname)
        b.line(role or rng.choice(["lege", "fastlege", "overlege", "LIS-lege", "spesialist i allmennmedisin", "assistentlege", "konstituert overlege"]))
        if maybe(rng, 0.5):
            b.line(f"HPR-nr. {hpr(rng)}", size=0.85)
        if maybe(rng, 0.2):
            b.line("Dokumentet er elektronisk godkjent og har derfor ingen underskrift.", size=0.8)
    else:
        if maybe(rng, 0.6):
            b.line(rng.choice(["Yours sincerely", "Kind regards", "Best regards"]))
        b.sig(f"Dr {dname}")
        b.line(role or rng.choice(["Consultant", "General Practitioner", "Specialty Registrar", "Foundation Doctor", "Physician"]))
        if maybe(rng, 0.4):
            b.line(f"GMC No. {digits(rng, 7)}", size=0.85)


def _footer(rng, b, lang, pages=1, i=1):
    if maybe(rng, 0.4):
        b.line(f"Side {i} av {pages}" if lang == "no" else f"Page {i} of {pages}", size=0.75, align=rng.choice(["right", "center"]))


# =========================================================================== medical_certificate
def mc_legeerklaering(rng, lang):
    p = person(rng, "no")
    b = B("medical_certificate", "mc_legeerklaering", "no")
    clinic_header(rng, b, "no", hospital=maybe(rng, 0.25))
    b.gap()
    b.title(rng.choice(["Legeerklæring", "LEGEERKLÆRING", "Legeattest", "Legeerklæring ved arbeidsuførhet", "Helseattest",
                        "Erklæring fra lege", "Legeerklæring til NAV", "Attest", "Legeerklæring om helsetilstand"]))
    _patient_block(rng, b, p, "no")
    d = random_date(rng, 2019, 2026)
    d2 = d + dt.timedelta(days=rng.randint(3, 60))
    if maybe(rng, 0.3):
        b.line(rng.choice(["Til den det måtte angå", "Til arbeidsgiver", "Til NAV", "Til skolen", "Til forsikringsselskapet"]))
    paras = [
        rng.choice(["Undertegnede lege bekrefter at", "Det bekreftes herved at", "Jeg bekrefter at", "Herved attesteres at"]) + f" {p['name']} har vært til {rng.choice(['undersøkelse', 'konsultasjon', 'time'])} hos meg {fmt_date(rng, d)}.",
        rng.choice([
            f"Pasienten er på grunn av sykdom ikke i stand til å {rng.choice(['arbeide', 'gjennomføre eksamen', 'delta i undervisning', 'reise', 'utføre sitt arbeid'])} i perioden {fmt_date(rng, d)} til {fmt_date(rng, d2)}.",
            "Pasienten er etter min vurdering frisk og arbeidsfør, og det foreligger ingen medisinske forhold som taler mot videre arbeid.",
            f"Pasienten har en kronisk lidelse som medfører behov for tilrettelegging på arbeidsplassen, med redusert arbeidstid til {rng.choice([50, 60, 80])} %.",
            "Det foreligger ingen medisinske kontraindikasjoner mot deltakelse i aktiviteten.",
            "Pasienten har gjennomgått en operasjon og vil ha behov for sykmelding og fysioterapi i minst seks uker.",
            f"Pasienten har vært under min behandling siden {fmt_date(rng, random_date(rng, 2015, 2023))} for {pick(rng, ICD10)[1].lower()}.",
        ]),
        rng.choice(["Erklæringen er utstedt etter pasientens ønske.", "Attesten er basert på opplysninger gitt ved konsultasjonen og egen undersøkelse.",
                    "Erklæringen er skrevet til bruk for arbeidsgiver.", "Erklæringen bes vedlagt søknad om utsatt eksamen.",
                    "Attesten er gyldig i tre måneder fra utstedelsesdato.", "Jeg kjenner ikke til forhold som gjør meg inhabil."]),
    ]
    if maybe(rng, 0.5):
        paras.insert(1, f"Diagnose: {pick(rng, ICD10)[1]}" if maybe(rng, 0.5) else f"Diagnose (ICPC-2): {' '.join(pick(rng, ICPC2))}")
    for t in paras:
        b.para(t)
    b.gap()
    b.line(f"{pick(rng, CITIES)[1]}, {fmt_date(rng, d)}")
    _signoff(rng, b, "no")
    return b.doc


def mc_sykmelding(rng, lang):
    p = person(rng, "no")
    b = B("medical_certificate", "mc_sykmelding", "no")
    if maybe(rng, 0.5):
        b.line("NAV", bold=True, size=1.3)
    b.title(rng.choice(["Sykmelding", "SYKMELDING", "Sykmelding - Del A", "Utskrift av sykmelding", "Sykmelding (papir)", "Egenmelding/sykmelding"]))
    d = random_date(rng, 2019, 2026)
    d2 = d + dt.timedelta(days=rng.randint(3, 42))
    code, txt = pick(rng, ICPC2)
    pairs = [("Pasientens navn", p["name"]), ("Fødselsnummer", fmt_fnr(rng, p["fnr"])),
             ("Arbeidsgiver", pick(rng, COMPANIES) if maybe(rng, 0.8) else "Kommunen"),
             ("Stillingsprosent", f"{rng.choice([100, 80, 60, 50])} %") if maybe(rng, 0.5) else (None, None),
             ("Diagnose (ICPC-2)", f"{code} {txt}"),
             ("Bidiagnose", " ".join(pick(rng, ICPC2))) if maybe(rng, 0.3) else (None, None),
             ("Periode", f"{fmt_date(rng, d, 'no', 'dots')} - {fmt_date(rng, d2, 'no', 'dots')}"),
             ("Sykmeldingsgrad", rng.choice(["100 %", "100 %", "50 %", "Gradert 60 %", "Avventende sykmelding", "Reisetilskudd"])),
             ("Arbeidsuførhet skyldes", rng.choice(["Medisinske årsaker hindrer arbeidsrelatert aktivitet",
                                                      "Forhold på arbeidsplassen vanskeliggjør arbeidsrelatert aktivitet",
                                                      "Pasienten kan være i delvis arbeid"])),
             ("Prognose", rng.choice(["Antas å være arbeidsfør etter perioden", "Usikker", "Forventes tilbake i fullt arbeid"])),
             ("Melding til arbeidsgiver", rng.choice(["Tilrettelegging av arbeidsoppgaver anbefales", "Ingen", "Unngå tunge løft"])) if maybe(rng, 0.5) else (None, None),
             ("Behandler", doctor(rng)), ("HPR-nummer", hpr(rng)) if maybe(rng, 0.6) else (None, None),
             ("Dato", fmt_date(rng, d))]
    b.kv([(k, v) for k, v in pairs if k], style=rng.choice(["colon", "tab", "stack"]))
    if maybe(rng, 0.5):
        b.para(rng.choice(["Sykmeldingen er sendt elektronisk til NAV. Arbeidsgiver kan se sykmeldingen på nav.no.",
                           "Kopi til arbeidsgiver. Husk å sende inn søknad om sykepenger når perioden er over.",
                           "Den sykmeldte skal ha oppfølgingsplan innen 4 uker."]))
    return b.doc


def mc_en_certificate(rng, lang):
    p = person(rng, "en")
    b = B("medical_certificate", "mc_en_certificate", "en")
    clinic_header(rng, b, "en", hospital=maybe(rng, 0.3))
    b.title(rng.choice(["Medical Certificate", "MEDICAL CERTIFICATE", "Statement of Fitness for Work", "Fit note",
                        "Certificate of Fitness", "Doctor's Certificate", "Medical certificate of incapacity"]))
    d = random_date(rng, 2019, 2026)
    d2 = d + dt.timedelta(days=rng.randint(3, 60))
    if maybe(rng, 0.3):
        b.line(rng.choice(["To whom it may concern", "To the employer", "For the attention of the school"]))
    b.kv([("Patient", p["name"]), ("Date of birth", fmt_date(rng, p["dob"], "en")), ("Date of assessment", fmt_date(rng, d, "en"))])
    cond = pick(rng, ICD10)[2]
    b.para(rng.choice([
        f"This is to certify that I examined {p['name']} on {fmt_date(rng, d, 'en')} and in my opinion they are unfit for work from {fmt_date(rng, d, 'en')} to {fmt_date(rng, d2, 'en')} because of {cond.lower()}.",
        f"I assessed your case on {fmt_date(rng, d, 'en')} and, because of the following condition(s): {cond}, I advise you that you are not fit for work.",
        f"I assessed your case and advise that you may be fit for work taking into account the following advice: {rng.choice(['a phased return to work', 'amended duties', 'altered hours', 'workplace adaptations'])}.",
        f"I certify that {p['name']} has been examined and is fit for work and has no medical condition that would prevent normal duties.",
        f"This certificate confirms that the above-named patient is medically fit to travel by air.",
        f"{p['name']} was seen in clinic today and is fit to return to school/work from {fmt_date(rng, d2, 'en')}.",
    ]))
    if maybe(rng, 0.6):
        b.kv([("Condition", cond), ("This will be the case for", f"{rng.randint(1, 8)} weeks"),
              ("I will / will not need to assess your fitness for work again", rng.choice(["will", "will not"]))])
    if maybe(rng, 0.4):
        b.para("This certificate is issued at the request of the patient and is based on my clinical examination.")
    _signoff(rng, b, "en")
    b.line(f"Date: {fmt_date(rng, d, 'en')}")
    return b.doc


def mc_helseattest_forerkort(rng, lang):
    """Health certificate for a driving licence: a hard case against drivers_license."""
    p = person(rng, lang)
    b = B("medical_certificate", "mc_helseattest_forerkort", lang)
    clinic_header(rng, b, lang, hospital=False)
    if lang == "no":
        b.title(rng.choice(["Helseattest førerkort", "Legeattest for førerrett", "Helseattest - førerkort, kompetansebevis og kjøreseddel",
                            "Helseattest for førerkort", "Legeattest - helsekrav for førerkort"]))
        _patient_block(rng, b, p, "no")
        b.kv([("Attesten gjelder", rng.choice(["Førerkortgruppe 1 (klasse AM, A1, A2, A, B, BE, T, S)", "Førerkortgruppe 2 og 3 (klasse C1, C, D1, D)",
                                               "Kjøreseddel for drosje"])),
              ("Legitimasjon kontrollert", rng.choice(["Pass", "Førerkort", "Nasjonalt ID-kort", "Bankkort med bilde"])),
              ("Synsstyrke (visus) med korreksjon", f"{num_(rng)} / {num_(rng)}"),
              ("Synsfelt", rng.choice(["Normalt", "Ikke undersøkt", "Normalt ved konfrontasjon"]))], style="colon")
        b.para(rng.choice(["Helsekravene i førerkortforskriften vedlegg 1 er oppfylt.", "Helsekravene er oppfylt med følgende vilkår: bruk av briller.",
                           "Helsekravene er ikke oppfylt. Pasienten er informert om at han/hun ikke kan kjøre bil.",
                           f"Helsekravene er oppfylt for et tidsbegrenset førerkort med varighet {rng.randint(1, 5)} år."]))
        b.line(f"Dato: {fmt_date(rng, random_date(rng, 2019, 2026))}")
    else:
        b.title(rng.choice(["Medical examination report for a driving licence", "Fitness to drive certificate", "D4 Medical examination report",
                            "Driver medical evaluation"]))
        _patient_block(rng, b, p, "en")
        b.kv([("Vision (corrected)", f"{num_(rng)} / {num_(rng)}"), ("Blood pressure", f"{rng.randint(105, 170)}/{rng.randint(60, 100)}"),
              ("Diabetes", rng.choice(["No", "Yes - diet controlled", "Yes - insulin"])), ("Epilepsy or seizures", "No")])
        b.para(rng.choice(["In my opinion the applicant meets the medical standards for fitness to drive.",
                           "The applicant is fit to drive group 2 vehicles (lorries and buses).",
                           "The applicant does not meet the medical standards and should not drive until reviewed."]))
    _signoff(rng, b, lang)
    return b.doc


def num_(rng):
    return rng.choice(["1,0", "0,8", "0,6", "1,2", "0,5", "6/6", "6/9", "6/12"])


def mc_skolefravaer(rng, lang):
    """HELD-OUT template: school/exam absence note and sports/diving fitness certificate."""
    p = person(rng, lang)
    b = B("medical_certificate", "mc_absence_note", lang)
    d = random_date(rng, 2019, 2026)
    if lang == "no":
        b.line(gp_office(rng), bold=True)
        b.title(rng.choice(["Attest ved fravær fra eksamen", "Legeattest for fravær", "Helseerklæring for sportsdykking",
                            "Attest - utsatt innlevering"]))
        b.para(f"Det bekreftes at {p['name']}, født {fmt_date(rng, p['dob'], 'no', 'dots')}, " + rng.choice([
            f"var syk og forhindret fra å møte til eksamen {fmt_date(rng, d)}.",
            f"ble undersøkt {fmt_date(rng, d)} og anses skikket for sportsdykking.",
            f"har hatt sykdom som har gjort det vanskelig å følge undervisningen i perioden {fmt_date(rng, d)} – {fmt_date(rng, d + dt.timedelta(days=10))}."]))
        b.para("Opplysningene er gitt etter undersøkelse og samtale med pasienten.")
    else:
        b.line(rng.choice(["Castle Street Surgery", "Student Health Service", "Campus Medical Centre"]), bold=True)
        b.title(rng.choice(["Doctor's note", "Certificate of illness for examination purposes", "Medical fitness certificate for scuba diving"]))
        b.para(f"I confirm that {p['name']} (DOB {fmt_date(rng, p['dob'], 'en')}) " + rng.choice([
            f"attended the practice on {fmt_date(rng, d, 'en')} and was too unwell to sit the examination.",
            f"was examined on {fmt_date(rng, d, 'en')} and found medically fit to participate in recreational diving.",
            "has been unwell and unable to attend classes for the past ten days."]))
    _signoff(rng, b, lang)
    return b.doc


# =========================================================================== lab_report
def _lab_head(rng, b, lang):
    lab = pick(rng, LABS_NO if lang == "no" else LABS_EN)
    h = pick(rng, HOSPITALS_NO if lang == "no" else HOSPITALS_EN)
    align = rng.choice(["left", "center"])
    if maybe(rng, 0.7):
        b.line(h, bold=True, size=1.2, align=align)
    b.line(lab, size=1.0, align=align)
    if maybe(rng, 0.3):
        b.line(("Akkreditert etter NS-EN ISO 15189" if lang == "no" else "UKAS accredited medical laboratory"), size=0.7, align=align)


def _lab_rows(rng, lang, n, comma, flag_style):
    rows = []
    for a in rng.sample(ANALYTES, n):
        v, ref, flag = lab_value(rng, a, flag_style, comma)
        name = a[0] if lang == "no" else a[1]
        rows.append([name, v, a[2], ref, flag])
    return rows


def lab_no_table(rng, lang):
    p = person(rng, "no")
    b = B("lab_report", "lab_no_table", "no")
    _lab_head(rng, b, "no")
    b.title(rng.choice(["Laboratoriesvar", "LABORATORIESVAR", "Prøvesvar", "Svarrapport", "Analysesvar", "Svarrapport - medisinsk biokjemi",
                        "Laboratorieresultater", "Blodprøvesvar"]))
    _patient_block(rng, b, p, "no")
    d = random_date(rng, 2019, 2026)
    b.kv([("Rekvirent", f"{doctor(rng)}, {gp_office(rng)}"), ("Prøvetatt", f"{fmt_date(rng, d, 'no', 'dots')} {rng.randint(7, 15):02d}:{rng.randint(0, 59):02d}"),
          ("Mottatt", fmt_date(rng, d, "no", "dots")), ("Besvart", fmt_date(rng, d + dt.timedelta(days=rng.randint(0, 2)), "no", "dots")) if maybe(rng, 0.6) else (None, None),
          ("Prøvenr.", digits(rng, 10)) if maybe(rng, 0.6) else (None, None)], style=rng.choice(["colon", "tab"]))
    comma = maybe(rng, 0.4)
    fs = rng.choice(["letter", "letter", "star", "arrow"])
    header = rng.choice([["Analyse", "Resultat", "Enhet", "Referanseområde", ""], ["Analyse", "Svar", "Enhet", "Ref.område", "Merk"],
                         ["Undersøkelse", "Resultat", "Enhet", "Referanse", "Flagg"], None])
    if maybe(rng, 0.5):
        for sec in rng.sample(["Hematologi", "Klinisk kjemi", "Lipider", "Hormoner", "Nyrefunksjon", "Leverprøver", "Koagulasjon"], rng.randint(1, 3)):
            b.line(sec, bold=True)
            b.table(header, _lab_rows(rng, "no", rng.randint(2, 7), comma, fs))
            header = None
    else:
        b.table(header, _lab_rows(rng, "no", rng.randint(3, 14), comma, fs))
    if maybe(rng, 0.5):
        b.para("Kommentar: " + rng.choice(["Hemolytisk prøve, kalium kan være falskt forhøyet.", "Lett forhøyet CRP, anbefaler kontroll om 2 uker.",
                                           "Ny referanseverdi for eGFR fra 2024.", "Prøven er analysert på nytt med samme resultat.",
                                           "H = over referanseområdet, L = under referanseområdet."]))
    if maybe(rng, 0.5):
        b.line(f"Svar godkjent av {doctor(rng)}, {rng.choice(['bioingeniør', 'lege i medisinsk biokjemi', 'overlege'])}", size=0.85)
    _footer(rng, b, "no")
    return b.doc


def lab_en_table(rng, lang):
    p = person(rng, "en")
    b = B("lab_report", "lab_en_table", "en")
    _lab_head(rng, b, "en")
    b.title(rng.choice(["Laboratory Report", "LABORATORY REPORT", "Test Results", "Blood Test Results", "Pathology Results",
                        "Clinical Chemistry Report", "Cumulative Lab Results"]))
    _patient_block(rng, b, p, "en")
    d = random_date(rng, 2019, 2026)
    b.kv([("Ordering physician", f"Dr {doctor(rng, 'en')}"), ("Collected", f"{fmt_date(rng, d, 'en')} {rng.randint(7, 15):02d}:{rng.randint(0, 59):02d}"),
          ("Received", fmt_date(rng, d, "en")), ("Reported", fmt_date(rng, d + dt.timedelta(days=1), "en")),
          ("Specimen", rng.choice(["Blood", "Serum", "EDTA blood", "Plasma", "Urine"])), ("Accession No.", digits(rng, 9))],
         style=rng.choice(["colon", "tab"]))
    fs = rng.choice(["letter", "star", "arrow"])
    header = rng.choice([["Test", "Result", "Units", "Reference range", "Flag"], ["Test name", "Value", "Unit", "Ref. range", ""],
                         ["Analyte", "Result", "Units", "Normal range", "Flag"], None])
    for sec in rng.sample(["HAEMATOLOGY", "BIOCHEMISTRY", "LIPID PROFILE", "THYROID FUNCTION", "RENAL FUNCTION", "LIVER FUNCTION TESTS",
                           "COAGULATION"], rng.randint(1, 3)):
        if maybe(rng, 0.7):
            b.line(sec, bold=True)
        b.table(header, _lab_rows(rng, "en", rng.randint(2, 8), False, fs))
    if maybe(rng, 0.4):
        b.para("Comment: " + rng.choice(["Sample haemolysed; potassium may be spuriously raised.", "Please repeat in 3 months.",
                                         "Results outside the reference range are flagged H (high) or L (low).",
                                         "eGFR calculated using CKD-EPI equation."]))
    if maybe(rng, 0.4):
        b.line(f"Authorised by: {doctor(rng, 'en')}, Biomedical Scientist", size=0.85)
    _footer(rng, b, "en")
    return b.doc


BUGS = ["Escherichia coli", "Klebsiella pneumoniae", "Staphylococcus aureus", "Enterococcus faecalis", "Streptococcus pyogenes",
        "Proteus mirabilis", "Pseudomonas aeruginosa", "Haemophilus influenzae"]
ABX = ["Ampicillin", "Mecillinam", "Trimetoprim", "Nitrofurantoin", "Ciprofloksacin", "Trimetoprim-sulfa", "Cefuroksim", "Gentamicin",
       "Kloksacillin", "Klindamycin", "Erytromycin", "Penicillin G", "Cefotaksim", "Meropenem"]


def lab_micro(rng, lang):
    p = person(rng, lang)
    b = B("lab_report", "lab_microbiology", lang)
    _lab_head(rng, b, lang)
    no = lang == "no"
    b.title(rng.choice(["Mikrobiologisk undersøkelse", "Mikrobiologi - svarrapport", "Bakteriologisk undersøkelse", "Virologi - prøvesvar"]) if no
            else rng.choice(["Microbiology Report", "Culture and Sensitivity", "Microbiology results", "Virology report"]))
    _patient_block(rng, b, p, lang)
    mat = rng.choice(["Urin, midtstråle", "Blodkultur", "Sårsekret", "Halsprøve", "Ekspektorat", "Nasofarynksprøve"]) if no else \
        rng.choice(["Urine MSU", "Blood culture", "Wound swab", "Throat swab", "Sputum", "Nasopharyngeal swab"])
    d = random_date(rng, 2019, 2026)
    b.kv([("Materiale" if no else "Specimen", mat), ("Prøvetatt" if no else "Collected", fmt_date(rng, d, lang)),
          ("Rekvirent" if no else "Requested by", doctor(rng, lang))])
    r = rng.random()
    if r < 0.55:
        bug = pick(rng, BUGS)
        b.line(("Dyrkning: " if no else "Culture: ") + f"{rng.choice(['Vekst av', 'Rikelig vekst av', 'Sparsom vekst av']) if no else rng.choice(['Growth of', 'Heavy growth of', 'Scanty growth of'])} {bug} "
               f"{rng.choice(['>10^5 CFU/mL', '10^4 CFU/mL', '', '++', '+++'])}")
        b.table(["Antibiotikum" if no else "Antibiotic", "S/I/R", "MIC (mg/L)" if maybe(rng, 0.5) else ""],
                [[a, rng.choice("SSSSIR"), rng.choice(["0,25", "0,5", "1", "2", "4", ">32", ""])] for a in rng.sample(ABX, rng.randint(4, 9))])
        b.line("S = følsom, I = følsom ved økt eksponering, R = resistent" if no else "S = susceptible, I = intermediate, R = resistant", size=0.8)
    elif r < 0.8:
        b.line(rng.choice(["Dyrkning: Ingen vekst etter 48 timer", "Negativ dyrkning", "Blandingsflora, trolig kontaminasjon. Ny prøve anbefales."]) if no else
               rng.choice(["Culture: No growth after 48 hours", "No significant growth", "Mixed growth, likely contamination. Please repeat."]))
    else:
        for t in rng.sample(["SARS-CoV-2 RNA", "Influensa A RNA", "Influensa B RNA", "RS-virus RNA", "Chlamydia trachomatis DNA",
                             "Neisseria gonorrhoeae DNA", "Mycoplasma pneumoniae DNA"], rng.randint(1, 4)):
            b.kv([(f"{t} (PCR)", rng.choice(["Ikke påvist", "Ikke påvist", "Påvist"]) if no else rng.choice(["Not detected", "Not detected", "Detected"]))])
    _footer(rng, b, lang)
    return b.doc


def lab_lines(rng, lang):
    """Compact list, e.g. a patient-portal print-out or a GP's copy: 'Hemoglobin 13.2 g/dL (13.4–17.0) L'."""
    p = person(rng, lang)
    b = B("lab_report", "lab_compact_lines", lang)
    no = lang == "no"
    if maybe(rng, 0.5):
        b.line(rng.choice(["Helsenorge - Prøvesvar", "Dine prøvesvar", "Prøvesvar fra fastlegen", "Pasientjournal - laboratorieprøver"]) if no
               else rng.choice(["Your test results", "Patient portal - Lab results", "GP practice - test results"]), bold=True)
    b.title(rng.choice(["Blodprøver", "Prøvesvar", "Laboratoriesvar", "Svar på blodprøver"]) if no else rng.choice(["Blood tests", "Test results", "Lab results"]), size=1.3)
    b.line(f"{p['name']}, {'født' if no else 'born'} {fmt_date(rng, p['dob'], lang)}")
    b.line(f"{'Prøvedato' if no else 'Sample date'}: {fmt_date(rng, random_date(rng, 2019, 2026), lang)}")
    comma = no and maybe(rng, 0.5)
    for a in rng.sample(ANALYTES, rng.randint(3, 12)):
        v, ref, flag = lab_value(rng, a, "letter", comma)
        name = a[0] if no else a[1]
        b.line(rng.choice([f"{name} {v} {a[2]} ({ref}) {flag}".strip(), f"{name}: {v} {a[2]}  ref. {ref} {flag}".strip(),
                           f"{name} {v} {flag} {a[2]} [{ref}]".strip()]))
    if maybe(rng, 0.4):
        b.para(rng.choice(["Legen har sett svarene. Ingen videre oppfølging er nødvendig.", "Verdier merket H er høyere enn normalt.",
                           "Ta kontakt med legekontoret dersom du har spørsmål om svarene."]) if no else
               rng.choice(["Your doctor has reviewed these results: normal, no action needed.", "Values marked H are above the normal range."]))
    return b.doc


def lab_pathology(rng, lang):
    p = person(rng, lang)
    b = B("lab_report", "lab_pathology", lang)
    no = lang == "no"
    b.line(pick(rng, HOSPITALS_NO if no else HOSPITALS_EN), bold=True)
    b.line("Avdeling for patologi" if no else "Department of Cellular Pathology")
    b.title(rng.choice(["Patologisvar", "Histologisk undersøkelse", "Cytologisvar"]) if no else rng.choice(["Histopathology Report", "Cytology report"]))
    _patient_block(rng, b, p, lang)
    b.kv([("Prøvenr." if no else "Lab No.", f"H{digits(rng, 2)}-{digits(rng, 5)}"),
          ("Materiale" if no else "Specimen", rng.choice(["Hudbiopsi, rygg", "Colonbiopsi", "Mammabiopsi", "Cervixcytologi"]) if no else
           rng.choice(["Skin excision, back", "Colon biopsy", "Breast core biopsy", "Cervical smear"]))])
    b.para(("Makroskopisk beskrivelse: " if no else "Macroscopic: ") + rng.choice(["Hudellipse 12 x 5 x 4 mm.", "Tre biter, største 3 mm.", "Vevsbit 8 mm."] if no else
                                                                                  ["Skin ellipse 12 x 5 x 4 mm.", "Three cores, largest 15 mm.", "Fragment 8 mm."]))
    b.para(("Mikroskopisk beskrivelse: " if no else "Microscopic: ") + rng.choice([
        "Snittene viser hud med basaloide tumorøyer i dermis.", "Kolonslimhinne med lett kronisk inflammasjon, ingen dysplasi.",
        "Normale plateepitelceller. Ingen atypi."] if no else ["Sections show basaloid tumour islands in the dermis.",
                                                            "Colonic mucosa with mild chronic inflammation; no dysplasia.", "No atypical cells."]))
    b.line(("Konklusjon/diagnose: " if no else "Diagnosis: ") + rng.choice(["Basalcellekarsinom, radikalt fjernet.", "Ingen holdepunkt for malignitet.",
                                                                        "Tubulært adenom med lavgradig dysplasi."] if no else
                                                                       ["Basal cell carcinoma, completely excised.", "No evidence of malignancy.",
                                                                        "Tubular adenoma with low-grade dysplasia."]))
    b.line(f"SNOMED: M{digits(rng, 5)} T{digits(rng, 5)}", size=0.8)
    return b.doc


def lab_cumulative(rng, lang):
    """HELD-OUT template: cumulative results table with several sampling dates as columns."""
    p = person(rng, lang)
    b = B("lab_report", "lab_cumulative", lang)
    no = lang == "no"
    b.title(rng.choice(["Kumulative prøvesvar", "Kumulativ svarrapport", "Prøvesvar over tid"]) if no else
            rng.choice(["Cumulative report", "Results over time", "Cumulative laboratory results"]))
    b.line(f"{p['name']}  {fmt_fnr(rng, p['fnr']) if no else fmt_date(rng, p['dob'], 'en')}")
    dates = sorted(random_date(rng, 2022, 2026) for _ in range(rng.randint(3, 5)))
    header = ["Analyse" if no else "Test"] + [fmt_date(rng, d, "no", "dots2") for d in dates] + ["Enhet" if no else "Unit", "Ref."]
    rows = []
    for a in rng.sample(ANALYTES, rng.randint(5, 14)):
        vals = [lab_value(rng, a, "star", no)[0] for _ in dates]
        rows.append([a[0] if no else a[1]] + vals + [a[2], lab_value(rng, a, "letter", no)[1]])
    b.table(header, rows)
    b.line("* = utenfor referanseområdet" if no else "* = outside reference range", size=0.8)
    return b.doc


# =========================================================================== discharge_summary
def _diagnoses(rng, b, lang, codes=True):
    diags = rng.sample(ICD10, rng.randint(1, 4))
    no = lang == "no"
    if maybe(rng, 0.6):
        b.line("Diagnoser" if no else rng.choice(["Diagnoses", "Diagnosis"]), bold=True)
    for i, (c, n_no, n_en) in enumerate(diags):
        prefix = ("Hoveddiagnose: " if no else "Principal diagnosis: ") if i == 0 else (("Bidiagnose: " if no else "Secondary: ") if maybe(rng, 0.5) else "")
        b.line(f"{prefix}{n_no if no else n_en}" + (f" ({c})" if codes and maybe(rng, 0.5) else (f" {c}" if codes else "")))
    if no and maybe(rng, 0.3):
        pc, pn = pick(rng, NCSP)
        b.line(f"Prosedyre: {pn} ({pc})")
    return diags


def ds_epikrise(rng, lang):
    p = person(rng, "no")
    b = B("discharge_summary", "ds_epikrise", "no")
    clinic_header(rng, b, "no", hospital=True)
    b.title(rng.choice(["EPIKRISE", "Epikrise", "Epikrise fra sykehusopphold", "Epikrise - medisinsk avdeling", "Epikrise og utskrivningsnotat",
                        "Foreløpig epikrise", "Epikrise (legeepikrise)"]))
    _patient_block(rng, b, p, "no")
    d1 = random_date(rng, 2019, 2026)
    d2 = d1 + dt.timedelta(days=rng.randint(1, 21))
    b.kv([("Innlagt", fmt_date(rng, d1, "no", "dots")), ("Utskrevet", fmt_date(rng, d2, "no", "dots")),
          ("Fastlege", doctor(rng)) if maybe(rng, 0.7) else (None, None),
          ("Kopi til", rng.choice(["Fastlege", "Hjemmesykepleien", "Henvisende lege", "Pasienten"])) if maybe(rng, 0.5) else (None, None)],
         style=rng.choice(["colon", "tab"]))
    _diagnoses(rng, b, "no")
    sections = [("Innkomstårsak", history_no(rng, p["name"])), ("Anamnese", history_no(rng, p["name"])),
                ("Funn ved innkomst", rng.choice(["Redusert allmenntilstand, afebril. Cor: RR, ingen bilyder. Pulm: krepitasjoner basalt.",
                                                  "Våken, klar og orientert. Abdomen: palpasjonsøm i høyre fossa.", "Hevelse og ømhet over venstre legg."])),
                ("Forløp" if maybe(rng, 0.5) else "Vurdering og forløp", course_no(rng)),
                ("Supplerende undersøkelser", rng.choice(["CT caput: Ingen blødning.", "Ekko cor: EF 50 %.", "Rtg. thorax: Infiltrat høyre underlapp.",
                                                          "Blodkultur: Negativ."]))]
    sections = rng.sample(sections, rng.randint(2, 5))
    for h, t in sections:
        b.line(h, bold=True)
        b.para(t)
    if maybe(rng, 0.5):
        b.newpage()
    b.line(rng.choice(["Legemidler ved utreise", "Medikamenter ved utskrivning", "Legemiddelliste ved utskrivning", "Faste medisiner ved utreise"]), bold=True)
    for _ in range(rng.randint(2, 7)):
        b.line(med_line(rng, "no"))
    if maybe(rng, 0.4):
        b.line("Endringer i legemiddelbruk", bold=True)
        b.para(rng.choice(["Seponert: Ibux pga. nyrefunksjon.", "Nytt: Eliquis 5 mg x 2.", "Økt dose Furosemid til 80 mg daglig."]))
    b.line(rng.choice(["Videre plan", "Oppfølging", "Plan videre", "Videre oppfølging"]), bold=True)
    b.para(rng.choice([f"Kontroll hos fastlege om {rng.randint(1, 6)} uker med blodprøver (Hb, CRP, kreatinin).",
                       "Poliklinisk kontroll ved vår avdeling om 3 måneder, innkalling kommer i posten.",
                       f"Sykmeldt til {fmt_date(rng, d2 + dt.timedelta(days=14))}. Fastlege vurderer videre sykmelding.",
                       "Hjemmesykepleien følger opp med sårstell og medisinutdeling."]))
    _signoff(rng, b, "no")
    _footer(rng, b, "no", 2 if len(b.doc.pages) > 1 else 1, len(b.doc.pages))
    return b.doc


def ds_en(rng, lang):
    p = person(rng, "en")
    b = B("discharge_summary", "ds_en_summary", "en")
    clinic_header(rng, b, "en", hospital=True)
    b.title(rng.choice(["Discharge Summary", "DISCHARGE SUMMARY", "Inpatient Discharge Summary", "Discharge summary and medication list",
                        "Hospital Discharge Summary"]))
    _patient_block(rng, b, p, "en")
    d1 = random_date(rng, 2019, 2026)
    d2 = d1 + dt.timedelta(days=rng.randint(1, 21))
    b.kv([("Date of admission", fmt_date(rng, d1, "en")), ("Date of discharge", fmt_date(rng, d2, "en")),
          ("Consultant", f"Dr {doctor(rng, 'en')}"), ("Ward", rng.choice(["Ward 7B", "AMU", "Cardiology ward", "Ward 12"])),
          ("Discharge destination", rng.choice(["Usual residence", "Nursing home", "Rehabilitation unit"]))],
         style=rng.choice(["colon", "tab"]))
    _diagnoses(rng, b, "en")
    sym = pick(rng, SYMPTOMS_EN)
    for h, t in rng.sample([("Presenting complaint", f"{rng.randint(19, 94)}-year-old {rng.choice(['man', 'woman'])} presenting with {sym}."),
                            ("History", f"{rng.choice(['Known hypertension', 'Previously fit and well', 'Background of COPD', 'Type 2 diabetes on metformin'])}. "
                                        f"{rng.choice(['Non-smoker.', 'Ex-smoker.', 'Lives alone, independent.'])}"),
                            ("Investigations", rng.choice(["CXR: right lower lobe consolidation.", "CT head: no acute abnormality.",
                                                           "ECG: sinus rhythm.", "Troponin rise consistent with NSTEMI."])),
                            ("Hospital course", course_en(rng))], rng.randint(2, 4)):
        b.line(h, bold=True)
        b.para(t)
    if maybe(rng, 0.5):
        b.newpage()
    b.line(rng.choice(["Discharge medications", "Medications on discharge", "TTO medications"]), bold=True)
    for _ in range(rng.randint(2, 7)):
        b.line(med_line(rng, "en"))
    b.line(rng.choice(["Follow-up", "Follow up arrangements", "Actions for GP"]), bold=True)
    b.para(rng.choice([f"GP to check renal function and electrolytes in {rng.randint(1, 4)} weeks.", "Outpatient clinic review in 6 weeks.",
                       "Cardiac rehabilitation referral made.", "No follow-up required."]))
    _signoff(rng, b, "en")
    return b.doc


def ds_nursing(rng, lang):
    p = person(rng, "no")
    b = B("discharge_summary", "ds_nursing_note", "no")
    clinic_header(rng, b, "no", hospital=True)
    b.title(rng.choice(["Utskrivningsnotat", "Sykepleieepikrise", "Sykepleiesammenfatning ved utskrivning", "Utskrivningsrapport",
                        "Sykepleierapport ved overflytting"]))
    _patient_block(rng, b, p, "no")
    d2 = random_date(rng, 2019, 2026)
    b.kv([("Utskrevet til", rng.choice(["Hjemmet", "Sykehjem, korttidsplass", "Rehabiliteringsinstitusjon", "Omsorgsbolig"])),
          ("Utskrivningsdato", fmt_date(rng, d2, "no", "dots")), ("Kontaktperson", doctor(rng))])
    for h in rng.sample(["Funksjonsnivå", "Ernæring", "Eliminasjon", "Hud/sår", "Mobilisering", "Hjemmesykepleie", "Psykisk/kognitivt",
                         "Søvn/hvile", "Smerter", "Legemiddelhåndtering"], rng.randint(3, 6)):
        b.line(h, bold=True)
        b.para(rng.choice(["Selvhjulpen i ADL.", "Trenger hjelp til personlig hygiene morgen og kveld.", "Spiser og drikker godt, vekt stabil.",
                           "Sår på venstre legg skiftes annenhver dag med skumbandasje.", "Går med rullator, fallfare.",
                           "Hjemmesykepleien er informert og starter opp dagen etter utskrivning.", "Noe urolig om natten, sover ellers godt.",
                           "Smertelindret med paracetamol 1 g x 4.", "Får medisiner i multidose fra apoteket.",
                           "Kateter fjernet, normal vannlating.", "Kognitivt redusert, trenger påminnelser."]))
    b.sig(f"{doctor(rng)}, sykepleier")
    return b.doc


def ds_outpatient(rng, lang):
    p = person(rng, lang)
    no = lang == "no"
    b = B("discharge_summary", "ds_outpatient_epicrisis", lang)
    clinic_header(rng, b, lang, hospital=True)
    b.title(rng.choice(["Poliklinisk epikrise", "Epikrise - poliklinisk konsultasjon", "Dagkirurgisk epikrise", "Epikrise dagbehandling"]) if no
            else rng.choice(["Outpatient clinic letter", "Day case discharge summary", "Clinic summary"]))
    _patient_block(rng, b, p, lang)
    b.kv([("Konsultasjon" if no else "Clinic date", fmt_date(rng, random_date(rng, 2019, 2026), lang))])
    _diagnoses(rng, b, lang)
    for h, t in [("Problemstilling" if no else "Reason for attendance", history_no(rng, p["name"]) if no else f"Review of {pick(rng, SYMPTOMS_EN)}."),
                 ("Vurdering" if no else "Assessment", course_no(rng) if no else course_en(rng)),
                 ("Plan" if no else "Plan", rng.choice(["Ny kontroll om 6 måneder.", "Avsluttes ved poliklinikken, videre oppfølging hos fastlege.",
                                                        "Operasjon settes opp, pasienten får innkalling."]) if no else
                  rng.choice(["Review in 6 months.", "Discharged back to GP care.", "Listed for surgery."]))]:
        b.line(h, bold=True)
        b.para(t)
    _signoff(rng, b, lang)
    return b.doc


def ds_letter(rng, lang):
    """HELD-OUT template: discharge information written as a letter to the GP."""
    p = person(rng, lang)
    no = lang == "no"
    b = B("discharge_summary", "ds_letter_to_gp", lang)
    clinic_header(rng, b, lang, hospital=True)
    d1 = random_date(rng, 2019, 2026)
    d2 = d1 + dt.timedelta(days=rng.randint(2, 14))
    dx = pick(rng, ICD10)
    if no:
        b.line(f"Til fastlege {doctor(rng)}")
        b.title(rng.choice(["Melding om utskrivning", "Informasjon ved utskrivning fra sykehus", "Utskrivningsmelding"]), size=1.3)
        b.line(f"Vedr.: {p['name']}, f. {fmt_date(rng, p['dob'], 'no', 'dots')}")
        b.para(f"Din pasient ble innlagt ved vår avdeling {fmt_date(rng, d1)} på grunn av {pick(rng, SYMPTOMS_NO)}. "
               f"Vi fant {dx[1].lower()} ({dx[0]}). {course_no(rng)}")
        b.para(f"Pasienten reiste hjem {fmt_date(rng, d2)}. Faste medisiner: " + "; ".join(med_line(rng, "no", False) for _ in range(rng.randint(2, 4))) + ".")
        b.para(rng.choice(["Vi ber om at du kontrollerer blodprøver om to uker.", "Takk for at du følger opp pasienten videre."]))
    else:
        b.line(f"Dear Dr {doctor(rng, 'en')},")
        b.title(rng.choice(["Discharge letter", "Notification of discharge", "Re: discharge from hospital"]), size=1.3)
        b.line(f"Re: {p['name']}, DOB {fmt_date(rng, p['dob'], 'en')}")
        b.para(f"Your patient was admitted on {fmt_date(rng, d1, 'en')} with {pick(rng, SYMPTOMS_EN)} and was found to have {dx[2].lower()}. {course_en(rng)}")
        b.para(f"{rng.choice(['He', 'She'])} went home on {fmt_date(rng, d2, 'en')} on the following medication: " +
               "; ".join(med_line(rng, "en", False) for _ in range(rng.randint(2, 4))) + ".")
        b.para(rng.choice(["We would be grateful if you could check bloods in two weeks.", "Many thanks for your ongoing care."]))
    _signoff(rng, b, lang)
    return b.doc


# =========================================================================== prescription
def rx_resept_no(rng, lang):
    p = person(rng, "no")
    b = B("prescription", "rx_paper_resept", "no", kind=rng.choice(["a4", "a5", "a5"]))
    dname = doctor(rng)
    b.line(f"{dname}, {rng.choice(['lege', 'spesialist i allmennmedisin', 'tannlege'])}", bold=True)
    b.line(gp_office(rng))
    a1, a2 = address(rng)
    b.line(f"{a1}, {a2}", size=0.85)
    b.line(f"HPR-nr.: {hpr(rng)}   Tlf. {phone(rng)}", size=0.85)
    b.title(rng.choice(["RESEPT", "Resept", "RESEPT - Rp.", "Reseptblankett", "Blå resept", "Hvit resept"]), align=rng.choice(["left", "center"]))
    b.kv([("Pasient", p["name"]), ("Fødselsdato" if maybe(rng, 0.5) else "Fødselsnr.", fmt_date(rng, p["dob"], "no", "dots") if maybe(rng, 0.5) else p["fnr"]),
          ("Adresse", f"{address(rng)[0]}") if maybe(rng, 0.5) else (None, None)])
    for _ in range(rng.randint(1, 3)):
        m = pick(rng, MEDS)
        b.line(f"Rp. {m[0]} {m[1]} {m[2]}", bold=True)
        b.line(f"{rng.choice(['Mengde', 'Pakning', 'Disp.'])}: {rng.choice(['100 stk', '30 stk', '20 stk', '1 pakning', '2 x 100 stk', '3 x 60 doser'])}")
        b.line(f"D.S. {pick(rng, DOSE_NO)}")
        if maybe(rng, 0.6):
            b.line(f"Reit. {rng.choice(['0', 'x 1', 'x 2', 'x 3', '5 ganger', 'Iterer 3 ganger'])}")
        if maybe(rng, 0.3):
            b.line(f"Bruksområde: {rng.choice(['mot smerter', 'mot høyt blodtrykk', 'mot infeksjon', 'mot søvnvansker', 'diabetes'])}")
    if maybe(rng, 0.5):
        b.line(rng.choice(["Refusjon: §2, blå resept, refusjonskode -90 / ICPC T90", "§ 4 Refusjon", "Hvit resept - ingen refusjon",
                           "Reseptgruppe A", "Reseptgruppe B", "Reseptgruppe C"]))
    b.line(f"Dato: {fmt_date(rng, random_date(rng, 2019, 2026))}")
    b.sig("Underskrift: " + dname if maybe(rng, 0.5) else dname)
    if maybe(rng, 0.3):
        b.line(rng.choice(["Resepten er gyldig i ett år fra utstedelsesdato.", "Utleveres apotek. Ta med legitimasjon."]), size=0.8)
    return b.doc


def rx_eresept_list(rng, lang):
    p = person(rng, "no")
    b = B("prescription", "rx_eresept_list", "no")
    b.title(rng.choice(["Reseptliste", "Oversikt over e-resepter", "Utskrift av e-resept", "Dine resepter", "E-resept - pasientutskrift",
                        "Resepter i Reseptformidleren"]))
    b.line(f"{p['name']}  {fmt_fnr(rng, p['fnr'])}")
    if maybe(rng, 0.5):
        b.line(f"Utskrift fra {rng.choice(['Helsenorge', 'Reseptformidleren', 'apotekets system', 'legekontorets journalsystem'])} {fmt_date(rng, random_date(rng, 2020, 2026))}", size=0.85)
    for _ in range(rng.randint(1, 5)):
        m = pick(rng, MEDS)
        b.kv([("Legemiddel", f"{m[0]} {m[1]} {m[2]}"), ("Dosering", pick(rng, DOSE_NO)),
              ("Gyldig til", fmt_date(rng, random_date(rng, 2024, 2027), "no", "dots")),
              ("Rekvirent", doctor(rng)), ("Utlevert", rng.choice(["1 av 4", "Ikke utlevert", "2 av 3", "Fullt utlevert"])) if maybe(rng, 0.7) else (None, None),
              ("Reseptstatus", rng.choice(["Aktiv", "Aktiv", "Utløpt", "Tilbakekalt"])) if maybe(rng, 0.4) else (None, None)],
             style=rng.choice(["colon", "tab"]))
        b.gap(0.5)
    if maybe(rng, 0.5):
        b.para(rng.choice(["Du kan hente legemidlene på hvilket som helst apotek i Norge. Ta med legitimasjon.",
                           "Resepten er sendt elektronisk (e-resept) og ligger i Reseptformidleren."]))
    return b.doc


def rx_en(rng, lang):
    p = person(rng, "en")
    b = B("prescription", "rx_en_prescription", "en", kind=rng.choice(["a4", "a5"]))
    dname = doctor(rng, "en")
    b.line(rng.choice(["Riverside Surgery", "Park Lane Medical Practice", "Oakwood Family Practice", "City Medical Group"]), bold=True)
    b.line(f"Dr {dname}  {rng.choice(['NPI', 'DEA #', 'GMC', 'Prescriber No.'])} {digits(rng, 7)}", size=0.85)
    b.title(rng.choice(["PRESCRIPTION", "Prescription", "Rx", "Prescription form", "Private prescription"]))
    b.kv([("Patient", p["name"]), ("DOB", fmt_date(rng, p["dob"], "en")), ("Address", " ".join(address(rng, "en"))) if maybe(rng, 0.5) else (None, None),
          ("Date", fmt_date(rng, random_date(rng, 2019, 2026), "en"))])
    for _ in range(rng.randint(1, 3)):
        m = pick(rng, MEDS)
        b.line(f"Rx: {EN_DRUG.get(m[0], m[0])} {m[1].replace(',', '.')} {m[3]}", bold=True)
        b.line(f"Sig: {pick(rng, DOSE_EN)}")
        b.line(f"Disp: #{rng.choice([14, 20, 28, 30, 56, 60, 90])}" + (f"   Refills: {rng.randint(0, 5)}" if maybe(rng, 0.7) else ""))
    if maybe(rng, 0.5):
        b.line(rng.choice(["Substitution permitted", "Dispense as written", "Generic substitution allowed"]), size=0.85)
    b.sig(f"Prescriber signature: Dr {dname}")
    return b.doc


def rx_kvittering(rng, lang):
    p = person(rng, "no")
    b = B("prescription", "rx_reseptkvittering", "no", kind=rng.choice(["a4", "a5"]))
    b.title(rng.choice(["Reseptkvittering", "Kvittering for e-resept", "Resept - kvittering for pasient", "E-resept"]))
    b.line(f"Pasient: {p['name']}   Fødselsnr.: {fmt_fnr(rng, p['fnr'])}")
    b.line(f"Forskrevet av: {doctor(rng)}, {gp_office(rng)}  HPR {hpr(rng)}")
    b.line(f"Dato: {fmt_date(rng, random_date(rng, 2019, 2026))}")
    for _ in range(rng.randint(1, 4)):
        m = pick(rng, MEDS)
        b.kv([("Legemiddel", f"{m[0]} {m[1]} {m[2]}"), ("Mengde", rng.choice(["100 stk", "30 stk", "3 x 100 stk", "1 pakning"])),
              ("Dosering", pick(rng, DOSE_NO)), ("Reitereringer", str(rng.randint(0, 5))) if maybe(rng, 0.5) else (None, None),
              ("Referansenummer", digits(rng, 10)) if maybe(rng, 0.5) else (None, None)])
    b.para(rng.choice(["Resepten er sendt elektronisk til Reseptformidleren. Ta med legitimasjon når du henter legemidlene på apoteket.",
                       "Dette er ikke en resept, men en kvittering for at e-resepten er sendt. Legemidlene kan hentes på alle apotek.",
                       "Vis denne kvitteringen eller legitimasjon på apoteket."]))
    return b.doc


def rx_renewal(rng, lang):
    """HELD-OUT template: prescription renewal / repeat prescription slip."""
    p = person(rng, lang)
    no = lang == "no"
    b = B("prescription", "rx_renewal_slip", lang)
    if no:
        b.line(gp_office(rng), bold=True)
        b.title(rng.choice(["Fornyelse av resept", "Reseptfornyelse", "Bestilling av resepter - bekreftelse"]))
        b.para(f"Hei {p['first']}. Følgende faste legemidler er fornyet og sendt som e-resept:")
        for _ in range(rng.randint(1, 5)):
            m = pick(rng, MEDS)
            b.line(f"- {m[0]} {m[1]}, {pick(rng, DOSE_NO)}, {rng.choice(['3 x 100 stk', '1 års forbruk', '2 pakninger'])}")
        b.para("Resepten kan hentes på valgfritt apotek fra i morgen. Husk årlig kontroll hos fastlegen.")
    else:
        b.line(rng.choice(["Riverside Surgery", "Castle Street Surgery"]), bold=True)
        b.title(rng.choice(["Repeat prescription", "Repeat medication slip", "Repeat prescription request"]))
        b.line(f"{p['name']}  DOB {fmt_date(rng, p['dob'], 'en')}")
        b.table(["Medication", "Dose", "Qty", "Last issued", "Reorder"],
                [[f"{EN_DRUG.get(m[0], m[0])} {m[1].replace(',', '.')} {m[3]}", pick(rng, DOSE_EN), str(rng.choice([28, 56, 84])),
                  fmt_date(rng, random_date(rng, 2023, 2026), "en", "slash"), "[ ]"] for m in rng.sample(MEDS, rng.randint(1, 5))])
        b.para("Please allow 48 hours for your repeat prescription to be processed. Tick the items you need.")
    return b.doc


# =========================================================================== referral
REF_TO_NO = ["Ortopedisk poliklinikk", "Medisinsk poliklinikk", "Hjertepoliklinikken", "Nevrologisk poliklinikk", "Øre-nese-hals poliklinikk",
             "Hudpoliklinikken", "Gynekologisk poliklinikk", "Distriktspsykiatrisk senter (DPS)", "Barne- og ungdomspsykiatrisk poliklinikk",
             "Revmatologisk poliklinikk", "Urologisk poliklinikk", "Øyepoliklinikken", "Fysikalsk medisin og rehabilitering",
             "Smerteklinikken", "Endokrinologisk poliklinikk", "Gastrokirurgisk poliklinikk"]
REF_TO_EN = ["Orthopaedic clinic", "General Medicine Outpatients", "Cardiology Outpatients", "Neurology clinic", "ENT clinic",
             "Dermatology", "Gynaecology", "Community Mental Health Team", "Rheumatology", "Urology", "Ophthalmology", "Pain clinic",
             "Endocrinology", "Colorectal surgery", "Physiotherapy", "Memory clinic"]


def ref_henvisning(rng, lang):
    p = person(rng, "no")
    b = B("referral", "ref_henvisning", "no")
    clinic_header(rng, b, "no", hospital=False)
    to = pick(rng, REF_TO_NO)
    h = pick(rng, HOSPITALS_NO)
    b.title(rng.choice(["HENVISNING", "Henvisning", f"Henvisning til {to.lower()}", "Henvisning til spesialisthelsetjenesten",
                        "Elektronisk henvisning", "Henvisning - vurdering"]))
    b.kv([("Henvist til", f"{to}, {h}"), ("Henvisende lege", f"{doctor(rng)}, {gp_office(rng)}") if maybe(rng, 0.7) else ("Henvisende instans", gp_office(rng)),
          ("Dato", fmt_date(rng, random_date(rng, 2019, 2026)))], style=rng.choice(["colon", "tab"]))
    _patient_block(rng, b, p, "no")
    if maybe(rng, 0.4):
        b.para(rng.choice(["Takk for at du ser på denne pasienten.", "Jeg henviser herved pasienten til vurdering.",
                           "Henvises for vurdering og eventuell behandling.", "Ber om at pasienten blir vurdert ved deres poliklinikk.",
                           "Pasienten henvises til utredning.", "Jeg ber om time til vurdering av pasienten."]))
    if maybe(rng, 0.5):
        b.kv([("Tolk", rng.choice(["Nei", "Ja, arabisk", "Ja, polsk", "Nei"])), ("Hastegrad", rng.choice(["Vanlig", "Haster", "Øyeblikkelig hjelp", "Innen 4 uker"]))])
    dx = pick(rng, ICD10)
    secs = [("Problemstilling" if maybe(rng, 0.6) else "Spørsmålsstilling",
             rng.choice([f"Bes vurdert med tanke på {dx[1].lower()}.", f"Spørsmål om {dx[1].lower()}? Ønsker utredning og behandling.",
                         "Ønsker vurdering av behov for operasjon.", f"Bes vurdert for videre utredning av {pick(rng, SYMPTOMS_NO)}.",
                         "Vennligst vurder pasienten for poliklinisk oppfølging."])),
            ("Anamnese" if maybe(rng, 0.5) else "Sykehistorie", history_no(rng, p["name"])),
            ("Funn", rng.choice(["BT 145/90. Normal status for øvrig.", "Nedsatt bevegelighet i kneet, hydrops.", "Hjertelyd: systolisk bilyd."])),
            ("Aktuelle legemidler", "; ".join(med_line(rng, "no", False) for _ in range(rng.randint(1, 3)))),
            ("Tidligere sykdommer", rng.choice(["Hypertensjon.", "Astma i barndommen.", "Ingen."])),
            ("Vurdering", rng.choice(["Jeg har ikke kommet videre i utredningen og ber om hjelp.", "Pasienten er informert om og ønsker henvisningen.",
                                      "Har forsøkt fysioterapi uten effekt."]))]
    for k, t in rng.sample(secs, rng.randint(3, 6)):
        b.line(k, bold=True)
        b.para(t)
    if maybe(rng, 0.5):
        b.line(rng.choice(["Pasienten er informert om henvisningen.", "Kopi av henvisning er sendt pasienten.", "Svar bes sendt henvisende lege."]))
    _signoff(rng, b, "no", role=rng.choice(["fastlege", "lege", "spesialist i allmennmedisin"]))
    return b.doc


def ref_en(rng, lang):
    p = person(rng, "en")
    b = B("referral", "ref_en_letter", "en")
    clinic_header(rng, b, "en", hospital=False)
    to = pick(rng, REF_TO_EN)
    b.title(rng.choice(["Referral Letter", "REFERRAL", f"Referral to {to}", "Request for specialist assessment", "GP referral"]))
    b.kv([("Referred to", f"{to}, {pick(rng, HOSPITALS_EN)}"), ("Referring clinician", f"Dr {doctor(rng, 'en')}"),
          ("Urgency", rng.choice(["Routine", "Urgent", "Two-week wait (suspected cancer)", "Soon"])),
          ("Date of referral", fmt_date(rng, random_date(rng, 2019, 2026), "en"))])
    _patient_block(rng, b, p, "en")
    if maybe(rng, 0.6):
        b.para(rng.choice(["Dear Colleague, thank you for seeing this", "I am writing to refer this", "I would be grateful if you could see this",
                           "Many thanks for assessing this", "Please could you see this"]) + f" {rng.randint(18, 90)}-year-old {rng.choice(['man', 'woman'])} with {pick(rng, SYMPTOMS_EN)}.")
    for k, t in rng.sample([("Reason for referral", f"Please assess for {pick(rng, ICD10)[2].lower()}."),
                            ("History", f"{rng.choice(['Three months of', 'Six weeks of', 'Progressive'])} {pick(rng, SYMPTOMS_EN)}. {course_en(rng)[:120]}"),
                            ("Examination", rng.choice(["BP 150/92. Otherwise unremarkable.", "Effusion of the right knee.", "Soft systolic murmur."])),
                            ("Current medications", "; ".join(med_line(rng, "en", False) for _ in range(rng.randint(1, 3)))),
                            ("Allergies", rng.choice(["NKDA", "Penicillin", "None known"])),
                            ("What I would like", rng.choice(["Diagnosis and management advice.", "Consideration for surgery.", "Further investigation."]))],
                           rng.randint(3, 5)):
        b.line(k, bold=True)
        b.para(t)
    _signoff(rng, b, "en", role="General Practitioner")
    return b.doc


def ref_imaging(rng, lang):
    p = person(rng, lang)
    no = lang == "no"
    b = B("referral", "ref_imaging_request", lang)
    exam = rng.choice(["MR kne høyre", "CT thorax med kontrast", "Ultralyd abdomen", "Røntgen thorax", "MR columna lumbalis", "CT caput",
                       "Mammografi", "Røntgen venstre håndledd"]) if no else \
        rng.choice(["MRI right knee", "CT chest with contrast", "Abdominal ultrasound", "Chest X-ray", "MRI lumbar spine", "CT head"])
    if no:
        b.line(gp_office(rng), bold=True)
        b.title(rng.choice(["Henvisning til radiologisk undersøkelse", "Henvisning til bildediagnostikk", "Røntgenhenvisning", "Henvisning MR"]))
        b.kv([("Henvist til", rng.choice(["Røntgenavdelingen", "Unilabs Røntgen", "Aleris Røntgen", "Radiologisk avdeling"])),
              ("Undersøkelse", exam), ("Pasient", p["name"]), ("Fødselsnr.", fmt_fnr(rng, p["fnr"])),
              ("Klinisk problemstilling", rng.choice(["Spørsmål om meniskskade etter vridningstraume.", "Utredning av vedvarende hoste og vekttap.",
                                                      "Smerter i høyre øvre kvadrant, gallestein?", "Isjias med utstråling til venstre fot."])),
              ("Kreatinin/eGFR", f"{rng.randint(55, 110)} µmol/L / {rng.randint(50, 100)}") if maybe(rng, 0.5) else (None, None),
              ("Gravid", "Nei") if maybe(rng, 0.4) else (None, None), ("Pacemaker/metall", "Nei") if maybe(rng, 0.5) else (None, None),
              ("Hastegrad", rng.choice(["Vanlig", "Haster", "Innen 2 uker"]))])
    else:
        b.line(rng.choice(["Riverside Surgery", "Park Lane Medical Practice"]), bold=True)
        b.title(rng.choice(["Imaging request", "Radiology referral", "X-ray request form"]))
        b.kv([("Referred to", "Radiology Department"), ("Examination requested", exam), ("Patient", p["name"]),
              ("DOB", fmt_date(rng, p["dob"], "en")), ("Clinical question", rng.choice(["?meniscal tear", "?malignancy, weight loss and cough",
                                                                                         "?gallstones", "?disc prolapse"])),
              ("Pregnant", "No"), ("eGFR", str(rng.randint(50, 100)))])
    _signoff(rng, b, lang)
    return b.doc


def ref_other_service(rng, lang):
    p = person(rng, "no")
    b = B("referral", "ref_physio_psych_rehab", "no")
    clinic_header(rng, b, "no", hospital=False)
    svc = rng.choice(["fysioterapi", "psykisk helsevern (DPS)", "rehabilitering", "ernæringsfysiolog", "logoped", "kiropraktor",
                      "hjemmesykepleie", "lærings- og mestringssenter", "manuellterapeut", "hukommelsesutredning"])
    b.title(rng.choice([f"Henvisning til {svc}", f"HENVISNING - {svc}", "Henvisning"]))
    _patient_block(rng, b, p, "no")
    b.kv([("Henvist til", svc.capitalize()), ("Henvisningsårsak", pick(rng, ICPC2)[1]),
          ("Henvist av", doctor(rng)), ("Ønsket tiltak", rng.choice(["Vurdering og behandling", "Opptrening", "Utredning", "Samtaleterapi"]))])
    b.para(history_no(rng, p["name"]))
    b.para(rng.choice(["Pasienten er motivert for behandling.", "Ber om at pasienten får time så snart som mulig.",
                       "Henvisningen gjelder for 12 behandlinger."]))
    _signoff(rng, b, "no", role="fastlege")
    return b.doc


def ref_colleague_letter(rng, lang):
    """HELD-OUT template: referral written as a free-text letter to a colleague."""
    p = person(rng, lang)
    no = lang == "no"
    b = B("referral", "ref_colleague_letter", lang)
    clinic_header(rng, b, lang, hospital=False)
    if no:
        b.line(f"Til {pick(rng, REF_TO_NO)}, {pick(rng, HOSPITALS_NO)}")
        b.title(rng.choice(["Vurdering bes", "Anmodning om vurdering", "Forespørsel om spesialistvurdering"]), size=1.3)
        b.line(f"Gjelder: {p['name']}, {fmt_fnr(rng, p['fnr'])}")
        b.para(f"Kjære kollega. Jeg ber om at du ser på denne pasienten som har hatt {pick(rng, SYMPTOMS_NO)} i flere måneder. "
               f"{history_no(rng, p['name'])} Jeg lurer på om det kan dreie seg om {pick(rng, ICD10)[1].lower()}, og ber om utredning.")
        b.para("Pasienten er kjent med at jeg sender denne forespørselen, og ønsker time hos dere.")
    else:
        b.line(f"To: {pick(rng, REF_TO_EN)}, {pick(rng, HOSPITALS_EN)}")
        b.title(rng.choice(["Request for specialist opinion", "Consultation request", "Re: request for assessment"]), size=1.3)
        b.line(f"Re: {p['name']}, DOB {fmt_date(rng, p['dob'], 'en')}")
        b.para(f"Dear colleague, I would be grateful for your opinion on this patient who has had {pick(rng, SYMPTOMS_EN)} for several months. "
               f"I wonder whether this could be {pick(rng, ICD10)[2].lower()} and would appreciate further investigation.")
        b.para("The patient is aware of this request and is keen to be seen.")
    _signoff(rng, b, lang)
    return b.doc


TEMPLATES = {
    "medical_certificate": [(mc_legeerklaering, False, "no"), (mc_sykmelding, False, "no"), (mc_en_certificate, False, "en"),
                            (mc_helseattest_forerkort, False, "nox"), (mc_skolefravaer, True, "nox")],
    "lab_report": [(lab_no_table, False, "no"), (lab_en_table, False, "en"), (lab_micro, False, "nox"), (lab_lines, False, "nox"),
                   (lab_pathology, False, "nox"), (lab_cumulative, True, "nox")],
    "discharge_summary": [(ds_epikrise, False, "no"), (ds_en, False, "en"), (ds_nursing, False, "no"), (ds_outpatient, False, "nox"),
                          (ds_letter, True, "nox")],
    "prescription": [(rx_resept_no, False, "no"), (rx_eresept_list, False, "no"), (rx_en, False, "en"), (rx_kvittering, False, "no"),
                     (rx_renewal, True, "nox")],
    "referral": [(ref_henvisning, False, "no"), (ref_en, False, "en"), (ref_imaging, False, "nox"), (ref_other_service, False, "no"),
                 (ref_colleague_letter, True, "nox")],
}
