"""Word lists: common words that are also names, parts of names and generic words of schools and classes."""
from __future__ import annotations

from functools import lru_cache

#: Common words (folded) that are also names or places.  A needle that is one
#: of these words only matches where the text capitalises it.
STOP_WORDS: frozenset[str] = frozenset((
    # short English words
    "a i am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we "
    "ad ah ax eh ha ho id lo ma mi mu nu ow ox pa pi re ti ya ye yo "
    # short French words
    "au ce ca de du en es et il je la le les lu ne ni ou sa se si su ta te tu un va vu "
    "des une mes tes ses nos vos son ton mon moi toi lui eux qui que par pas sur ami ete "
    # short words of neighbouring languages (ES/PT/IT/CA/DE/NL/PL/TR)
    "al el lo los las da das dos em na os um di jo ja nie tak ze po od za "
    "der die das und ein im zu er ich du wir sie mit von bei het een van "
    "ve bu su bir ki "
    # English words that are also first names, surnames or places
    "will mark rose hope grace joy faith may june april august summer dawn sky bill rich "
    "frank grant miles chase hunter page cook baker white black brown green young king "
    "little long love hill wood lane ray art guy nick rob pat sue don bob max jay ivy lily "
    "daisy iris ruby amber jade pearl ginger basil sage river forest star angel holly "
    "honey sunny reading bath split mobile lens "
    # French words that are also first names or places
    "pierre claire blanche marie aime ange nice tours orange sens grasse"
).split())

#: A word at least this frequent (Zipf scale: 4 is once in 100,000 words) in English or
#: French is a common word: as a name on its own it only matches where the text
#: capitalises it ("teacher" in a poem is not Mr Teacher; "Teacher" or the full name is).
COMMON_ZIPF = 4.0
COMMON_LANGUAGES = ("en", "fr")


@lru_cache(maxsize=4096)
def is_common_word(folded_word: str) -> bool:
    """Is this (folded) word common in English or French? From wordfreq's frequency lists."""
    from wordfreq import zipf_frequency

    return any(zipf_frequency(folded_word, lang) >= COMMON_ZIPF for lang in COMMON_LANGUAGES)


#: Parts of a person's name that are not looked for on their own.
NAME_PARTICLES = frozenset(
    "mr mrs ms miss mx dr prof sir dame mme mlle mm herr frau pan pani sr sra srta "
    "dona dom sig sra "
    "de da do dos das del della di du des la le van von der den ter ten el al bin ibn "
    "ben bint y e".split()
)

SCHOOL_GENERIC = frozenset(
    # EN
    "school schools primary secondary high middle elementary junior senior infant "
    "infants nursery academy college collegiate grammar comprehensive community "
    "international public state catholic church ce rc c of e the and st saint upper lower "
    "free first "
    # FR
    "ecole college lycee groupe scolaire elementaire maternelle primaire publique prive "
    "privee general generale technologique professionnel de du des la le les l d sainte "
    "internationale cite scolaire "
    # PT / ES / IT / CA
    "escola basica secundaria agrupamento escolas do da dos das eb es colegio externato "
    "publica escuela instituto ies ceip cp educacion infantil primaria publico del el los "
    "scuola istituto comprensivo ic secondaria liceo statale di della escola col legi "
    # DE / NL / PL / TR
    "schule grundschule gymnasium realschule gesamtschule hauptschule mittelschule "
    "oberschule volksschule der die das am an im zu basisschool het van "
    "szkola podstawowa liceum gimnazjum ogolnoksztalcace zespol szkol nr im imienia w "
    "okulu ilkokulu ortaokulu lisesi anadolu ilkokul ortaokul lise "
    # numbering
    "no n number numero num".split()
)

CLASS_GENERIC = frozenset(
    "class classe klasa klass year yr grade form group groupe turma ano curso sala clase "
    "jahrgang jahrgangsstufe stufe sinif grupa the de of".split()
)
