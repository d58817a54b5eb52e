"""Clinical vocabulary shared by the clinical templates (diagnoses, drugs, analytes, phrases)."""
from __future__ import annotations

from fakedata import maybe, num, pick

# ICD-10 code, Norwegian, English
ICD10 = [
    ("I21.4", "Akutt subendokardielt hjerteinfarkt (NSTEMI)", "Acute subendocardial myocardial infarction (NSTEMI)"),
    ("I21.0", "Akutt transmuralt fremreveggsinfarkt (STEMI)", "Acute transmural myocardial infarction of anterior wall"),
    ("J18.9", "Pneumoni, uspesifisert", "Pneumonia, unspecified"),
    ("J15.9", "Bakteriell pneumoni", "Bacterial pneumonia"),
    ("I48.9", "Atrieflimmer", "Atrial fibrillation"),
    ("E11.9", "Diabetes mellitus type 2 uten komplikasjoner", "Type 2 diabetes mellitus without complications"),
    ("E10.1", "Diabetes type 1 med ketoacidose", "Type 1 diabetes mellitus with ketoacidosis"),
    ("I10", "Essensiell hypertensjon", "Essential hypertension"),
    ("J44.1", "Kronisk obstruktiv lungesykdom med akutt forverring", "COPD with acute exacerbation"),
    ("N39.0", "Urinveisinfeksjon", "Urinary tract infection"),
    ("N10", "Akutt pyelonefritt", "Acute pyelonephritis"),
    ("S72.0", "Lårhalsbrudd", "Fracture of neck of femur"),
    ("S52.5", "Brudd i distale radius", "Fracture of lower end of radius"),
    ("I63.9", "Hjerneinfarkt", "Cerebral infarction"),
    ("G45.9", "Transitorisk cerebral iskemi (TIA)", "Transient ischaemic attack"),
    ("K35.8", "Akutt appendisitt", "Acute appendicitis"),
    ("K80.2", "Gallestein uten kolecystitt", "Calculus of gallbladder without cholecystitis"),
    ("K85.1", "Akutt biliær pankreatitt", "Biliary acute pancreatitis"),
    ("A41.9", "Sepsis, uspesifisert", "Sepsis, unspecified"),
    ("I50.9", "Hjertesvikt", "Heart failure"),
    ("J45.9", "Astma", "Asthma"),
    ("F32.1", "Moderat depressiv episode", "Moderate depressive episode"),
    ("F41.1", "Generalisert angstlidelse", "Generalized anxiety disorder"),
    ("M17.1", "Primær kneleddsartrose", "Primary gonarthrosis"),
    ("M16.1", "Primær hofteleddsartrose", "Primary coxarthrosis"),
    ("C50.9", "Ondartet svulst i bryst", "Malignant neoplasm of breast"),
    ("C18.7", "Ondartet svulst i colon sigmoideum", "Malignant neoplasm of sigmoid colon"),
    ("D50.9", "Jernmangelanemi", "Iron deficiency anaemia"),
    ("R07.4", "Brystsmerter, uspesifisert", "Chest pain, unspecified"),
    ("G40.9", "Epilepsi", "Epilepsy"),
    ("K57.3", "Divertikulitt i tykktarm", "Diverticular disease of large intestine"),
    ("E86", "Dehydrering", "Volume depletion"),
    ("R55", "Synkope og kollaps", "Syncope and collapse"),
    ("I26.9", "Lungeemboli", "Pulmonary embolism"),
    ("I80.2", "Dyp venetrombose", "Deep vein thrombosis"),
    ("K92.2", "Gastrointestinal blødning", "Gastrointestinal haemorrhage"),
    ("N17.9", "Akutt nyresvikt", "Acute kidney failure"),
    ("L03.1", "Cellulitt i ekstremitet", "Cellulitis of limb"),
    ("U07.1", "Covid-19, virus påvist", "COVID-19, virus identified"),
    ("J96.0", "Akutt respirasjonssvikt", "Acute respiratory failure"),
    ("E87.1", "Hyponatremi", "Hyponatraemia"),
    ("M54.5", "Lumbago", "Low back pain"),
]
NCSP = [("FNG05", "Perkutan koronar intervensjon (PCI) med stent"), ("JEA01", "Laparoskopisk appendektomi"),
        ("JKA21", "Laparoskopisk kolecystektomi"), ("NFB20", "Hemiprotese i hofteledd"), ("UJD02", "Gastroskopi"),
        ("UJF32", "Koloskopi"), ("TJA10", "Pleuratapping"), ("AAF00", "Trombolyse")]
ICPC2 = [("L03", "Korsryggsymptomer/plager"), ("P76", "Depressiv lidelse"), ("R74", "Akutt øvre luftveisinfeksjon"),
         ("L84", "Rygg-syndrom uten smerteutstråling"), ("P02", "Akutt stressreaksjon"), ("A04", "Slapphet/tretthet"),
         ("L86", "Rygg-syndrom med smerteutstråling"), ("R80", "Influensa"), ("D73", "Gastroenteritt antatt infeksiøs"),
         ("L92", "Skuldersyndrom"), ("P74", "Angstlidelse"), ("L18", "Muskelsmerte"), ("N01", "Hodepine"),
         ("R78", "Akutt bronkitt/bronkiolitt"), ("L15", "Knesymptomer/plager"), ("P78", "Nevrasteni/utbrent"),
         ("A77", "Virussykdom IKA"), ("L81", "Skade muskel/skjelett IKA"), ("K86", "Hypertensjon ukomplisert")]

# name, strength, form (no), form (en)
MEDS = [("Paracet", "500 mg", "tabletter", "tablets"), ("Paracetamol", "1 g", "tabletter", "tablets"),
        ("Ibuprofen", "400 mg", "tabletter", "tablets"), ("Ibux", "600 mg", "tabletter", "tablets"),
        ("Metformin", "500 mg", "tabletter", "tablets"), ("Atorvastatin", "20 mg", "tabletter", "tablets"),
        ("Simvastatin", "40 mg", "tabletter", "tablets"), ("Ramipril", "5 mg", "kapsler", "capsules"),
        ("Amlodipin", "5 mg", "tabletter", "tablets"), ("Metoprolol", "50 mg", "depottabletter", "prolonged-release tablets"),
        ("Selo-Zok", "47,5 mg", "depottabletter", "prolonged-release tablets"), ("Albyl-E", "75 mg", "enterotabletter", "gastro-resistant tablets"),
        ("Apiksaban", "5 mg", "tabletter", "tablets"), ("Eliquis", "2,5 mg", "tabletter", "tablets"),
        ("Rivaroksaban", "20 mg", "tabletter", "tablets"), ("Pantoprazol", "40 mg", "enterotabletter", "gastro-resistant tablets"),
        ("Omeprazol", "20 mg", "kapsler", "capsules"), ("Levaxin", "50 mikrog", "tabletter", "tablets"),
        ("Sertralin", "50 mg", "tabletter", "tablets"), ("Escitalopram", "10 mg", "tabletter", "tablets"),
        ("Zopiklon", "7,5 mg", "tabletter", "tablets"), ("Furosemid", "40 mg", "tabletter", "tablets"),
        ("Prednisolon", "5 mg", "tabletter", "tablets"), ("Amoksicillin", "500 mg", "kapsler", "capsules"),
        ("Fenoksymetylpenicillin", "660 mg", "tabletter", "tablets"), ("Apocillin", "1 g", "tabletter", "tablets"),
        ("Dikloksacillin", "500 mg", "kapsler", "capsules"), ("Ciprofloxacin", "500 mg", "tabletter", "tablets"),
        ("Nitrofurantoin", "50 mg", "tabletter", "tablets"), ("Pivmecillinam", "200 mg", "tabletter", "tablets"),
        ("Salbutamol", "0,1 mg/dose", "inhalasjonsaerosol", "inhaler"), ("Symbicort Turbuhaler", "160/4,5 mikrog", "inhalasjonspulver", "inhalation powder"),
        ("Insulin glargin", "100 E/ml", "injeksjonsvæske", "solution for injection"), ("NovoRapid", "100 E/ml", "injeksjonsvæske", "solution for injection"),
        ("Oksykodon", "5 mg", "kapsler", "capsules"), ("Tramadol", "50 mg", "kapsler", "capsules"),
        ("Paralgin forte", "400 mg/30 mg", "tabletter", "tablets"), ("Losartan", "50 mg", "tabletter", "tablets"),
        ("Lisinopril", "10 mg", "tabletter", "tablets"), ("Allopurinol", "100 mg", "tabletter", "tablets"),
        ("Warfarin", "2,5 mg", "tabletter", "tablets"), ("Folsyre", "1 mg", "tabletter", "tablets"),
        ("Duroferon", "100 mg Fe2+", "depottabletter", "tablets"), ("Melatonin", "2 mg", "depottabletter", "tablets"),
        ("Cetirizin", "10 mg", "tabletter", "tablets"), ("Mometason", "50 mikrog/dose", "nesespray", "nasal spray"),
        ("Hydrokortison", "1 %", "krem", "cream"), ("Diazepam", "5 mg", "tabletter", "tablets"),
        ("Lamotrigin", "100 mg", "tabletter", "tablets"), ("Empagliflozin", "10 mg", "tabletter", "tablets"),
        ("Semaglutid", "1 mg", "injeksjonsvæske", "solution for injection"), ("Bisoprolol", "5 mg", "tabletter", "tablets"),
        ("Kalsium + D-vitamin", "500 mg/400 IE", "tyggetabletter", "chewable tablets"), ("Laktulose", "670 mg/ml", "mikstur", "oral solution")]
EN_DRUG = {"Paracet": "Paracetamol", "Ibux": "Ibuprofen", "Amoksicillin": "Amoxicillin", "Apocillin": "Phenoxymethylpenicillin",
           "Fenoksymetylpenicillin": "Phenoxymethylpenicillin", "Dikloksacillin": "Flucloxacillin", "Apiksaban": "Apixaban",
           "Rivaroksaban": "Rivaroxaban", "Oksykodon": "Oxycodone", "Levaxin": "Levothyroxine", "Folsyre": "Folic acid",
           "Hydrokortison": "Hydrocortisone", "Semaglutid": "Semaglutide", "Laktulose": "Lactulose", "Albyl-E": "Aspirin",
           "Selo-Zok": "Metoprolol", "Duroferon": "Ferrous sulfate", "Kalsium + D-vitamin": "Calcium + vitamin D",
           "Zopiklon": "Zopiclone", "Amlodipin": "Amlodipine", "Sertralin": "Sertraline", "Furosemid": "Furosemide",
           "Prednisolon": "Prednisolone", "Mometason": "Mometasone", "Lamotrigin": "Lamotrigine", "Insulin glargin": "Insulin glargine"}

DOSE_NO = ["1 tablett 2 ganger daglig", "1 tablett morgen og kveld", "1 tablett ved behov, maks 4 per døgn",
           "2 tabletter 3 ganger daglig i 7 dager", "1 tablett daglig", "1 kapsel 3 ganger daglig i 10 dager",
           "1 inhalasjon ved behov", "2 inhalasjoner morgen og kveld", "1 tablett til natten ved behov",
           "Smøres på tynt 2 ganger daglig", "10 enheter subkutant til kvelden", "1 tablett om morgenen",
           "1/2 tablett daglig", "1 tablett 4 ganger daglig i 5 dager", "1 depottablett daglig",
           "Etter avtale, se doseringskort", "2 sprut i hvert nesebor daglig", "1 tablett ukentlig",
           "15 ml daglig", "1 tablett 3 ganger daglig til maten"]
DOSE_EN = ["Take 1 tablet twice daily", "Take one tablet every morning", "1 tablet by mouth every 8 hours as needed",
           "Take 2 tablets three times a day for 7 days", "One capsule three times daily for 10 days",
           "Inhale 2 puffs as needed for shortness of breath", "Apply thinly twice daily", "Take 1 tablet at night",
           "Inject 10 units subcutaneously at bedtime", "Take one tablet daily with food", "1 tab PO BID",
           "1 tab PO QD", "2 caps PO TID x 7 days", "1 tab PO q6h PRN pain", "Use as directed"]

# name no, name en, unit, lo, hi, decimals
ANALYTES = [("Hemoglobin", "Haemoglobin", "g/dL", 11.7, 17.0, 1), ("Hb", "Hb", "g/dL", 11.7, 17.0, 1),
            ("Leukocytter", "White cell count", "10^9/L", 3.5, 10.0, 1), ("Trombocytter", "Platelets", "10^9/L", 145, 390, 0),
            ("Erytrocytter", "Red cell count", "10^12/L", 3.9, 5.7, 2), ("Hematokrit", "Haematocrit", "%", 35, 50, 0),
            ("MCV", "MCV", "fL", 82, 98, 0), ("MCH", "MCH", "pg", 27, 33, 1), ("CRP", "CRP", "mg/L", 0, 5, 0),
            ("SR", "ESR", "mm/t", 1, 17, 0), ("Natrium", "Sodium", "mmol/L", 137, 145, 0),
            ("Kalium", "Potassium", "mmol/L", 3.5, 5.0, 1), ("Kreatinin", "Creatinine", "µmol/L", 60, 105, 0),
            ("eGFR", "eGFR", "mL/min/1,73m²", 60, 120, 0), ("Urea", "Urea", "mmol/L", 3.2, 8.1, 1),
            ("ALAT", "ALT", "U/L", 10, 70, 0), ("ASAT", "AST", "U/L", 15, 45, 0), ("ALP", "ALP", "U/L", 35, 105, 0),
            ("GT", "GGT", "U/L", 10, 80, 0), ("Bilirubin", "Bilirubin", "µmol/L", 5, 25, 0),
            ("Albumin", "Albumin", "g/L", 36, 48, 0), ("Glukose", "Glucose", "mmol/L", 4.0, 6.0, 1),
            ("HbA1c", "HbA1c", "mmol/mol", 20, 42, 0), ("TSH", "TSH", "mIE/L", 0.5, 4.1, 2),
            ("Fritt T4", "Free T4", "pmol/L", 12, 22, 0), ("Kolesterol", "Total cholesterol", "mmol/L", 3.3, 6.9, 1),
            ("LDL-kolesterol", "LDL cholesterol", "mmol/L", 1.4, 4.7, 1), ("HDL-kolesterol", "HDL cholesterol", "mmol/L", 1.0, 2.7, 1),
            ("Triglyserider", "Triglycerides", "mmol/L", 0.45, 2.6, 2), ("Ferritin", "Ferritin", "µg/L", 15, 200, 0),
            ("Jern", "Iron", "µmol/L", 9, 34, 0), ("Transferrinmetning", "Transferrin saturation", "%", 15, 57, 0),
            ("Vitamin B12", "Vitamin B12", "pmol/L", 150, 650, 0), ("Folat", "Folate", "nmol/L", 10, 45, 0),
            ("25-OH Vitamin D", "25-OH Vitamin D", "nmol/L", 50, 150, 0), ("PSA", "PSA", "µg/L", 0, 4.0, 1),
            ("Troponin T", "Troponin T", "ng/L", 0, 15, 0), ("NT-proBNP", "NT-proBNP", "ng/L", 0, 300, 0),
            ("INR", "INR", "", 0.8, 1.2, 1), ("D-dimer", "D-dimer", "mg/L FEU", 0, 0.5, 2), ("Urat", "Urate", "µmol/L", 230, 480, 0),
            ("Kalsium", "Calcium", "mmol/L", 2.15, 2.51, 2), ("Magnesium", "Magnesium", "mmol/L", 0.71, 0.94, 2),
            ("Fosfat", "Phosphate", "mmol/L", 0.85, 1.5, 2), ("CK", "CK", "U/L", 40, 280, 0), ("Laktat", "Lactate", "mmol/L", 0.5, 2.2, 1),
            ("Amylase", "Amylase", "U/L", 25, 120, 0), ("Nøytrofile", "Neutrophils", "10^9/L", 1.5, 7.3, 1),
            ("Lymfocytter", "Lymphocytes", "10^9/L", 1.1, 3.3, 1), ("Retikulocytter", "Reticulocytes", "10^9/L", 30, 100, 0),
            ("Kortisol", "Cortisol", "nmol/L", 140, 690, 0), ("Prolaktin", "Prolactin", "mIE/L", 70, 500, 0),
            ("Albumin/kreatinin-ratio", "Urine albumin/creatinine ratio", "mg/mmol", 0, 3, 1)]


def lab_value(rng, a, flag_style="letter", comma=False):
    """Returns (value_str, ref_str, flag)."""
    name_no, name_en, unit, lo, hi, dec = a
    r = rng.random()
    if r < 0.68:
        v = rng.uniform(lo, hi)
        flag = ""
    elif r < 0.84:
        v = rng.uniform(hi, hi * 1.8 + 1)
        flag = "H"
    else:
        v = rng.uniform(max(0, lo * 0.5), lo) if lo > 0 else rng.uniform(0, hi)
        flag = "L" if lo > 0 else ""
    vs = f"{v:.{dec}f}"
    ref = f"{lo:.{dec}f}–{hi:.{dec}f}" if lo > 0 else f"< {hi:.{dec}f}"
    if rng.random() < 0.3:
        ref = ref.replace("–", "-")
    if comma:
        vs = vs.replace(".", ",")
        ref = ref.replace(".", ",")
    if flag_style == "star" and flag:
        flag = "*"
    if flag_style == "arrow" and flag:
        flag = "↑" if flag == "H" else "↓"
    return vs, ref, flag


SYMPTOMS_NO = ["brystsmerter", "tung pust", "feber og hoste", "magesmerter", "svimmelhet", "hodepine", "slapphet",
               "kvalme og oppkast", "ryggsmerter", "hevelse i leggen", "nedsatt allmenntilstand", "hjertebank",
               "smerter i høyre hofte etter fall", "forvirring", "blod i avføringen", "vekttap", "tretthet",
               "nedsatt kraft i høyre arm", "hyppig vannlating", "svie ved vannlating"]
SYMPTOMS_EN = ["chest pain", "shortness of breath", "fever and cough", "abdominal pain", "dizziness", "headache",
               "fatigue", "nausea and vomiting", "back pain", "swelling of the left leg", "general deterioration",
               "palpitations", "right hip pain after a fall", "confusion", "rectal bleeding", "weight loss",
               "weakness of the right arm", "dysuria"]


def history_no(rng, p_name="Pasienten"):
    s = pick(rng, SYMPTOMS_NO)
    parts = [
        f"{rng.choice(['Pasienten', p_name.split()[0], 'Pas.'])} er en {rng.randint(19, 94)} år gammel {rng.choice(['mann', 'kvinne'])} "
        f"som {rng.choice(['innlegges', 'ble innlagt', 'kommer'])} med {s} {rng.choice(['siste døgn', 'i 3 dager', 'siste uke', 'siden i går'])}.",
        rng.choice(["Tidligere frisk.", "Kjent hypertensjon og diabetes type 2.", "Røyker 10 sigaretter daglig.",
                    "Tidligere hjerteinfarkt 2015, behandlet med PCI.", "Bor alene, klarer seg selv med noe hjelp fra hjemmesykepleien.",
                    "Ingen kjente allergier.", "Bruker ingen faste medisiner.", "Kjent KOLS GOLD 3."]),
        rng.choice(["Ved innkomst var han/hun våken og orientert.", f"Temperatur {num(rng, 36.5, 39.8, 1, True)} °C, BT {rng.randint(95, 185)}/{rng.randint(55, 105)}, puls {rng.randint(52, 128)}.",
                    f"SpO2 {rng.randint(86, 99)} % på romluft.", "Blodprøver viste forhøyet CRP og leukocytose.",
                    "EKG viste sinusrytme uten ST-forandringer.", "Røntgen thorax viste infiltrat basalt høyre."]),
    ]
    return " ".join(parts)


def course_no(rng):
    return " ".join(rng.sample([
        "Pasienten ble behandlet med intravenøs antibiotika med god effekt og fallende infeksjonsparametre.",
        "Forløpet var ukomplisert og pasienten mobiliseres uten problemer.",
        "Det ble startet med antikoagulasjon, og pasienten fikk informasjon om behandlingen.",
        "Pasienten ble operert dagen etter innleggelsen, se eget operasjonsnotat.",
        "Under oppholdet ble det gjort CT som ikke viste tegn til blødning.",
        "Blodsukkeret har vært stabilt etter justering av insulindosene.",
        "Han ble vurdert av fysioterapeut og er selvhjulpen ved utreise.",
        "Hun ble vurdert av ergoterapeut, og det er søkt om hjemmesykepleie.",
        "Pasienten skrives ut i fin form til hjemmet.",
        "Pasienten overføres til korttidsplass på sykehjem for videre rehabilitering.",
        "Vi har seponert NSAID på grunn av nyrefunksjonen.",
        "Ekkokardiografi viste lett nedsatt EF, ca. 45 %.",
        "Smertene har avtatt, og pasienten er smertefri ved utreise.",
        "Diurese med furosemid ga vektreduksjon på 4 kg og bedring av dyspné.",
    ], rng.randint(2, 5)))


def course_en(rng):
    return " ".join(rng.sample([
        "The patient was treated with intravenous antibiotics with good clinical response.",
        "The admission was uncomplicated and the patient mobilised independently.",
        "Anticoagulation was commenced and the patient was counselled about bleeding risk.",
        "She underwent surgery on day two of admission; see separate operation note.",
        "A CT scan of the head showed no evidence of haemorrhage.",
        "Blood glucose control improved after adjustment of insulin doses.",
        "He was reviewed by physiotherapy and occupational therapy and is safe for discharge home.",
        "Inflammatory markers have trended down and she remained afebrile for 48 hours.",
        "Echocardiogram showed mildly impaired left ventricular function (EF 45%).",
        "He was discharged home in a stable condition.",
        "NSAIDs were stopped because of acute kidney injury.",
        "Diuresis with furosemide resulted in 4 kg weight loss and improved breathlessness.",
    ], rng.randint(2, 5)))


def med_line(rng, lang, with_dose=True):
    m = pick(rng, MEDS)
    if lang == "en":
        name = EN_DRUG.get(m[0], m[0])
        s = f"{name} {m[1].replace(',', '.')} {m[3]}"
        return s + (f" - {pick(rng, DOSE_EN)}" if with_dose else "")
    s = f"{m[0]} {m[1]} {m[2]}"
    return s + (f" - {pick(rng, DOSE_NO)}" if with_dose else "")


def clinic_header(rng, b, lang, hospital=True):
    from fakedata import HOSPITALS_NO, HOSPITALS_EN, DEPTS_NO, DEPTS_EN, address, phone, gp_office
    if hospital:
        h = pick(rng, HOSPITALS_NO if lang == "no" else HOSPITALS_EN)
        d = pick(rng, DEPTS_NO if lang == "no" else DEPTS_EN)
    else:
        h = gp_office(rng) if lang == "no" else rng.choice(["Riverside Surgery", "Park Lane Medical Practice", "The Health Centre",
                                                               "Oakwood Family Practice", "Castle Street Surgery"])
        d = None
    align = rng.choice(["left", "left", "center", "right"])
    b.line(h, size=rng.choice([1.1, 1.3, 1.0]), bold=True, align=align)
    if d:
        b.line(d, size=0.9, align=align)
    if maybe(rng, 0.5):
        a1, a2 = address(rng, lang)
        b.line(f"{a1}, {a2}" if maybe(rng, 0.5) else f"{a1} {a2}", size=0.8, align=align)
    if maybe(rng, 0.4):
        b.line(f"{'Tlf.' if lang == 'no' else 'Tel.'} {phone(rng)}", size=0.8, align=align)
    return h, d
