"""The word lists of the rule-based pre-annotator, in one place so that a reviewer can read them.

Every list is keyed by spaCy *lemma* (lower case, accents kept) because the French lemmatizer folds
inflection ("tués", "tuée" -> "tuer"); surface forms are only used where the lemmatizer is known to
be unreliable (participles tagged as nouns or adjectives, e.g. "blessés" -> "blessé").
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from secnews.core.countries import COUNTRIES

# ----------------------------------------------------------------------------------------- entities
#: determiners stripped from the left edge of a mention ("les FAMa" -> "FAMa")
DETERMINERS: frozenset[str] = frozenset(
    {
        "le",
        "la",
        "les",
        "l'",
        "l’",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d'",
        "d’",
        "ce",
        "cet",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "au",
        "aux",
    }
)

#: head nouns that make a spaCy LOC a natural place (LOC) rather than a GPE
NATURAL_HEADS: frozenset[str] = frozenset(
    {
        "fleuve",
        "lac",
        "mont",
        "monts",
        "massif",
        "forêt",
        "désert",
        "océan",
        "mer",
        "golfe",
        "rivière",
        "vallée",
        "plateau",
        "île",
        "îles",
        "delta",
        "canal",
        "baie",
        "côte",
        "frontière",
        "bassin",
    }
)
#: named natural regions (accents folded, lower case) that spaCy tags LOC
NATURAL_NAMES: frozenset[str] = frozenset(
    {
        "sahel",
        "sahara",
        "liptako",
        "gourma",
        "liptako-gourma",
        "maghreb",
        "moyen-orient",
        "proche-orient",
        "afrique",
        "europe",
        "asie",
        "amerique",
        "oceanie",
        "afrique de l'ouest",
        "afrique du nord",
        "lac tchad",
        "mediterranee",
        "levant",
        "sinai",
        "golfe de guinee",
        "corne de l'afrique",
    }
)

#: nominal mentions: head lemma -> entity type (the span grows over adjacent adjectives)
NOMINAL_HEADS: dict[str, str] = {
    # state forces
    "armée": "STATE_FORCE",
    "militaire": "STATE_FORCE",
    "soldat": "STATE_FORCE",
    "gendarme": "STATE_FORCE",
    "policier": "STATE_FORCE",
    "police": "STATE_FORCE",
    "gendarmerie": "STATE_FORCE",
    "état-major": "STATE_FORCE",
    "garde": "STATE_FORCE",
    # non-state armed groups
    "terroriste": "ARMED_GROUP",
    "jihadiste": "ARMED_GROUP",
    "djihadiste": "ARMED_GROUP",
    "islamiste": "ARMED_GROUP",
    "assaillant": "ARMED_GROUP",
    "insurgé": "ARMED_GROUP",
    "rebelle": "ARMED_GROUP",
    "kamikaze": "ARMED_GROUP",
    "assaillants": "ARMED_GROUP",
    # weapons
    "drone": "WEAPON",
    "kalachnikov": "WEAPON",
    "bombe": "WEAPON",
    "grenade": "WEAPON",
    "mine": "WEAPON",
    "roquette": "WEAPON",
    "obus": "WEAPON",
    "missile": "WEAPON",
    "fusil": "WEAPON",
    "explosif": "WEAPON",
    "mortier": "WEAPON",
    "kalachnikovs": "WEAPON",
    "arme": "WEAPON",
    "couteau": "WEAPON",
    "engin": "WEAPON",
    # vehicles
    "véhicule": "VEHICLE",
    "voiture": "VEHICLE",
    "camion": "VEHICLE",
    "moto": "VEHICLE",
    "pick-up": "VEHICLE",
    "bus": "VEHICLE",
    "car": "VEHICLE",
    "hélicoptère": "VEHICLE",
    "avion": "VEHICLE",
    "bateau": "VEHICLE",
    "pirogue": "VEHICLE",
    "blindé": "VEHICLE",
    "motocyclette": "VEHICLE",
    "ambulance": "VEHICLE",
    "train": "VEHICLE",
    # facilities
    "camp": "FAC",
    "base": "FAC",
    "mosquée": "FAC",
    "église": "FAC",
    "hôtel": "FAC",
    "école": "FAC",
    "pont": "FAC",
    "aéroport": "FAC",
    "prison": "FAC",
    "commissariat": "FAC",
    "caserne": "FAC",
    "gare": "FAC",
    "hôpital": "FAC",
    "route": "FAC",
    "marché": "FAC",
    "ambassade": "FAC",
    "stade": "FAC",
    "restaurant": "FAC",
    "maquis": "FAC",
    "synagogue": "FAC",
    "check-point": "FAC",
}
#: "force(s)" is a state force only in these fixed phrases (word after "forces", folded)
FORCE_PHRASES: tuple[str, ...] = (
    "forces armees",
    "forces de defense et de securite",
    "forces de securite",
    "forces de l'ordre",
    "forces speciales",
    "force armee",
    "forces de defense",
)
#: "homme(s)/individu(s) armé(s)" and "groupe(s) armé(s)/terroriste(s)/jihadiste(s)" are ARMED_GROUP
ARMED_PEOPLE_HEADS: frozenset[str] = frozenset({"homme", "individu", "groupe", "élément", "combattant"})
ARMED_PEOPLE_ADJS: frozenset[str] = frozenset(
    {"armé", "terroriste", "jihadiste", "djihadiste", "islamiste", "extrémiste", "radical", "rebelle"}
)
#: nouns that are weapons only with one of these modifiers ("engin explosif", "arme à feu")
QUALIFIED_WEAPONS: dict[str, frozenset[str]] = {
    "engin": frozenset({"explosif", "piégé"}),
    "mine": frozenset({"antipersonnel", "artisanal", "terrestre", "anti-char"}),
}
#: facility heads that are ambiguous alone ("base" de données, "marché" conclu, "route" à suivre):
#: kept only with a modifier that makes them a place
QUALIFIED_FACILITIES: dict[str, frozenset[str]] = {
    "base": frozenset({"militaire", "aérien", "avancé", "opérationnel"}),
    "marché": frozenset({"central", "municipal", "hebdomadaire", "de bétail", "à bétail"}),
    "route": frozenset({"nationale", "national", "principal"}),
    "garde": frozenset({"national", "nationale", "présidentiel", "présidentielle", "républicain"}),
}
#: media organisations (a source_type MEDIA hint), accents folded
MEDIA_WORDS: frozenset[str] = frozenset(
    {
        "afp",
        "agence france-presse",
        "agence france presse",
        "reuters",
        "rfi",
        "france 24",
        "associated press",
        "ap",
        "bbc",
        "al jazeera",
        "le monde",
        "le figaro",
        "liberation",
        "jeune afrique",
        "ortm",
        "rti",
        "anadolu",
        "xinhua",
        "belga",
        "dpa",
        "ansa",
        "efe",
        "sputnik",
        "tass",
        "cnn",
    }
)

# ----------------------------------------------------------------------------------------- events
#: trigger lemma -> default event type (refined by context in events.py)
TRIGGERS: dict[str, str] = {
    # remote violence
    "frappe": "SHELLING_ARTILLERY_MISSILE_ATTACK",
    "frapper": "SHELLING_ARTILLERY_MISSILE_ATTACK",
    "bombardement": "SHELLING_ARTILLERY_MISSILE_ATTACK",
    "bombarder": "SHELLING_ARTILLERY_MISSILE_ATTACK",
    "pilonnage": "SHELLING_ARTILLERY_MISSILE_ATTACK",
    "pilonner": "SHELLING_ARTILLERY_MISSILE_ATTACK",
    "raid": "AIR_DRONE_STRIKE",
    "explosion": "REMOTE_EXPLOSIVE_LANDMINE_IED",
    "exploser": "REMOTE_EXPLOSIVE_LANDMINE_IED",
    "attentat": "ATTACK",
    "attentat-suicide": "SUICIDE_BOMB",
    # violence and battles
    "attaque": "ATTACK",
    "attaquer": "ATTACK",
    "assaut": "ATTACK",
    "fusillade": "ATTACK",
    "tuerie": "ATTACK",
    "massacre": "ATTACK",
    "massacrer": "ATTACK",
    "poignarder": "ATTACK",
    "embuscade": "ARMED_CLASH",
    "affrontement": "ARMED_CLASH",
    "combat": "ARMED_CLASH",
    "accrochage": "ARMED_CLASH",
    "affronter": "ARMED_CLASH",
    "riposter": "ARMED_CLASH",
    "enlèvement": "ABDUCTION_FORCED_DISAPPEARANCE",
    "enlever": "ABDUCTION_FORCED_DISAPPEARANCE",
    "kidnapper": "ABDUCTION_FORCED_DISAPPEARANCE",
    "kidnapping": "ABDUCTION_FORCED_DISAPPEARANCE",
    "rapt": "ABDUCTION_FORCED_DISAPPEARANCE",
    "otage": "ABDUCTION_FORCED_DISAPPEARANCE",
    "séquestrer": "ABDUCTION_FORCED_DISAPPEARANCE",
    "viol": "SEXUAL_VIOLENCE",
    "violer": "SEXUAL_VIOLENCE",
    # outcomes
    "tuer": "DEATH",
    "neutraliser": "DEATH",
    "éliminer": "DEATH",
    "mort": "DEATH",
    "décès": "DEATH",
    "mourir": "DEATH",
    "abattre": "DEATH",
    "exécuter": "DEATH",
    "périr": "DEATH",
    "décéder": "DEATH",
    "blesser": "INJURY",
    "blessé": "INJURY",
    "blessure": "INJURY",
    # strategic developments
    "interpeller": "ARRESTS",
    "arrêter": "ARRESTS",
    "arrestation": "ARRESTS",
    "interpellation": "ARRESTS",
    "appréhender": "ARRESTS",
    "écrouer": "ARRESTS",
    "incarcérer": "ARRESTS",
    "inculper": "ARRESTS",
    "incendier": "LOOTING_PROPERTY_DESTRUCTION",
    "piller": "LOOTING_PROPERTY_DESTRUCTION",
    "pillage": "LOOTING_PROPERTY_DESTRUCTION",
    "saccager": "LOOTING_PROPERTY_DESTRUCTION",
    "incendie": "LOOTING_PROPERTY_DESTRUCTION",
    "accord": "AGREEMENT",
    "cessez-le-feu": "AGREEMENT",
    "trêve": "AGREEMENT",
    "désamorcer": "DISRUPTED_WEAPONS_USE",
    "déjouer": "DISRUPTED_WEAPONS_USE",
    # protests and riots
    "manifestation": "PEACEFUL_PROTEST",
    "manifestant": "PEACEFUL_PROTEST",
    "manifester": "PEACEFUL_PROTEST",
    "rassemblement": "PEACEFUL_PROTEST",
    "marche": "PEACEFUL_PROTEST",
    "émeute": "VIOLENT_DEMONSTRATION",
    "émeutier": "VIOLENT_DEMONSTRATION",
    "lynchage": "MOB_VIOLENCE",
    "lyncher": "MOB_VIOLENCE",
}
#: surface forms (lower case) the lemmatizer leaves as nouns/adjectives: "blessés", "morts", "tués"
TRIGGER_FORMS: dict[str, str] = {
    "blessés": "blessé",
    "blessé": "blessé",
    "blessée": "blessé",
    "blessées": "blessé",
    "morts": "mort",
    "mortes": "mort",
    "tués": "tuer",
    "tuées": "tuer",
    "otages": "otage",
    "enlevés": "enlever",
    "enlevées": "enlever",
    "interpellés": "interpeller",
}
#: which parts of speech may carry a trigger ("marche" the verb "marcher" is not a protest)
TRIGGER_POS: frozenset[str] = frozenset({"NOUN", "VERB", "ADJ", "PROPN"})
#: context words (lemma) that refine a trigger's type
AIR_WORDS: frozenset[str] = frozenset({"drone", "avion", "aérien", "aviation", "hélicoptère", "chasseur"})
SUICIDE_WORDS: frozenset[str] = frozenset({"kamikaze", "suicide", "attentat-suicide", "ceinture"})
IED_WORDS: frozenset[str] = frozenset({"engin", "explosif", "mine", "piégé", "bombe", "ied", "eei"})
GRENADE_WORDS: frozenset[str] = frozenset({"grenade"})
#: entity types that make an attack a battle (organised armed target)
ARMED_TYPES: frozenset[str] = frozenset({"STATE_FORCE", "ARMED_GROUP", "MILITIA", "MULTINATIONAL_FORCE"})
#: lemmas above a trigger that make it generic or not actual
GENERIC_FRAMES: frozenset[str] = frozenset(
    {"connaître", "connu", "habitude", "spécialiser", "réputé", "coutumier"}
)
IRREALIS_FRAMES: frozenset[str] = frozenset(
    {
        "projeter",
        "planifier",
        "préparer",
        "menacer",
        "tenter",
        "vouloir",
        "risquer",
        "prévoir",
        "craindre",
        "éviter",
        "empêcher",
        "déjouer",
        "redouter",
        "envisager",
    }
)
NEGATIONS: frozenset[str] = frozenset({"pas", "jamais", "aucun", "aucune", "ni", "plus"})
PLACE_PREPOSITIONS: frozenset[str] = frozenset(
    {"à", "dans", "en", "près", "sur", "vers", "au", "aux", "de", "du"}
)

# ----------------------------------------------------------------------------------------- attribution
#: reporting verbs (lemma) -> claim type
CUE_VERBS: dict[str, str] = {
    "annoncer": "ASSERTION",
    "déclarer": "ASSERTION",
    "indiquer": "ASSERTION",
    "affirmer": "ASSERTION",
    "souligner": "ASSERTION",
    "préciser": "ASSERTION",
    "confirmer": "ASSERTION",
    "rapporter": "ASSERTION",
    "expliquer": "ASSERTION",
    "ajouter": "ASSERTION",
    "assurer": "ASSERTION",
    "estimer": "ASSERTION",
    "dire": "ASSERTION",
    "signaler": "ASSERTION",
    "révéler": "ASSERTION",
    "témoigner": "ASSERTION",
    "raconter": "ASSERTION",
    "communiquer": "ASSERTION",
    "rappeler": "ASSERTION",
    "admettre": "ASSERTION",
    "reconnaître": "ASSERTION",
    "écrire": "ASSERTION",
    "dénoncer": "BLAME",
    "accuser": "BLAME",
    "imputer": "BLAME",
    "revendiquer": "RESPONSIBILITY_CLAIM",
    "démentir": "DENIAL",
    "nier": "DENIAL",
    "réfuter": "DENIAL",
}
#: prepositional cues ("selon X", "d'après X"); surface forms, lower case, straight apostrophe
CUE_PREPOSITIONS: frozenset[str] = frozenset({"selon", "d'après"})
#: auxiliaries in these moods/forms make the content "probable" (conditionnel journalistique)
POSSIBLE_LEMMAS: frozenset[str] = frozenset({"pouvoir"})

# ----------------------------------------------------------------------------------------- labels
#: lemmas whose presence marks an article as security news (document label ``relevant``)
SECURITY_WORDS: frozenset[str] = frozenset(
    {
        "terroriste",
        "terrorisme",
        "jihadiste",
        "djihadiste",
        "attentat",
        "attaque",
        "otage",
        "enlèvement",
        "embuscade",
        "frappe",
        "armée",
        "militaire",
        "soldat",
        "police",
        "gendarmerie",
        "arrestation",
        "interpeller",
        "émeute",
        "manifestation",
        "tuer",
        "blesser",
        "explosion",
        "bombe",
        "fusillade",
        "assaillant",
        "insurgé",
        "rebelle",
        "raid",
        "bombardement",
        "combat",
        "affrontement",
        "kamikaze",
    }
)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case without accents and with a straight apostrophe: the key every list is matched in
    (memoised: the rules fold the same words and token runs over and over)."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: names the CLDR list lacks but French news uses, folded -> ISO alpha-2
_EXTRA_COUNTRIES: dict[str, str] = {
    "etats-unis": "US",
    "etats unis": "US",
    "usa": "US",
    "amerique": "US",
    "centrafrique": "CF",
    "rdc": "CD",
    "republique democratique du congo": "CD",
    "congo": "CG",
    "cote d'ivoire": "CI",
    "grande-bretagne": "GB",
    "angleterre": "GB",
    "royaume-uni": "GB",
    "russie": "RU",
    "syrie": "SY",
    "coree du sud": "KR",
    "coree du nord": "KP",
    "birmanie": "MM",
    "palestine": "PS",
    "gaza": "PS",
    "tchetchenie": "RU",
    "kurdistan": "IQ",
    "hollande": "NL",
    "pays-bas": "NL",
    "turquie": "TR",
    "emirats arabes unis": "AE",
    "arabie saoudite": "SA",
    "iran": "IR",
    "israel": "IL",
    "libye": "LY",
    "vatican": "VA",
    "soudan du sud": "SS",
    "guinee-bissau": "GW",
    "guinee equatoriale": "GQ",
}


def country_names() -> dict[str, str]:
    """Folded French country name -> ISO 3166-1 alpha-2 (CLDR names plus common press usage)."""
    names = {fold(name): code for code, name in COUNTRIES}
    names.update(_EXTRA_COUNTRIES)
    return names


#: registry aliases never matched by the gazetteer: common French words that are parts of an
#: expanded acronym (RAID = "Recherche, Assistance, Intervention, Dissuasion"), not names in text
GAZETTEER_SKIP: frozenset[str] = frozenset(
    {"assistance", "intervention", "dissuasion", "la sécurité et le développement"}
)
