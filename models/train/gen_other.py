"""Templates for `other`: everything non-clinical or unrecognised, including hard negatives
(pharmacy receipts, booking letters for blood tests or passport appointments, package leaflets,
insurance claims for illness abroad, dental invoices ...)."""
from __future__ import annotations

import datetime as dt

from clinvocab import MEDS, DOSE_NO, SYMPTOMS_NO
from docmodel import B
from fakedata import (CITIES, COMPANIES, HOSPITALS_NO, LABS_NO, PHARMACIES, address, digits, doctor, fmt_date, kontonr,
                      letters, maybe, money, orgnr, person, phone, pick, random_date, STREETS)


def _company_head(rng, b, name=None, lang="no"):
    name = name or pick(rng, COMPANIES)
    a1, a2 = address(rng, lang)
    align = rng.choice(["left", "right", "center"])
    b.line(name, bold=True, size=rng.choice([1.2, 1.5, 1.0]), align=align)
    b.line(f"{a1}, {a2}", size=0.85, align=align)
    if maybe(rng, 0.6):
        b.line(f"Org.nr. {orgnr(rng)} MVA" if lang == "no" else f"VAT No. GB{digits(rng, 9)}", size=0.8, align=align)
    return name


def _recipient(rng, b, lang="no"):
    p = person(rng, lang)
    a1, a2 = address(rng, lang)
    b.lines([p["name"], a1, a2], size=0.95)
    b.gap()
    return p


# --------------------------------------------------------------------------- invoices and receipts
ITEMS_NO = ["Arbeid, timer", "Materialer", "Kjøring", "Abonnement", "Månedsavgift", "Nettleie", "Strømforbruk", "Service",
            "Reservedeler", "Konsulenttimer", "Frakt", "Lisens", "Rengjøring", "Dekkskift", "Maling 10 L", "Kontorstoler",
            "Vindusvask", "Brøyting", "Hosting", "Support"]
ITEMS_EN = ["Labour (hours)", "Materials", "Delivery", "Subscription", "Monthly fee", "Consulting", "Spare parts", "Licence",
            "Cleaning", "Shipping", "Software support", "Office supplies"]


def invoice(rng, lang):
    no = lang == "no"
    b = B("other", "invoice", lang)
    comp = _company_head(rng, b, lang=lang)
    _recipient(rng, b, lang)
    b.title(rng.choice(["FAKTURA", "Faktura", "Kreditnota", "Purring"]) if no else rng.choice(["INVOICE", "Invoice", "Tax invoice", "Reminder"]))
    d = random_date(rng, 2019, 2026)
    b.kv([("Fakturanr." if no else "Invoice No.", digits(rng, 6)), ("Fakturadato" if no else "Invoice date", fmt_date(rng, d, lang)),
          ("Forfallsdato" if no else "Due date", fmt_date(rng, d + dt.timedelta(days=rng.choice([10, 14, 30])), lang)),
          ("Kundenr." if no else "Customer No.", digits(rng, 5)), ("Deres ref." if no else "Your ref.", person(rng, lang)["name"]) if maybe(rng, 0.5) else (None, None)],
         style=rng.choice(["colon", "tab"]))
    rows = []
    for it in rng.sample(ITEMS_NO if no else ITEMS_EN, rng.randint(1, 6)):
        q = rng.randint(1, 12)
        rows.append([it, str(q), money(rng, 50, 2500, lang), money(rng, 100, 20000, lang)])
    b.table(["Beskrivelse", "Antall", "Pris", "Beløp"] if no else ["Description", "Qty", "Unit price", "Amount"], rows)
    b.kv([("Sum eks. mva" if no else "Subtotal", money(rng, 500, 30000, lang)), ("MVA 25 %" if no else "VAT 20%", money(rng, 100, 7000, lang)),
          ("Å betale" if no else "Total due", f"{'kr' if no else '£'} {money(rng, 600, 37000, lang)}")])
    if no:
        b.kv([("Kontonr.", kontonr(rng)), ("KID", digits(rng, rng.choice([8, 11, 15])))])
        if maybe(rng, 0.5):
            b.para(rng.choice(["Ved for sen betaling beregnes forsinkelsesrente etter forsinkelsesrenteloven.", "Takk for handelen!",
                               "Fakturaen kan betales i nettbanken. Husk å bruke KID."]))
    else:
        b.kv([("Sort code", f"{digits(rng, 2)}-{digits(rng, 2)}-{digits(rng, 2)}"), ("Account", digits(rng, 8))])
        b.para("Payment terms: 30 days. Thank you for your business.")
    return b.doc


def dental_invoice(rng, lang):
    """Hard negative: a dentist's / physiotherapist's / private clinic's bill (clinical words, but an invoice)."""
    b = B("other", "clinic_invoice", "no")
    clinic = rng.choice(["Tannlegene i Sentrum", "Smil Tannklinikk", f"{pick(rng, CITIES)[1]} Fysioterapi", "Privatklinikken AS",
                         f"{pick(rng, STREETS)} legesenter"])
    _company_head(rng, b, clinic)
    p = _recipient(rng, b)
    b.title(rng.choice(["Faktura", "Regning", "Kvittering for betalt behandling", "Pasientregning"]))
    b.kv([("Fakturanr.", digits(rng, 6)), ("Behandlingsdato", fmt_date(rng, random_date(rng, 2019, 2026))), ("Pasient", p["name"])])
    rows = [[t, money(rng, 150, 3500)] for t in rng.sample(["Undersøkelse", "Røntgen, 2 bilder", "Tannrens", "Fylling, 2 flater", "Bedøvelse",
                                                             "Konsultasjon", "Egenandel", "Fysioterapi, 30 min", "Attestgebyr", "Forbruksmateriell",
                                                             "Blodprøvetaking", "EKG"], rng.randint(2, 5))]
    b.table(["Behandling", "Beløp"], rows)
    b.kv([("Totalt", f"kr {money(rng, 300, 9000)}"), ("Betalt med", rng.choice(["Bankkort", "Vipps", "Faktura"]))])
    if maybe(rng, 0.5):
        b.para("Egenandelen teller med i frikortgrunnlaget." if maybe(rng, 0.5) else "Beløpet betales innen 14 dager til konto " + kontonr(rng))
    return b.doc


def pharmacy_receipt(rng, lang):
    """Hard negative for prescription: a pharmacy till receipt / invoice."""
    b = B("other", "pharmacy_receipt", "no", kind="receipt")
    ph = pick(rng, PHARMACIES)
    b.line(ph, bold=True, align="center")
    b.line(f"{address(rng)[1]}  Org.nr {orgnr(rng)}", size=0.8, align="center")
    b.line(rng.choice(["KVITTERING", "Salgskvittering", "Faktura", "Kvittering"]), bold=True, align="center")
    b.line(f"{fmt_date(rng, random_date(rng, 2019, 2026), 'no', 'dots')} {rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}  Kasse {rng.randint(1, 4)}", size=0.85)
    rows = []
    for _ in range(rng.randint(1, 6)):
        if maybe(rng, 0.5):
            m = pick(rng, MEDS)
            rows.append([f"{m[0]} {m[1]} {rng.choice(['20 stk', '10 stk', '30 stk', '100 ml'])}", money(rng, 29, 399)])
        else:
            rows.append([rng.choice(["Solkrem SPF 30", "Plaster 20 stk", "Tannkrem", "Håndkrem", "Vitaminer", "Neseskylling", "Termometer",
                                     "Bæreposer", "Hostesaft", "Øyedråper", "Fotkrem", "Tyggegummi nikotin"]), money(rng, 19, 299)])
    if maybe(rng, 0.3):
        rows.append(["Egenandel blå resept", money(rng, 50, 520)])
    b.table(None, rows, size=0.9)
    b.kv([("TOTALT", money(rng, 60, 1500)), ("Herav MVA", money(rng, 10, 300)), (rng.choice(["BANKAXEPT", "VISA", "Vipps", "KONTANT"]), money(rng, 60, 1500))])
    b.line(rng.choice(["Takk for besøket!", "Bytterett 30 dager mot kvittering. Legemidler byttes ikke.", "Velkommen tilbake"]), size=0.8, align="center")
    return b.doc


def store_receipt(rng, lang):
    b = B("other", "store_receipt", lang, kind="receipt")
    b.line(rng.choice(["KIWI", "REMA 1000", "Coop Extra", "Meny", "Joker", "Bunnpris", "Tesco", "Biltema", "Clas Ohlson", "XXL"]), bold=True, align="center")
    b.line(f"{fmt_date(rng, random_date(rng, 2019, 2026), 'no', 'dots')} {rng.randint(8, 22):02d}:{rng.randint(0, 59):02d}", size=0.85)
    items = ["Melk 1L", "Brød grovt", "Egg 12 stk", "Kaffe", "Bananer", "Smør", "Ost Norvegia", "Kyllingfilet", "Pasta", "Tomater",
             "Epler", "Yoghurt", "Pose", "Batterier AA", "Lyspære", "Skruer", "Toalettpapir", "Juice", "Laks", "Potetgull"]
    b.table(None, [[it, money(rng, 5, 150)] for it in rng.sample(items, rng.randint(3, 10))], size=0.9)
    b.kv([("SUM", money(rng, 50, 1200)), ("BANKAXEPT" if maybe(rng, 0.7) else "KONTANT", money(rng, 50, 1200))])
    return b.doc


# --------------------------------------------------------------------------- letters
LETTER_SUBJ_NO = ["Vedtak om eiendomsskatt", "Informasjon om renovasjon", "Endring i vilkår for boliglån", "Fornyelse av forsikring",
                  "Innkalling til foreldremøte", "Svar på søknad om barnehageplass", "Varsel om vannavstenging", "Bekreftelse på oppsigelse",
                  "Årsoppgave", "Melding om flytting", "Informasjon om skoleskyss", "Bekreftelse av medlemskap", "Søknad om parkeringstillatelse",
                  "Innkalling til generalforsamling i borettslaget", "Vedtak om byggetillatelse", "Vedtak om sykepenger",
                  "Frikort for egenandeler", "Passet ditt utløper snart", "Førerkortet ditt må fornyes", "Informasjon om fastlegebytte",
                  "Svar på klage", "Varsel om endring av barnetrygd"]
LETTER_BODY_NO = ["Vi viser til din henvendelse og bekrefter at saken er mottatt.", "Vedtaket kan påklages innen tre uker fra mottak av dette brevet.",
                  "Dersom du har spørsmål, kan du kontakte oss på telefon eller e-post.", "Det vil bli gjennomført arbeid på vannledningen i ditt område.",
                  "Forsikringen fornyes automatisk dersom vi ikke hører fra deg.", "Renten på lånet endres med virkning fra neste termin.",
                  "Møtet holdes i kantinen, og det blir servert kaffe og kake.", "Vi minner om at fristen for å levere søknad er 1. mars.",
                  "Du har fått plass i barnehagen fra august. Vennligst svar innen 14 dager.", "Beløpet vil bli trukket fra din konto på forfallsdato.",
                  "Informasjonen er også tilgjengelig på våre nettsider.", "Vi beklager eventuelle ulemper dette medfører.",
                  "Saksbehandlingstiden er for tiden om lag åtte uker.", "Kommunestyret behandlet saken i sitt møte forrige måned.",
                  "Husk å sortere plast, papir og matavfall i riktige dunker.", "Borettslaget minner om dugnad lørdag kl. 10.",
                  "NAV har behandlet søknaden din om sykepenger, og du får utbetalt sykepenger for perioden.",
                  "Du har nådd grensen for egenandeler og vil få frikort tilsendt.",
                  "Passet ditt utløper om tre måneder. Bestill time hos politiet i god tid før du skal reise.",
                  "Førerkortet ditt utløper snart. Du kan fornye førerkortet på vegvesen.no.",
                  "Du har fått ny fastlege fra neste måned. Du kan bytte fastlege på helsenorge.no."]
LETTER_SUBJ_EN = ["Council tax bill", "Your new bank card", "Changes to your account terms", "Renewal of your home insurance",
                  "Parents' evening invitation", "Your parking permit", "Planned water supply interruption", "Membership confirmation"]
LETTER_BODY_EN = ["Thank you for your recent enquiry, which we have now received.", "You can appeal against this decision within 28 days.",
                  "If you have any questions, please contact our customer service team.", "Your policy will renew automatically unless you tell us otherwise.",
                  "Please find enclosed your new card; your old card will stop working in 30 days.", "We apologise for any inconvenience this may cause.",
                  "The meeting will be held in the school hall at 6 pm.", "Payment will be collected by direct debit on the due date."]


def letter(rng, lang):
    no = lang == "no"
    b = B("other", "letter", lang)
    sender = rng.choice([f"{pick(rng, CITIES)[1]} kommune", "Skatteetaten", "Banken Vest", "Forsikringsselskapet Trygg", "Borettslaget Solsiden",
                         f"{pick(rng, CITIES)[1]} skole", "Statens vegvesen", "Huseierforeningen", "Lånekassen", "Posten"]) if no else \
        rng.choice(["City Council", "Northern Bank plc", "HomeSure Insurance", "Greenfield Primary School", "Water Services Ltd"])
    _company_head(rng, b, sender, lang)
    p = _recipient(rng, b, lang)
    b.line(f"{pick(rng, CITIES)[1] if no else ''} {fmt_date(rng, random_date(rng, 2019, 2026), lang)}".strip(), align="right")
    b.line(("Vår ref.: " if no else "Our ref: ") + f"{random_date(rng).year}/{digits(rng, 4)}", size=0.85)
    b.title(pick(rng, LETTER_SUBJ_NO if no else LETTER_SUBJ_EN), size=1.2)
    b.line(f"Hei {p['first']}," if no and maybe(rng, 0.5) else (f"Dear {p['name']}," if not no else ""))
    for _ in range(rng.randint(1, 3)):
        b.para(" ".join(rng.sample(LETTER_BODY_NO if no else LETTER_BODY_EN, rng.randint(2, 4))))
    b.line("Med vennlig hilsen" if no else "Yours sincerely")
    b.sig(doctor(rng, lang))
    b.line(rng.choice(["saksbehandler", "rådgiver", "kundeservice", "styreleder"]) if no else rng.choice(["Customer Services", "Head Teacher", "Manager"]))
    return b.doc


def booking_letter(rng, lang):
    """Hard negative: appointment letters (blood sampling, hospital visit, passport office, driving test) — not one of the 8 types."""
    no = lang == "no"
    b = B("other", "booking_letter", lang)
    p = person(rng, lang)
    d = random_date(rng, 2020, 2026)
    t = f"{rng.randint(7, 15):02d}:{rng.choice(['00', '15', '30', '45'])}"
    kind = rng.choice(["lab", "hospital", "police", "driving", "vaccine"])
    if no:
        if kind == "lab":
            b.line(pick(rng, LABS_NO), bold=True)
            b.title(rng.choice(["Innkalling til blodprøvetaking", "Timebekreftelse - prøvetaking", "Bekreftelse på time hos laboratoriet"]), size=1.3)
            b.para(f"Hei {p['first']}. Du har fått time til blodprøvetaking {fmt_date(rng, d)} kl. {t}. Husk å faste fra midnatt dersom legen har bedt om det. "
                   "Ta med legitimasjon. Svar på prøvene sendes til din lege, og du får ikke svar i dette brevet.")
            b.para("Avbestilling må skje senest 24 timer før timen, ellers må du betale gebyr.")
        elif kind == "hospital":
            b.line(pick(rng, HOSPITALS_NO), bold=True)
            b.title(rng.choice(["Innkalling til poliklinisk time", "Timeavtale", "Innkalling"]), size=1.3)
            b.para(f"Du er satt opp til time {fmt_date(rng, d)} kl. {t} ved poliklinikken. Møt i ekspedisjonen 15 minutter før. "
                   "Egenandel betales etter timen. Parkering er begrenset, bruk gjerne kollektivtransport.")
            b.para("Har du spørsmål om timen, kan du ringe oss mellom kl. 08 og 15. Informasjon om dine rettigheter finner du på helsenorge.no.")
        elif kind == "police":
            b.line("Politiet - pass og ID-kort", bold=True)
            b.title(rng.choice(["Bekreftelse på timebestilling", "Kvittering for søknad om pass", "Timebestilling for pass og nasjonalt ID-kort"]), size=1.3)
            b.para(f"Du har bestilt time for søknad om {rng.choice(['pass', 'nasjonalt ID-kort', 'pass og ID-kort'])} {fmt_date(rng, d)} kl. {t}. "
                   "Ta med gammelt pass eller annen gyldig legitimasjon. Gebyret betales ved oppmøte. Passet sendes i posten innen tre uker.")
            b.kv([("Referansenummer", letters(rng, 3) + digits(rng, 6)), ("Sted", f"{pick(rng, CITIES)[1]} politistasjon")])
        elif kind == "driving":
            b.line("Statens vegvesen", bold=True)
            b.title(rng.choice(["Bekreftelse på bestilt førerprøve", "Kvittering - oppkjøring", "Timebekreftelse teoriprøve"]), size=1.3)
            b.para(f"Du har time til {rng.choice(['praktisk prøve klasse B', 'teoriprøve', 'praktisk prøve klasse A'])} {fmt_date(rng, d)} kl. {t} "
                   f"ved {pick(rng, CITIES)[1]} trafikkstasjon. Ta med gyldig legitimasjon med bilde. Gebyr kr {rng.choice([1100, 1290, 320])}.")
        else:
            b.line(f"{pick(rng, CITIES)[1]} kommune - vaksinasjonskontoret", bold=True)
            b.title("Timebekreftelse vaksine", size=1.3)
            b.para(f"Du har fått time til vaksinasjon {fmt_date(rng, d)} kl. {t}. Ta med legitimasjon og bruk kortermet trøye.")
    else:
        b.line(rng.choice(["Pathology Laboratory", "City General Hospital", "HM Passport Office", "DVSA", "Riverside Surgery"]), bold=True)
        b.title(rng.choice(["Appointment confirmation", "Your appointment", "Booking confirmation"]), size=1.3)
        b.para(f"Dear {p['name']}, your appointment is on {fmt_date(rng, d, 'en')} at {t}. " + rng.choice([
            "Please fast for 12 hours before your blood test and bring photo ID. Results will be sent to your GP.",
            "Please arrive 15 minutes early and report to the main reception.",
            "Please bring your old passport and two photographs. Your passport will be posted to you.",
            "Your practical driving test centre details are shown below. Bring your photocard licence."]))
        b.para("To cancel or rearrange, please call us at least 24 hours in advance.")
    return b.doc


def package_leaflet(rng, lang):
    """Hard negative for prescription: the patient information leaflet inside a medicine pack."""
    no = lang == "no"
    m = pick(rng, MEDS)
    b = B("other", "package_leaflet", lang)
    if no:
        b.title("Pakningsvedlegg: Informasjon til brukeren", size=1.3)
        b.line(f"{m[0]} {m[1]} {m[2]}", bold=True)
        b.para("Les nøye gjennom dette pakningsvedlegget før du begynner å bruke dette legemidlet. Det inneholder informasjon som er viktig for deg. "
               "Ta vare på dette pakningsvedlegget. Du kan få behov for å lese det igjen.")
        secs = [("1. Hva " + m[0] + " er og hva det brukes mot", "Legemidlet brukes til behandling av " + rng.choice(["smerter og feber", "høyt blodtrykk", "infeksjoner", "høyt kolesterol"]) + "."),
                ("2. Hva du må vite før du bruker " + m[0], "Bruk ikke legemidlet dersom du er allergisk overfor virkestoffet eller noen av de andre innholdsstoffene."),
                ("3. Hvordan du bruker " + m[0], f"Bruk alltid dette legemidlet nøyaktig slik legen eller apoteket har fortalt deg. Vanlig dose er {pick(rng, DOSE_NO).lower()}."),
                ("4. Mulige bivirkninger", "Som alle legemidler kan dette legemidlet forårsake bivirkninger, men ikke alle får det. Vanlige: hodepine, kvalme, svimmelhet."),
                ("5. Hvordan du oppbevarer " + m[0], "Oppbevares utilgjengelig for barn. Oppbevares ved høyst 25 °C."),
                ("6. Innholdet i pakningen og ytterligere informasjon", f"Innehaver av markedsføringstillatelsen: {pick(rng, COMPANIES)}. Pakningsvedlegget ble sist oppdatert {fmt_date(rng, random_date(rng, 2015, 2025), 'no', 'long')}.")]
    else:
        b.title("Package leaflet: Information for the user", size=1.3)
        b.line(f"{m[0]} {m[1].replace(',', '.')} {m[3]}", bold=True)
        b.para("Read all of this leaflet carefully before you start taking this medicine because it contains important information for you.")
        secs = [("1. What this medicine is and what it is used for", "It is used to treat pain and fever."),
                ("2. What you need to know before you take it", "Do not take it if you are allergic to the active substance."),
                ("3. How to take it", "Always take this medicine exactly as your doctor or pharmacist has told you. The recommended dose is one tablet twice daily."),
                ("4. Possible side effects", "Like all medicines, this medicine can cause side effects, although not everybody gets them."),
                ("5. How to store it", "Keep this medicine out of the sight and reach of children.")]
    for h, t in rng.sample(secs, rng.randint(3, len(secs))):
        b.line(h, bold=True)
        b.para(t)
    return b.doc


def insurance_claim(rng, lang):
    """Hard negative for medical certificate: a travel/health insurance claim form."""
    no = lang == "no"
    p = person(rng, lang)
    b = B("other", "insurance_claim", lang)
    b.line(rng.choice(["Forsikringsselskapet Trygg", "Nordisk Reiseforsikring", "Helseforsikring AS"]) if no else rng.choice(["TravelSafe Insurance", "HealthFirst Ltd"]), bold=True)
    b.title(rng.choice(["Skademelding - reisesyke", "Krav om erstatning: sykdom på reise", "Skademelding behandlingsforsikring"]) if no else
            rng.choice(["Travel insurance claim form - medical expenses", "Claim form"]), size=1.3)
    b.kv([("Forsikringstaker" if no else "Policyholder", p["name"]), ("Polisenummer" if no else "Policy number", digits(rng, 9)),
          ("Reisemål" if no else "Destination", rng.choice(["Spania", "Thailand", "Hellas", "USA"]) if no else rng.choice(["Spain", "Greece", "USA"])),
          ("Hendelsesdato" if no else "Date of incident", fmt_date(rng, random_date(rng, 2019, 2026), lang)),
          ("Beskrivelse" if no else "Description", (f"Fikk {pick(rng, SYMPTOMS_NO)} og måtte oppsøke lege" if no else "Fell ill and visited a local clinic")),
          ("Utgifter" if no else "Expenses", f"{money(rng, 500, 25000, lang)}"),
          ("Kontonummer for utbetaling" if no else "Bank account for payment", kontonr(rng))])
    b.para("Legg ved originale kvitteringer og eventuell legeerklæring. Uriktige opplysninger kan føre til at erstatning avslås." if no else
           "Please enclose original receipts and any medical report. Incorrect information may invalidate your claim.")
    b.line(("Underskrift forsikringstaker" if no else "Signature of policyholder"))
    return b.doc


# --------------------------------------------------------------------------- non-clinical text
RECIPES_NO = [("Fiskesuppe", ["500 g torskefilet", "2 gulrøtter", "1 purre", "1 L fiskekraft", "2 dl fløte", "salt og pepper", "frisk dill"],
               ["Skjær grønnsakene i små biter.", "Kok opp kraften og ha i grønnsakene.", "Tilsett fisken og la det trekke i 5 minutter.", "Smak til med fløte, salt og pepper."]),
              ("Kjøttkaker i brun saus", ["600 g kjøttdeig", "1 egg", "1 ts salt", "2 ss potetmel", "3 dl melk", "brun saus"],
               ["Bland kjøttdeig, salt og egg.", "Form kakene og stek dem i smør.", "Lag brun saus og la kakene småkoke i sausen i 15 minutter."]),
              ("Vafler", ["4 egg", "1 dl sukker", "5 dl hvetemel", "5 dl melk", "100 g smeltet smør", "1 ts kardemomme"],
               ["Visp egg og sukker luftig.", "Rør inn mel og melk vekselvis.", "Tilsett smør og la røren svelle i 15 minutter.", "Stek i vaffeljern."]),
              ("Lapskaus", ["500 g storfekjøtt", "6 poteter", "3 gulrøtter", "1 kålrot", "1 løk", "buljong"],
               ["Skjær kjøtt og grønnsaker i terninger.", "Brun kjøttet og ha i vann og buljong.", "Kok i en time til alt er mørt."]),
              ("Eplekake", ["3 egg", "2 dl sukker", "150 g smør", "3 dl hvetemel", "1 ts bakepulver", "3 epler", "kanel"],
               ["Visp egg og sukker til eggedosis.", "Rør inn smør og mel.", "Legg eplebåter på toppen og strø over kanel.", "Stekes på 180 grader i 40 minutter."])]
RECIPES_EN = [("Tomato soup", ["1 kg tomatoes", "1 onion", "2 cloves garlic", "750 ml vegetable stock", "2 tbsp olive oil", "fresh basil"],
               ["Fry the onion and garlic in the oil.", "Add the tomatoes and stock and simmer for 20 minutes.", "Blend until smooth and season."]),
              ("Banana bread", ["3 ripe bananas", "75 g melted butter", "150 g sugar", "1 egg", "190 g flour", "1 tsp baking soda"],
               ["Mash the bananas.", "Mix in butter, sugar and egg.", "Fold in flour and soda.", "Bake at 175 °C for 60 minutes."]),
              ("Pancakes", ["200 g flour", "2 eggs", "300 ml milk", "pinch of salt", "butter for frying"],
               ["Whisk everything to a smooth batter.", "Rest for 10 minutes.", "Fry thin pancakes in butter."])]


def recipe(rng, lang):
    no = lang == "no"
    name, ingr, steps = pick(rng, RECIPES_NO if no else RECIPES_EN)
    b = B("other", "recipe", lang)
    b.title(name)
    b.line(f"{rng.randint(2, 8)} {'porsjoner' if no else 'servings'} · {rng.choice([20, 30, 45, 60, 90])} min")
    b.line("Ingredienser" if no else "Ingredients", bold=True)
    b.lines([f"- {i}" if maybe(rng, 0.5) else i for i in ingr])
    b.line("Fremgangsmåte" if no else "Method", bold=True)
    for i, s in enumerate(steps, 1):
        b.para(f"{i}. {s}")
    if maybe(rng, 0.4):
        b.para(rng.choice(["Tips: Server med grovt brød.", "Kan fryses.", "Velbekomme!"]) if no else rng.choice(["Tip: freezes well.", "Enjoy!"]))
    return b.doc


NEWS_NO = ["Regjeringen la i dag fram forslag til nytt statsbudsjett.", "Det ventes kraftig regn på Vestlandet i helgen, melder Meteorologisk institutt.",
           "Kommunestyret vedtok onsdag å bygge ny barneskole i bydelen.", "Laget vant søndagens kamp 2–1 etter scoring i overtiden.",
           "Strømprisene har falt den siste uken på grunn av mye nedbør.", "Fergesambandet er innstilt på grunn av sterk vind.",
           "Over 3000 mennesker deltok i årets maraton i sentrum.", "Norges Bank holder styringsrenten uendret.",
           "Politiet ber bilister være forsiktige på glatte veier.", "Den nye biblioteket åpner dørene til publikum på lørdag.",
           "Boligprisene steg med 1,2 prosent i forrige måned.", "Festivalen har fått rekordmange besøkende i år.",
           "Flere butikker i sentrum melder om økt omsetning før jul.", "Skiløperen tok sin første seier i verdenscupen.",
           "Statistisk sentralbyrå publiserte nye tall for arbeidsledigheten.", "Det nye sykkelfeltet langs hovedveien er ferdig.",
           "Ordføreren uttalte at kommunen vil satse mer på kollektivtransport.", "Turistforeningen åpner sine hytter for sesongen."]
NEWS_EN = ["The government presented its new budget proposal today.", "Heavy rain is expected across the region this weekend, forecasters say.",
           "The council voted on Wednesday to build a new primary school.", "The team won Sunday's match 2-1 after a late goal.",
           "Energy prices have fallen over the past week.", "The ferry service has been cancelled due to strong winds.",
           "More than 3,000 people took part in this year's city marathon.", "The central bank kept interest rates unchanged.",
           "Police urged drivers to take care on icy roads.", "House prices rose by 1.2 per cent last month.",
           "The festival attracted a record number of visitors this year.", "Unemployment figures were published on Tuesday."]


def news(rng, lang):
    no = lang == "no"
    bank = NEWS_NO if no else NEWS_EN
    b = B("other", "news_article", lang)
    if maybe(rng, 0.5):
        b.line(rng.choice(["Lokalavisen", "Dagbladet Nord", "Fjordposten", "Byavisa"]) if no else rng.choice(["The Daily Courier", "City Gazette"]), bold=True, size=1.4)
    b.title(pick(rng, bank).rstrip("."), size=1.5)
    b.line(f"{doctor(rng, lang)} · {fmt_date(rng, random_date(rng, 2019, 2026), lang)}", size=0.8)
    for _ in range(rng.randint(2, 6)):
        b.para(" ".join(rng.sample(bank, rng.randint(2, 4))))
    return b.doc


def timetable(rng, lang):
    no = lang == "no"
    b = B("other", "timetable", lang)
    route = rng.randint(1, 199)
    a, c = pick(rng, CITIES)[1], pick(rng, CITIES)[1]
    b.title(f"{'Rutetabell linje' if no else 'Timetable route'} {route}: {a} - {c}")
    b.line(rng.choice(["Gjelder fra 1. januar", "Mandag–fredag", "Lørdag og søndag", "Sommerruter"]) if no else rng.choice(["Monday to Friday", "Valid from 1 June"]))
    stops = [a] + rng.sample([s.split()[0] for s in STREETS], rng.randint(3, 7)) + [c]
    starts = sorted(rng.sample(range(5 * 60, 23 * 60), rng.randint(4, 8)))
    rows = []
    for i, s in enumerate(stops):
        rows.append([s] + [f"{(t + i * 4) // 60:02d}:{(t + i * 4) % 60:02d}" for t in starts])
    b.table(["Holdeplass" if no else "Stop"] + ["" for _ in starts], rows, size=0.8)
    if maybe(rng, 0.5):
        b.line(rng.choice(["Endringer kan forekomme. Se reiseplanleggeren for oppdatert informasjon.", "Bussen stopper kun for påstigning."]) if no
               else "Times may change; check the journey planner.", size=0.8)
    return b.doc


def blankish(rng, lang):
    b = B("other", "blank_or_noise", lang, kind=rng.choice(["a4", "a4", "card"]))
    r = rng.random()
    if r < 0.25:
        pass  # completely empty page
    elif r < 0.5:
        b.line(rng.choice([f"Side {rng.randint(2, 9)}", f"- {rng.randint(2, 9)} -", f"Page {rng.randint(2, 9)}", ".", "|", "~", "'", "-", "—"]), size=0.8)
    elif r < 0.7:
        b.line(rng.choice(["Denne siden er med hensikt blank", "This page intentionally left blank", "Tom side", "Baksiden", "Notater", "Notes"]))
    elif r < 0.85:
        b.line("".join(rng.choice("il1|.,:;'-_~^`!IJ()[]") for _ in range(rng.randint(3, 40))), size=0.8)
        if maybe(rng, 0.5):
            b.line("".join(rng.choice("il1|.,:;'-_~ ") for _ in range(rng.randint(3, 20))), size=0.8)
    else:
        b.line(rng.choice([f"Skannet {fmt_date(rng, random_date(rng), 'no', 'dots')} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
                           f"Scan_{digits(rng, 8)}.pdf", f"Fax fra {phone(rng)}", f"Sendt fra min iPhone", f"Dokument {digits(rng, 5)}",
                           "KOPI", "KONFIDENSIELT", "Vedlegg 2"]), size=0.9)
    return b.doc


def contract(rng, lang):
    no = lang == "no"
    b = B("other", "contract", lang)
    kind = rng.choice(["lease", "work", "sale"])
    p1, p2 = person(rng, lang), person(rng, lang)
    if no:
        b.title({"lease": "Husleiekontrakt", "work": "Arbeidsavtale", "sale": "Kjøpekontrakt for bruktbil"}[kind])
        b.kv([("Utleier" if kind == "lease" else ("Arbeidsgiver" if kind == "work" else "Selger"), p1["name"] if kind != "work" else pick(rng, COMPANIES)),
              ("Leietaker" if kind == "lease" else ("Arbeidstaker" if kind == "work" else "Kjøper"), p2["name"])])
        bank = {"lease": ["Leieforholdet gjelder leilighet på 54 kvm med bod.", f"Husleien er kr {money(rng, 6000, 18000)} per måned og betales forskuddsvis.",
                          "Depositum tilsvarende tre måneders leie settes inn på egen konto.", "Oppsigelsestiden er tre måneder."],
                "work": ["Stillingen er fast, 100 prosent.", f"Årslønn er kr {money(rng, 420000, 900000)}.", "Prøvetiden er seks måneder.",
                         "Ferie avvikles i henhold til ferieloven.", "Oppsigelsesfristen er en måned i prøvetiden."],
                "sale": [f"Bilen selges som den er, kilometerstand {rng.randint(20000, 250000)} km.", "Selger garanterer at bilen er fri for heftelser.",
                         f"Kjøpesum kr {money(rng, 20000, 300000)}.", "Omregistrering gjøres digitalt hos Statens vegvesen."]}[kind]
    else:
        b.title({"lease": "Tenancy Agreement", "work": "Contract of Employment", "sale": "Vehicle Sale Agreement"}[kind])
        b.kv([("Party A", p1["name"]), ("Party B", p2["name"])])
        bank = ["This agreement is made on the date shown below.", "The rent is payable monthly in advance.", "Either party may terminate with one month's notice.",
                "The employee's normal hours of work are 37.5 per week.", "The vehicle is sold as seen."]
    for i, s in enumerate(rng.sample(bank, rng.randint(2, len(bank))), 1):
        b.para(f"§ {i} {s}" if no else f"{i}. {s}")
    b.line(f"{pick(rng, CITIES)[1]}, {fmt_date(rng, random_date(rng), lang)}")
    b.line("______________________      ______________________")
    return b.doc


def minutes(rng, lang):
    no = lang == "no"
    b = B("other", "meeting_minutes", lang)
    b.title(rng.choice(["Referat fra styremøte", "Møtereferat", "Innkalling til årsmøte", "Referat fra foreldremøte"]) if no else
            rng.choice(["Minutes of the board meeting", "Meeting notes", "Notice of annual general meeting"]))
    b.kv([("Dato" if no else "Date", fmt_date(rng, random_date(rng), lang)), ("Sted" if no else "Place", rng.choice(["Møterom 2", "Teams", "Klubbhuset"])),
          ("Til stede" if no else "Present", ", ".join(person(rng, lang)["name"] for _ in range(rng.randint(2, 5))))])
    items_no = ["Godkjenning av innkalling og dagsorden", "Økonomi: regnskapet viser et lite overskudd", "Vedlikehold av fasade og tak",
                "Dugnad i mai", "Valg av ny kasserer", "Eventuelt", "Søknad om tilskudd fra kommunen", "Planlegging av sommeravslutning"]
    items_en = ["Approval of agenda", "Finance report", "Building maintenance", "Election of officers", "Any other business", "Summer event planning"]
    for i, it in enumerate(rng.sample(items_no if no else items_en, rng.randint(3, 6)), 1):
        b.line(f"Sak {i}/{rng.randint(20, 26)}: {it}" if no else f"Item {i}: {it}", bold=True)
        b.para(rng.choice(["Vedtak: Enstemmig vedtatt.", "Saken utsettes til neste møte.", "Styret følger opp.", "Tatt til orientering."]) if no else
               rng.choice(["Agreed unanimously.", "Deferred to next meeting.", "Noted."]))
    return b.doc


def manual(rng, lang):
    no = lang == "no"
    b = B("other", "product_manual", lang)
    prod = rng.choice(["Kaffetrakter KT-200", "Støvsuger X5", "Trådløs ruter", "Varmepumpe Nordic 12", "Elsykkel City"]) if no else \
        rng.choice(["Coffee maker CM-200", "Vacuum cleaner X5", "Wireless router", "Heat pump 12", "E-bike City"])
    b.title(("Bruksanvisning: " if no else "User manual: ") + prod)
    steps_no = ["Les sikkerhetsinstruksjonene før bruk.", "Koble apparatet til en jordet stikkontakt.", "Trykk på strømknappen i tre sekunder.",
                "Rengjør filteret en gang i måneden.", "Garantien gjelder i to år fra kjøpsdato.", "Ikke bruk apparatet nær vann.",
                "Lampen blinker grønt når enheten er klar.", "Ved feil, kontakt forhandleren."]
    steps_en = ["Read the safety instructions before use.", "Connect the appliance to an earthed socket.", "Press the power button for three seconds.",
                "Clean the filter once a month.", "The warranty is valid for two years.", "Do not use near water."]
    for i, s in enumerate(rng.sample(steps_no if no else steps_en, rng.randint(3, 6)), 1):
        b.para(f"{i}. {s}")
    return b.doc


def cv(rng, lang):
    no = lang == "no"
    p = person(rng, lang)
    b = B("other", "cv_application", lang)
    b.title(p["name"])
    b.line(f"{address(rng, lang)[0]} · {phone(rng)} · {p['first'].lower()}@example.no")
    b.line("Arbeidserfaring" if no else "Work experience", bold=True)
    for _ in range(rng.randint(2, 4)):
        y = rng.randint(2005, 2022)
        b.line(f"{y}–{y + rng.randint(1, 4)}  {rng.choice(['Butikkmedarbeider', 'Prosjektleder', 'Lærer', 'Ingeniør', 'Sykepleier', 'Sjåfør', 'Kokk']) if no else rng.choice(['Sales assistant', 'Project manager', 'Teacher', 'Engineer', 'Driver'])}, {pick(rng, COMPANIES)}")
    b.line("Utdanning" if no else "Education", bold=True)
    b.line(rng.choice(["Bachelor i økonomi og administrasjon", "Fagbrev i elektrofag", "Master i informatikk", "Videregående skole, studiespesialisering"]) if no
           else rng.choice(["BSc Economics", "MSc Computer Science", "A-levels"]))
    if maybe(rng, 0.5):
        b.line(("Førerkort klasse B" if no else "Full driving licence") + ", " + ("gode norskkunnskaper" if no else "fluent English"))
    return b.doc


# --------------------------------------------------------------------------- held-out "other" templates
def travel_booking(rng, lang):
    """HELD-OUT template: boarding passes and hotel/flight bookings (mention passports, names, dates)."""
    no = lang == "no"
    p = person(rng, lang)
    b = B("other", "travel_booking", lang, kind=rng.choice(["a4", "passport"]))
    if maybe(rng, 0.5):
        b.title("BOARDING PASS" if maybe(rng, 0.6) else "Ombordstigningskort / Boarding pass", size=1.3)
        b.kv([("Name / Navn", f"{p['last'].upper()}/{p['first'].upper()}"), ("Flight", f"{rng.choice(['SK', 'DY', 'WF', 'BA', 'LH'])}{rng.randint(100, 4999)}"),
              ("From", rng.choice(["OSLO OSL", "BERGEN BGO", "TRONDHEIM TRD"])), ("To", rng.choice(["LONDON LHR", "ALICANTE ALC", "TROMSØ TOS", "COPENHAGEN CPH"])),
              ("Date", fmt_date(rng, random_date(rng), "en", "dmy")), ("Gate", f"{rng.choice('ABCDEF')}{rng.randint(1, 40)}"), ("Seat", f"{rng.randint(1, 33)}{rng.choice('ABCDEF')}"),
              ("Boarding", f"{rng.randint(6, 21):02d}:{rng.choice(['05', '25', '45'])}"), ("Booking ref", letters(rng, 6))], style="stack", cols=3)
        b.line(rng.choice(["Gate closes 20 minutes before departure.", "Husk gyldig pass eller ID-kort ved utenlandsreiser.", "Passport required for international travel."]), size=0.8)
    else:
        b.title(rng.choice(["Bestillingsbekreftelse", "Booking confirmation", "Hotellbekreftelse", "Your reservation"]), size=1.3)
        b.kv([("Gjest" if no else "Guest", p["name"]), ("Hotell" if no else "Hotel", rng.choice(["Hotel Fjordgløtt", "City Inn", "Grand Hotel Nord"])),
              ("Innsjekk" if no else "Check-in", fmt_date(rng, random_date(rng), lang)), ("Utsjekk" if no else "Check-out", fmt_date(rng, random_date(rng), lang)),
              ("Rom" if no else "Room", rng.choice(["Dobbeltrom", "Enkeltrom", "Double room", "Suite"])), ("Pris" if no else "Price", money(rng, 900, 9000, lang)),
              ("Bestillingsnummer" if no else "Confirmation number", digits(rng, 10))])
        b.para("Vennligst vis gyldig legitimasjon (pass eller førerkort) ved innsjekking. Gratis avbestilling frem til 48 timer før ankomst." if no else
               "Please present a valid photo ID (passport or driving licence) at check-in. Free cancellation until 48 hours before arrival.")
    return b.doc


def bank_statement(rng, lang):
    """HELD-OUT template: bank account statement."""
    no = lang == "no"
    b = B("other", "bank_statement", lang)
    b.line(rng.choice(["Banken Vest", "Sparebanken Fjord", "Nordbanken"]) if no else rng.choice(["Northern Bank plc", "City Savings"]), bold=True, size=1.3)
    p = _recipient(rng, b, lang)
    b.title("Kontoutskrift" if no else "Account statement", size=1.3)
    b.kv([("Kontonummer" if no else "Account number", kontonr(rng)), ("Periode" if no else "Period", f"{fmt_date(rng, random_date(rng), lang)} - {fmt_date(rng, random_date(rng), lang)}")])
    rows = []
    for _ in range(rng.randint(5, 14)):
        rows.append([fmt_date(rng, random_date(rng), "no", "dots"),
                     rng.choice(["Varekjøp KIWI", "Vipps", "Lønn", "Overføring", "Strøm Fjordkraft", "Husleie", "Netflix", "Apotek", "Tannlege",
                                 "Kortkjøp REMA 1000", "Renter", "Gebyr"]) if no else rng.choice(["Card payment TESCO", "Salary", "Transfer", "Rent", "Pharmacy"]),
                     money(rng, -9000, 40000, lang), money(rng, 0, 90000, lang)])
    b.table(["Dato" if no else "Date", "Beskrivelse" if no else "Description", "Beløp" if no else "Amount", "Saldo" if no else "Balance"], rows, size=0.85)
    return b.doc


def newsletter(rng, lang):
    """HELD-OUT template: school/kindergarten/sports club newsletter."""
    no = lang == "no"
    b = B("other", "club_newsletter", lang)
    b.title(rng.choice(["Månedsbrev fra barnehagen", "Nyhetsbrev fra idrettslaget", "Informasjon fra skolen", "Ukeplan 3. trinn"]) if no else
            rng.choice(["School newsletter", "Club news", "Weekly plan"]), size=1.4)
    bank_no = ["I september har vi jobbet med tema høst, og barna har vært på tur i skogen.", "Husk å merke klær og sko med navn.",
               "Fotballtreningene flyttes til kunstgressbanen fra neste uke.", "Det blir foreldrekaffe fredag klokken 15.", "Vi trenger frivillige til kiosken på kampdag.",
               "Leksene denne uken: les side 20–25 og øv på gangetabellen.", "Husk matpakke og drikkeflaske på turdagen.", "Påmelding til vinterleiren åpner snart."]
    bank_en = ["This month we have been learning about autumn.", "Please label all clothing.", "Training moves to the new pitch next week.",
               "We need volunteers for the tuck shop.", "Homework: read pages 20-25."]
    for _ in range(rng.randint(2, 5)):
        b.para(" ".join(rng.sample(bank_no if no else bank_en, 2)))
    b.line(f"Hilsen {doctor(rng, lang)}" if no else f"Best wishes, {doctor(rng, lang)}")
    return b.doc


TEMPLATES = {
    "other": [(invoice, False, "nox"), (dental_invoice, False, "no"), (pharmacy_receipt, False, "no"), (store_receipt, False, "nox"),
              (letter, False, "nox"), (booking_letter, False, "nox"), (package_leaflet, False, "nox"), (insurance_claim, False, "nox"),
              (recipe, False, "nox"), (news, False, "nox"), (timetable, False, "nox"), (blankish, False, "nox"), (contract, False, "nox"),
              (minutes, False, "nox"), (manual, False, "nox"), (cv, False, "nox"),
              (travel_booking, True, "nox"), (bank_statement, True, "nox"), (newsletter, True, "nox")],
}
