"""Places that German and English name differently: "Styria" is "Steiermark", "Hungarian" is
"ungarisch".

Country and region names in both languages come from the Unicode CLDR (through Babel). What
CLDR lacks is written out here: the adjectives of the countries most often in the news
(also the stems of German adjectives, which an article declines: "ungarisch" meets
"ungarischen"), and the German-speaking countries' states and larger cities, which German
news names far more often than any other places.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# territory code: English and German adjectives (CLDR has the names, not these)
_ADJECTIVES = {
    "AT": "Austrian | österreichisch | Österreicher",
    "DE": "German | deutsch | Deutscher | Deutsche",
    "CH": "Swiss | schweizerisch | Schweizer | Schweizerin",
    "GB": "British | Britain | Great Britain | UK | britisch | Großbritannien | Brit | Brite",
    "US": "American | USA | U.S. | US | amerikanisch | Vereinigte Staaten | Amerikaner",
    "FR": "French | französisch | Frenchman | Franzose | Französin",
    "IT": "Italian | italienisch | Italiener",
    "ES": "Spanish | spanisch | Spaniard | Spanier",
    "PT": "Portuguese | portugiesisch | Portugiese",
    "NL": "Dutch | niederländisch | Holland | holländisch | Dutchman | Niederländer",
    "BE": "Belgian | belgisch | Belgier",
    "PL": "Polish | polnisch | Pole",
    "CZ": "Czech | Czech Republic | tschechisch | Tscheche",
    "SK": "Slovak | slowakisch",
    "HU": "Hungarian | ungarisch | Ungar",
    "SI": "Slovenian | Slovene | slowenisch | Slowene",
    "HR": "Croatian | kroatisch | Kroate",
    "RS": "Serbian | serbisch | Serbe",
    "BA": "Bosnian | bosnisch",
    "RO": "Romanian | rumänisch | Rumäne",
    "BG": "Bulgarian | bulgarisch",
    "GR": "Greek | griechisch | Grieche",
    "TR": "Turkish | türkisch | Turk | Türke | Türkin",
    "RU": "Russian | russisch | Russe | Russin",
    "UA": "Ukrainian | ukrainisch | Ukrainer",
    "BY": "Belarusian | belarussisch | weißrussisch",
    "SE": "Swedish | schwedisch | Swede | Schwede",
    "NO": "Norwegian | norwegisch",
    "DK": "Danish | dänisch | Dane | Däne",
    "FI": "Finnish | finnisch | Finn | Finne",
    "IE": "Irish | irisch | Ire | Irin",
    "IS": "Icelandic | isländisch",
    "EE": "Estonian | estnisch",
    "LV": "Latvian | lettisch",
    "LT": "Lithuanian | litauisch",
    "CN": "Chinese | chinesisch | Chinese | Chinese",
    "JP": "Japanese | japanisch",
    "KR": "Korean | South Korean | koreanisch | südkoreanisch",
    "KP": "North Korean | nordkoreanisch",
    "IN": "Indian | indisch",
    "PK": "Pakistani | pakistanisch",
    "IR": "Iranian | iranisch",
    "IQ": "Iraqi | irakisch",
    "SY": "Syrian | syrisch",
    "IL": "Israeli | israelisch",
    "PS": "Palestinian | palästinensisch",
    "SA": "Saudi | saudisch",
    "EG": "Egyptian | ägyptisch",
    "AF": "Afghan | afghanisch",
    "CA": "Canadian | kanadisch",
    "MX": "Mexican | mexikanisch",
    "BR": "Brazilian | brasilianisch",
    "AR": "Argentine | Argentinian | argentinisch | Argentinier",
    "AU": "Australian | australisch",
    "ZA": "South African | südafrikanisch",
    "NG": "Nigerian | nigerianisch",
    "ET": "Ethiopian | äthiopisch | Äthiopier",
    "KE": "Kenyan | kenianisch | Kenianer",
    "EU": "EU | European | europäisch",
}

# Places within the German-speaking countries and a few cities, as each language names them
_REGIONS = """
Vienna | Wien | Wiener
Lower Austria | Niederösterreich | niederösterreichisch
Upper Austria | Oberösterreich | oberösterreichisch
Styria | Steiermark | steirisch
Carinthia | Kärnten | Kärntner
Tyrol | Tirol | Tiroler
Salzburg | Salzburger
Vorarlberg | Vorarlberger
Burgenland | burgenländisch
Bavaria | Bayern | bayerisch
Lower Saxony | Niedersachsen | niedersächsisch
Saxony | Sachsen | sächsisch
Saxony-Anhalt | Sachsen-Anhalt
Thuringia | Thüringen | thüringisch
Hesse | Hessen | hessisch
North Rhine-Westphalia | Nordrhein-Westfalen | NRW
Rhineland-Palatinate | Rheinland-Pfalz
Mecklenburg-Western Pomerania | Mecklenburg-Vorpommern
Baden-Württemberg | baden-württembergisch
Munich | München | Münchner
Cologne | Köln | Kölner
Nuremberg | Nürnberg | Nürnberger
Hanover | Hannover
Zurich | Zürich | Zürcher
Geneva | Genf | Genfer
Brussels | Brüssel | Brüsseler
Warsaw | Warschau | Warschauer
Prague | Prag | Prager
Moscow | Moskau | Moskauer
Rome | Rom | römisch
Milan | Mailand | Mailänder
Venice | Venedig
Florence | Florenz
Naples | Neapel
Lisbon | Lissabon
Athens | Athen
Copenhagen | Kopenhagen
Belgrade | Belgrad
Bucharest | Bukarest
Kiev | Kyiv | Kiew
St Petersburg | St. Petersburg | Sankt Petersburg
Beijing | Peking
The Hague | Den Haag
"""


@lru_cache(maxsize=1)
def _table() -> dict[str, frozenset[str]]:
    from babel import Locale

    english, german = Locale("en"), Locale("de")
    groups: list[set[str]] = []
    for code, name in english.territories.items():
        forms = {name, german.territories.get(code, ""), *_ADJECTIVES.get(code, "").split("|")}
        groups.append(forms)
    groups += [set(line.split("|")) for line in _REGIONS.strip().splitlines()]
    table: dict[str, frozenset[str]] = {}
    for group in groups:
        names = frozenset(form.strip() for form in group if form.strip())
        for name in names:
            table[_key(name)] = table.get(_key(name), frozenset()) | names
    return table


def place_forms(name: str) -> frozenset[str]:
    """Every name of the place ``name`` names, in both languages; empty when it is no known place."""
    return _table().get(_key(name), frozenset())


def is_demonym(name: str) -> bool:
    """Whether the name is a country's adjective or its people ("Dutch", "Niederländer"), not a place."""
    return _key(name) in _demonym_keys()


@lru_cache(maxsize=1)
def _demonym_keys() -> frozenset[str]:
    """The adjectives (German ones are lower case) and the people ("Pole", "Dutchman", "Italian")
    among the forms above; the rest ("Britain", "USA", "Holland") name the place."""
    forms = [form.strip() for line in _ADJECTIVES.values() for form in line.split("|") if form.strip()]
    endings = ("er", "e", "an", "sh", "ch", "man", "ese", "ss")
    return frozenset(_key(form) for form in forms if form[:1].islower() or form.endswith(endings))


def _key(name: str) -> str:
    """A name without its German case endings: "im Vereinigten Königreich" is "Vereinigtes Königreich"."""
    return " ".join(re.sub(r"(en|es|er|em|e|n|s)$", "", fold(word)) for word in re.findall(r"\w+", name))


def fold(text: str) -> str:
    """Lower case, without accents or punctuation: "Zürich" and "Zurich" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).replace("ß", "ss")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch.isalnum())
