"""The fixed catalogues the demo municipality is drawn from: names, organisation, strategy.

Kept apart from the generator so the generator reads as rules and this file as content. Every
list is ordered: the generator picks from it with a seeded `random.Random`, so a seed always
gives the same municipality.
"""

from __future__ import annotations

MUNICIPALITY = "Fjordby Kommune"
MAIL_DOMAIN = "fjordby.dk"

FIRST_NAMES: tuple[str, ...] = (
    "Søren",
    "Jørgen",
    "Bjørn",
    "Åse",
    "Mette",
    "Anne",
    "Lars",
    "Hanne",
    "Jens",
    "Kirsten",
    "Mads",
    "Birthe",
    "Rasmus",
    "Signe",
    "Frederik",
    "Ida",
    "Mikkel",
    "Louise",
    "Niels",
    "Karen",
    "Henrik",
    "Lone",
    "Thomas",
    "Tove",
    "Peter",
    "Susanne",
    "Morten",
    "Pernille",
    "Ole",
    "Dorthe",
    "Anders",
    "Maja",
    "Christian",
    "Camilla",
    "Jesper",
    "Gitte",
    "Bo",
    "Lærke",
    "Søs",
    "Bodil",
    "Kåre",
    "Kasper",
    "Sørine",
    "Åge",
    "Ib",
    "Bøje",
    "Helle",
    "Torben",
    "Malene",
    "Poul",
    "Vibeke",
    "Emil",
    "Freja",
    "Oliver",
    "Sofie",
    "Magnus",
    "Astrid",
    "Villads",
    "Asta",
    "Jonas",
)
"""Danish first names, several with æ, ø or å."""

SURNAMES: tuple[str, ...] = (
    "Sørensen",
    "Jørgensen",
    "Møller",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Larsen",
    "Kjærgaard",
    "Højgaard",
    "Nørgaard",
    "Østergaard",
    "Bøgh",
    "Krøyer",
    "Ågesen",
    "Brønnum",
    "Løkke",
    "Mølgaard",
    "Skovgård",
    "Christensen",
    "Rasmussen",
    "Jensen",
    "Poulsen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Dahl",
    "Lund",
    "Bækgaard",
    "Frølund",
    "Sønderby",
    "Vestergård",
    "Ærbøl",
    "Holm",
    "Schmidt",
    "Friis",
    "Damgaard",
    "Kjær",
    "Lauridsen",
    "Bertelsen",
    "Søgaard",
    "Mørch",
    "Åberg",
    "Winther",
    "Toft",
    "Bach",
    "Juhl",
)

TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})
"""How a name becomes the ASCII local part of an e-mail address."""

# (code, name) of the roles; the generator refers to them by code.
ROLES: tuple[tuple[str, str], ...] = (
    ("SAG", "Sagsbehandler"),
    ("PAED", "Pædagog"),
    ("SSA", "Social- og sundhedsassistent"),
    ("SSH", "Social- og sundhedshjælper"),
    ("LED", "Leder"),
    ("IT", "IT-medarbejder"),
    ("ADM", "Administrativ medarbejder"),
    ("LAER", "Lærer"),
    ("ING", "Ingeniør"),
    ("KONS", "Konsulent"),
)
LEAD_ROLE = "LED"

# Directorate -> (its role mix as (role, weight), its areas -> unit name patterns).
# "{}" in a unit pattern is filled with a place name; the first patterns are used first.
DIRECTORATES: tuple[
    tuple[str, tuple[tuple[str, int], ...], tuple[tuple[str, tuple[str, ...]], ...]], ...
] = (  # noqa: E501
    (
        "Social- og Sundhedsforvaltningen",
        (("SSA", 5), ("SSH", 4), ("SAG", 2), ("ADM", 1)),
        (
            ("Ældre og Pleje", ("Hjemmeplejen {}", "Plejecenter {}")),
            ("Handicap og Psykiatri", ("Bostedet {}", "Socialpsykiatrien {}")),
            ("Sundhed og Forebyggelse", ("Sundhedscenter {}", "Genoptræning {}")),
        ),
    ),
    (
        "Børne- og Ungeforvaltningen",
        (("PAED", 5), ("LAER", 5), ("SAG", 1), ("ADM", 1)),
        (
            ("Dagtilbud", ("Børnehuset {}", "Vuggestuen {}")),
            ("Skoler", ("{}skolen", "Ungdomsskolen {}")),
            ("Familie og Børn", ("Familiecenter {}", "PPR {}")),
        ),
    ),
    (
        "Teknik- og Miljøforvaltningen",
        (("ING", 4), ("SAG", 3), ("KONS", 2), ("ADM", 1)),
        (
            ("Byggeri og Plan", ("Byggesag {}", "Planteam {}")),
            ("Natur og Miljø", ("Miljøtilsyn {}", "Vej og Park {}")),
        ),
    ),
    (
        "Beskæftigelsesforvaltningen",
        (("SAG", 6), ("KONS", 2), ("ADM", 1)),
        (
            ("Jobcenter", ("Jobcenter {}", "Ungeindsats {}")),
            ("Ydelser", ("Sygedagpenge {}", "Kontanthjælp {}")),
        ),
    ),
    (
        "Kultur- og Fritidsforvaltningen",
        (("KONS", 3), ("ADM", 2), ("PAED", 1)),
        (
            ("Biblioteker", ("Biblioteket {}",)),
            ("Idræt og Fritid", ("Idrætscenter {}", "Kulturhuset {}")),
        ),
    ),
    (
        "Økonomi- og Borgerserviceforvaltningen",
        (("ADM", 4), ("SAG", 2), ("IT", 3), ("KONS", 2)),
        (
            ("Borgerservice", ("Borgerservice {}", "Opkrævning {}")),
            ("Digitalisering og IT", ("IT-drift {}", "Digitaliseringsteam {}")),
            ("Løn og Personale", ("Lønteam {}", "HR-team {}")),
        ),
    ),
)

PLACES: tuple[str, ...] = (
    "Nord",
    "Syd",
    "Øst",
    "Vest",
    "Centrum",
    "Bøgeskov",
    "Søndervang",
    "Åbakken",
    "Lærkedal",
    "Fjordgården",
    "Ørnebjerg",
    "Hvidsten",
    "Kærholm",
    "Mølleby",
    "Strandlyst",
    "Egebjerg",
    "Rønnebær",
    "Skovly",
    "Engholm",
    "Havnen",
    "Højvang",
    "Bakkehuset",
    "Granly",
    "Solsikken",
)
"""Districts and place names of the fictional municipality, for naming units."""

LOCAL_FRAMEWORK = ("FJORDBY", "Fjordby Kommunes lokale kompetencer")
LOCAL_SCALE: tuple[tuple[str, str], ...] = (
    ("Kender til", "Ved hvad det er og hvor man finder hjælp"),
    ("Kan med hjælp", "Løser enkle opgaver med vejledning"),
    ("Selvstændig", "Løser de almindelige opgaver selv"),
    ("Erfaren", "Løser også de usædvanlige opgaver og hjælper kolleger"),
    ("Ekspert", "Udvikler praksis og lærer fra sig"),
)
# (code, area, name, description)
LOCAL_COMPETENCIES: tuple[tuple[str, str, str, str], ...] = (
    ("LOK-RPA", "Automatisering", "Robotdrift", "Overvåge, genstarte og rette fejl i robotter"),
    (
        "LOK-SIK",
        "Sikkerhed",
        "Informationssikkerhed",
        "Kommunens regler for sikker håndtering af data, phishing og hændelser",
    ),
    ("LOK-SAG", "Fagsystemer", "Sagsbehandlingssystemet", "Journalisering og sagsgange i ESDH"),
    ("LOK-DATA", "Ledelse", "Datadrevet ledelse", "Styre efter nøgletal og dashboards"),
)

# (code, rank, title, end state, owner, stakeholders as (name, role, interest, influence))
THEMES: tuple[tuple[str, int, str, str, str, tuple[tuple[str, str, str, str], ...]], ...] = (
    (
        "T1",
        1,
        "Digitale kompetencer for alle",
        "Alle medarbejdere har de digitale basiskompetencer, deres job kræver.",
        "HR-chefen",
        (
            ("Direktionen", "Ejer af strategien", "high", "high"),
            ("Hovedudvalget", "Medarbejdernes repræsentanter", "high", "medium"),
            ("Ledere", "Planlægger kompetenceudvikling", "medium", "high"),
        ),
    ),
    (
        "T2",
        2,
        "Automatisering med robotter",
        "Robotter løser de regelbaserede opgaver, og hver robot har mindst to kvalificerede "
        "operatører.",
        "Digitaliseringschefen",
        (
            ("Digitaliseringsteamet", "Udvikler og drifter robotter", "high", "high"),
            ("Fagcentrene", "Procesejere", "medium", "medium"),
            ("Økonomiudvalget", "Forventer gevinster", "medium", "high"),
        ),
    ),
    (
        "T3",
        3,
        "Sikker og ansvarlig brug af data",
        "Ingen databrud skyldes manglende viden; alle har bestået den årlige sikkerhedstest.",
        "Informationssikkerhedskoordinatoren",
        (
            ("DPO", "Databeskyttelsesrådgiver", "high", "medium"),
            ("Borgerne", "Ejere af oplysningerne", "high", "low"),
        ),
    ),
    (
        "T4",
        4,
        "Datadrevet ledelse",
        "Alle ledere styrer efter fælles nøgletal på et fælles dashboard.",
        "Økonomidirektøren",
        (
            ("Ledere", "Brugere af nøgletal", "high", "medium"),
            ("Økonomi og Analyse", "Leverer data", "medium", "medium"),
        ),
    ),
)

# Backcast milestone titles per theme, from the earliest to the end state.
MILESTONES: dict[str, tuple[str, ...]] = {
    "T1": (
        "Kompetenceprofiler for alle jobfamilier",
        "Første selvvurdering gennemført",
        "Uddannelsesplaner for alle med gab",
        "Lederne følger op i MUS",
        "80 % opfylder kravene",
    ),
    "T2": (
        "Robotstrategi vedtaget",
        "Fælles robotplatform i drift",
        "Operatøruddannelse for superbrugere",
        "To kvalificerede operatører pr. robot",
        "Gevinster realiseret for alle robotter i drift",
    ),
    "T3": (
        "Sikkerhedspolitik revideret",
        "Årlig e-læringstest indført",
        "Alle ledere uddannet i databeskyttelse",
        "Alle har bestået sikkerhedstesten",
    ),
    "T4": (
        "Fælles nøgletal defineret",
        "Dashboard for alle forvaltninger",
        "Ledere uddannet i datadrevet ledelse",
        "Budgetopfølgning på dashboard",
    ),
}

# (code, name, provider, hours, cost, raises {competency: level})
COURSES: tuple[tuple[str, str, str, float, float, dict[str, int]], ...] = (
    ("K-SIK1", "Informationssikkerhed, e-læring", "Fjordby Akademi", 2, 0, {"LOK-SIK": 2}),
    ("K-SIK2", "Informationssikkerhed for ledere", "Fjordby Akademi", 7, 1500, {"LOK-SIK": 4}),
    ("K-GDPR", "GDPR i praksis", "KL Kompetence", 7, 2900, {"DC4.2": 5}),
    (
        "K-SAG1",
        "Sagsbehandlingssystemet, grundkursus",
        "Systemleverandøren",
        14,
        3500,
        {"LOK-SAG": 3},
    ),  # noqa: E501
    (
        "K-SAG2",
        "Sagsbehandlingssystemet, superbruger",
        "Systemleverandøren",
        21,
        6500,
        {"LOK-SAG": 4},
    ),  # noqa: E501
    ("K-RPA1", "Robotdrift for operatører", "Digitaliseringsteamet", 14, 0, {"LOK-RPA": 3}),
    ("K-RPA2", "Robotudvikling", "RPA Partner ApS", 35, 18000, {"LOK-RPA": 5, "DC3.4": 5}),
    ("K-DATA", "Data og ledelse", "Professionshøjskolen", 21, 9800, {"LOK-DATA": 3, "DC1.3": 5}),
    ("K-M365", "Samarbejde i Microsoft 365", "Fjordby Akademi", 6, 800, {"DC2.4": 4, "DC2.2": 4}),
    (
        "K-KILDE",
        "Kildekritik og informationssøgning",
        "Biblioteket",
        4,
        0,
        {"DC1.1": 4, "DC1.2": 4},
    ),  # noqa: E501
    ("K-DANN", "Digital dannelse og netikette", "Fjordby Akademi", 3, 0, {"DC2.5": 4, "DC2.6": 3}),
    ("K-PROB", "Løs selv dine IT-problemer", "IT-drift", 3, 0, {"DC5.1": 4}),
)

ROBOT_PROCESSES: tuple[str, ...] = (
    "Journalisering af e-mails",
    "Udbetaling af boligstøtte",
    "Opfølgning på sygedagpenge",
    "Oprettelse af nye medarbejdere",
    "Afstemning af bankkonti",
    "Registrering af fakturaer",
    "Visitation til hjemmehjælp",
    "Indskrivning i dagtilbud",
    "Flyttemeddelelser",
    "Byggesagsarkivering",
    "Kontanthjælpsberegning",
    "Lønindberetning",
    "Ledighedserklæringer",
    "Kvittering for ansøgninger",
    "Skoleindskrivning",
)
PLATFORMS: tuple[str, ...] = ("UiPath", "Blue Prism", "Microsoft Power Automate")

# (domain, input-rights archetypes, decision-rights archetype, people or bodies)
GOVERNANCE: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    (
        "it_principles",
        ("federal",),
        "business_monarchy",
        ("Direktionen", "Digitaliseringsstyregruppen"),
    ),  # noqa: E501
    ("it_architecture", ("it_duopoly",), "it_monarchy", ("IT-chefen", "Arkitekturrådet")),
    ("it_infrastructure", ("it_monarchy",), "it_monarchy", ("IT-chefen", "IT-drift")),
    (
        "business_application_needs",
        ("federal", "feudal"),
        "it_duopoly",
        ("Fagchefer", "Digitaliseringschefen"),
    ),
    ("it_investment", ("it_duopoly",), "business_monarchy", ("Direktionen", "Økonomiudvalget")),
)
