"""The rights page and the FAQ say what the law says (CEL art. XIX.2, XIX.4, VI.83 17°; the old
Civil Code on prescription) and what the agency promises (docs/journeys.md: payments visible after 3
or 5 working days), in each language, with the figures written the Belgian way.

The cap of the lump-sum indemnity is quoted by brackets, always as a maximum, never as a range
"from 20 to 2,000"; the pages read its figures from the domain rule the ledger applies.
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _text(client: Client, path: str, language: str) -> str:
    """The page's main text as a reader sees it, no-break spaces as plain spaces."""
    client.cookies["django_language"] = language
    page = client.get(path).content.decode()
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    text = html.unescape(re.sub(r"<[^>]+>", " ", main))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


#: What the law says, in each language: the brackets of the indemnity cap, the cost of further
#: reminders and the free ones of a regular supply, when the 14 days start, when a payment shows.
LAW = {
    "fr": [
        "20,00 € pour un solde jusqu’à 150,00 €",
        "30,00 € plus 10 % de la partie au-delà de 150,00 €, pour un solde de 150,01 € à 500,00 €",
        "65,00 € plus 5 % de la partie au-delà de 500,00 €, pour un solde supérieur à 500,00 €, "
        "sans jamais dépasser 2 000,00 €",
        "Les rappels suivants, à 7,50 € au plus chacun, plus les frais postaux",
        "les rappels des trois premières échéances manquées d’une année civile sont gratuits",
        "les 14 jours commencent le troisième jour ouvrable après le jour de l’envoi",
        "pour un rappel envoyé par e-mail, le lendemain de l’envoi",
        "apparaît dans votre dossier dans les 3 jours ouvrables",
        "un paiement versé au créancier, dans les 5 jours ouvrables",
        "Un ordre de virement n’est pas une preuve de paiement",
        "(Code de droit économique, art. VI.83, 17°)",
        "d’un an pour les biens vendus par un commerçant à un consommateur, de 5 ans pour la "
        "fourniture d’énergie et d’eau et pour les services de télécommunications, et de 10 ans",
        "vous devez l’invoquer vous-même",
        "Il s’agit d’une information générale, pas d’un avis juridique.",
    ],
    "nl": [
        "€ 20,00 bij een saldo tot € 150,00",
        "€ 30,00 plus 10% van het deel boven € 150,00, bij een saldo van € 150,01 tot € 500,00",
        "€ 65,00 plus 5% van het deel boven € 500,00, bij een saldo boven € 500,00, en nooit meer "
        "dan € 2.000,00",
        "ten hoogste € 7,50 per herinnering, vermeerderd met de portkosten",
        "zijn de herinneringen voor de eerste drie gemiste vervaldagen van een kalenderjaar "
        "kosteloos",
        "beginnen de 14 dagen op de derde werkdag na de dag van verzending",
        "voor een herinnering per e-mail, op de dag na de verzending",
        "Een betaling aan ons verschijnt binnen 3 werkdagen in uw dossier, een betaling aan de "
        "schuldeiser binnen 5 werkdagen",
        "Een overschrijvingsopdracht is geen betalingsbewijs",
        "(Wetboek van economisch recht, art. VI.83, 17°)",
        "1 jaar voor goederen die een handelaar aan een consument verkoopt, 5 jaar voor de "
        "levering van energie en water en voor telecomdiensten, en 10 jaar",
        "moet u ze zelf inroepen",
        "Dit is algemene informatie, geen juridisch advies.",
    ],
    "de": [
        "20,00 € bei einem offenen Betrag bis 150,00 €",
        "30,00 € zuzüglich 10 % des Teils über 150,00 €, bei einem offenen Betrag von 150,01 € "
        "bis 500,00 €",
        "65,00 € zuzüglich 5 % des Teils über 500,00 €, bei einem offenen Betrag über 500,00 €, "
        "aber nie mehr als 2.000,00 €",
        "höchstens 7,50 € je Erinnerung zuzüglich Porto",
        "sind die Erinnerungen für die ersten drei versäumten Fälligkeiten eines Kalenderjahres "
        "kostenlos",
        "beginnen die 14 Tage am dritten Werktag nach dem Versandtag",
        "bei einer Erinnerung per E-Mail am Tag nach dem Versand",
        "Eine Zahlung an uns erscheint innerhalb von 3 Werktagen in Ihrer Akte, eine Zahlung an "
        "den Gläubiger innerhalb von 5 Werktagen",
        "Ein Überweisungsauftrag ist kein Zahlungsnachweis",
        "(Wirtschaftsgesetzbuch, Art. VI.83 Nr. 17)",
        "1 Jahr für Waren, die ein Händler an einen Verbraucher verkauft, 5 Jahre für die "
        "Lieferung von Energie und Wasser und für Telekommunikationsdienste und 10 Jahre",
        "müssen Sie sich selbst darauf berufen",
        "Dies ist eine allgemeine Information, keine Rechtsberatung.",
    ],
    "en": [
        "€20.00 on a balance up to €150.00",
        "€30.00 plus 10% of the part above €150.00, on a balance from €150.01 to €500.00",
        "€65.00 plus 5% of the part above €500.00, on a balance above €500.00, and never more "
        "than €2,000.00",
        "Further reminders, at most €7.50 each plus postage",
        "the reminders for the first three missed due dates of a calendar year are free",
        "the 14 days start on the third working day after the day it was sent",
        "for a reminder sent by e-mail, on the day after it was sent",
        "A payment to us appears on your file within 3 working days, a payment to the creditor "
        "within 5 working days",
        "A transfer order is not a proof of payment",
        "(Code of Economic Law, art. VI.83, 17°)",
        "1 year for goods sold by a merchant to a consumer, 5 years for the supply of energy and "
        "water and for telecom services, and 10 years",
        "you must invoke it yourself",
        "This is general information, not legal advice.",
    ],
}

#: What no page may say: the cap as a range from 20, and amounts in a second format.
WRONG = {
    "fr": ["de 20 à 2 000", "EUR", "7,50 euros"],
    "nl": ["20 tot 2.000", "hoogstens 20", "EUR", "7,50 euro "],
    "de": ["20 bis 2.000", "EUR", "7,50 Euro"],
    "en": ["20 to 2,000", "EUR", "7.50 euros"],
}

LANGUAGES = list(LAW)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_rights_page_says_what_the_law_says(client: Client, language: str) -> None:
    text = _text(client, "/rights/", language)

    assert [line for line in LAW[language] if line not in text] == []
    assert [wrong for wrong in WRONG[language] if wrong in text] == []


#: The FAQ's own sentences, in each language: the cap by brackets as a maximum, reminders, the
#: start of the 14 days, when a payment shows, prescription.
FAQ = {
    "fr": [
        "Au plus 20,00 € pour un solde jusqu’à 150,00 € ; au plus 30,00 € plus 10 % de la partie "
        "au-delà de 150,00 € pour un solde jusqu’à 500,00 € ; au plus 65,00 € plus 5 % de la "
        "partie au-delà de 500,00 € pour un solde plus élevé, sans jamais dépasser 2 000,00 €. "
        "Ce sont des maximums",
        "Un rappel suivant coûte au plus 7,50 €, plus les frais postaux.",
        "les rappels des trois premières échéances manquées d’une année civile sont gratuits",
        "Pour un rappel envoyé par la poste, le troisième jour ouvrable après le jour de l’envoi "
        "; pour un rappel envoyé par e-mail, le lendemain de l’envoi.",
        "Un paiement versé sur notre compte apparaît dans votre dossier dans les 3 jours "
        "ouvrables ; un paiement versé au créancier, dans les 5 jours ouvrables.",
        "Un ordre de virement n’est pas une preuve de paiement",
        "une indemnité du même ordre lorsque l’entreprise manque à ses propres obligations",
        "en règle générale un an pour les biens vendus par un commerçant, 5 ans pour l’énergie, "
        "l’eau et les télécommunications, et 10 ans pour les autres dettes",
        "vous devez l’invoquer vous-même",
    ],
    "nl": [
        "Ten hoogste € 20,00 bij een saldo tot € 150,00; ten hoogste € 30,00 plus 10% van het "
        "deel boven € 150,00 bij een saldo tot € 500,00; ten hoogste € 65,00 plus 5% van het deel "
        "boven € 500,00 bij een hoger saldo, en nooit meer dan € 2.000,00. Dit zijn maxima",
        "Een volgende herinnering kost ten hoogste € 7,50, vermeerderd met de portkosten.",
        "zijn de herinneringen voor de eerste drie gemiste vervaldagen van een kalenderjaar "
        "kosteloos",
        "Voor een herinnering per post op de derde werkdag na de dag van verzending; voor een "
        "herinnering per e-mail op de dag na de verzending.",
        "Een betaling aan ons verschijnt binnen 3 werkdagen in uw dossier, een betaling aan de "
        "schuldeiser binnen 5 werkdagen.",
        "Een overschrijvingsopdracht is geen betalingsbewijs",
        "een schadevergoeding van dezelfde orde toekent wanneer de onderneming haar eigen "
        "verplichtingen niet nakomt",
        "in de regel 1 jaar voor goederen die een handelaar verkoopt, 5 jaar voor energie, water "
        "en telecom, en 10 jaar voor andere schulden",
        "u moet ze zelf inroepen",
    ],
    "de": [
        "Höchstens 20,00 € bei einem offenen Betrag bis 150,00 €; höchstens 30,00 € zuzüglich "
        "10 % des Teils über 150,00 € bei einem offenen Betrag bis 500,00 €; höchstens 65,00 € "
        "zuzüglich 5 % des Teils über 500,00 € bei einem höheren Betrag, aber nie mehr als "
        "2.000,00 €. Das sind Höchstbeträge",
        "Eine weitere Erinnerung kostet höchstens 7,50 € zuzüglich Porto.",
        "sind die Erinnerungen für die ersten drei versäumten Fälligkeiten eines Kalenderjahres "
        "kostenlos",
        "Bei einer Erinnerung per Post am dritten Werktag nach dem Versandtag, bei einer "
        "Erinnerung per E-Mail am Tag nach dem Versand.",
        "Eine Zahlung an uns erscheint innerhalb von 3 Werktagen in Ihrer Akte, eine Zahlung an "
        "den Gläubiger innerhalb von 5 Werktagen.",
        "Ein Überweisungsauftrag ist kein Zahlungsnachweis",
        "eine gleichwertige Entschädigung zugesteht, falls das Unternehmen seine eigenen "
        "Pflichten nicht erfüllt",
        "in der Regel 1 Jahr für Waren, die ein Händler verkauft, 5 Jahre für Energie, Wasser und "
        "Telekommunikation und 10 Jahre für andere Schulden",
        "Sie müssen sich selbst darauf berufen",
    ],
    "en": [
        "At most €20.00 on a balance up to €150.00; at most €30.00 plus 10% of the part above "
        "€150.00 on a balance up to €500.00; at most €65.00 plus 5% of the part above €500.00 on "
        "a larger balance, and never more than €2,000.00. These are maximums",
        "A further reminder costs at most €7.50 plus postage.",
        "the reminders for the first three missed due dates of a calendar year are free",
        "For a reminder sent by post, on the third working day after the day it was sent; for a "
        "reminder sent by e-mail, on the day after it was sent.",
        "A payment made to us appears on your file within 3 working days, a payment made to the "
        "creditor within 5 working days.",
        "A transfer order is not a proof of payment",
        "an indemnity of the same order when the enterprise fails in its own obligations",
        "as a rule 1 year for goods sold by a merchant, 5 years for energy, water and telecom, and "
        "10 years for other debts",
        "you must invoke it yourself",
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_faq_says_what_the_law_and_the_agency_say(client: Client, language: str) -> None:
    text = _text(client, "/faq/", language)

    assert [line for line in FAQ[language] if line not in text] == []
    assert [wrong for wrong in WRONG[language] if wrong in text] == []
    # The old promise of 3 working days for every payment is gone.
    assert "three working days" not in text
    assert "trois jours ouvrables" not in text


@pytest.mark.parametrize(
    ("language", "query"),
    [("fr", "prescription"), ("nl", "verjaring"), ("de", "Verjährung"), ("en", "prescription")],
)
def test_the_faq_finds_prescription_in_each_language(
    client: Client, language: str, query: str
) -> None:
    client.cookies["django_language"] = language
    page = client.get("/faq/", {"q": query}).content.decode()
    assert page.count('<section class="faq">') == 1


def test_french_pages_keep_a_no_break_space_before_a_colon_and_a_question_mark(
    client: Client,
) -> None:
    client.cookies["django_language"] = "fr"
    for path in ("/rights/", "/faq/"):
        page = client.get(path).content.decode()
        main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        text = re.sub(r"<[^>]+>", "", main)
        assert re.findall(r"\w [:;?!]", text) == [], path
        assert "En bref\u00a0:" in text or "Quel peut être le montant" in text
