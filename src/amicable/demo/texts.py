"""What the demo's people write, in the debtor's language (fr, nl, de, en).

A creditor invoices a debtor in the debtor's language, and a debtor writes to the agency in
their own: the products, the invoice descriptions, what a debtor says in a dispute or a plan
request, what an agent answers and notes all come from these small tables, keyed by language.
They are demo data, not interface strings: they are not translated through gettext but written
once per language as a native writer would.
"""

from __future__ import annotations

from amicable.disputes.models import DisputeReason
from amicable.files.models import Sector

__all__ = [
    "COURT_DECISION",
    "DISPUTES",
    "DOCUMENT_TITLES",
    "MEDIATORS",
    "NOTES",
    "OUTCOMES",
    "PLAN_NOTES",
    "PRODUCTS",
    "PROOF_TITLE",
    "language_of",
]

LANGUAGES = ("fr", "nl", "de", "en")

#: What each creditor's invoice is for: a few products per sector and language.
PRODUCTS: dict[Sector, dict[str, tuple[str, ...]]] = {
    Sector.ENERGY: {
        "fr": (
            "Électricité et gaz : facture de régularisation annuelle",
            "Électricité : acomptes mensuels impayés",
            "Gaz naturel : facture de clôture après déménagement",
        ),
        "nl": (
            "Elektriciteit en gas: jaarlijkse afrekening",
            "Elektriciteit: onbetaalde maandelijkse voorschotten",
            "Aardgas: eindafrekening na verhuizing",
        ),
        "de": (
            "Strom und Gas: Jahresabrechnung",
            "Strom: unbezahlte monatliche Abschläge",
            "Erdgas: Schlussrechnung nach Umzug",
        ),
        "en": (
            "Electricity and gas: annual settlement",
            "Electricity: unpaid monthly advances",
            "Natural gas: final bill after moving out",
        ),
    },
    Sector.TELECOM: {
        "fr": (
            "Abonnement mobile et internet",
            "Abonnement internet et télévision",
            "Frais de résiliation anticipée de l'abonnement mobile",
        ),
        "nl": (
            "Gsm- en internetabonnement",
            "Internet- en tv-abonnement",
            "Kosten voor vroegtijdige opzegging van het gsm-abonnement",
        ),
        "de": (
            "Mobilfunk- und Internetvertrag",
            "Internet- und Fernsehvertrag",
            "Gebühr für die vorzeitige Kündigung des Mobilfunkvertrags",
        ),
        "en": (
            "Mobile and internet subscription",
            "Internet and television subscription",
            "Early termination fee for the mobile subscription",
        ),
    },
    Sector.RETAIL: {
        "fr": (
            "Commande en ligne : lave-linge",
            "Commande en ligne : ordinateur portable",
            "Commande en ligne : canapé trois places",
        ),
        "nl": (
            "Onlinebestelling: wasmachine",
            "Onlinebestelling: laptop",
            "Onlinebestelling: driezitsbank",
        ),
        "de": (
            "Online-Bestellung: Waschmaschine",
            "Online-Bestellung: Laptop",
            "Online-Bestellung: Dreisitzer-Sofa",
        ),
        "en": (
            "Online order: washing machine",
            "Online order: laptop",
            "Online order: three-seater sofa",
        ),
    },
}

#: A debtor's dispute: the reason chosen and what they write about it, with the document's name.
DISPUTES: dict[str, tuple[tuple[DisputeReason, str, str], ...]] = {
    "fr": (
        (
            DisputeReason.RETURNED_ITEM,
            "J'ai renvoyé l'article dans les quatorze jours. Vous trouverez le bon de retour "
            "de la poste en annexe.",
            "bon-de-retour.pdf",
        ),
        (
            DisputeReason.CONTRACT_CANCELLED,
            "J'ai résilié le contrat par recommandé avant la période facturée. La lettre de "
            "résiliation est jointe.",
            "lettre-de-resiliation.pdf",
        ),
        (
            DisputeReason.SERVICE_DISPUTED,
            "La connexion n'a jamais fonctionné pendant trois mois ; j'avais déjà contesté "
            "la facture auprès du service clientèle.",
            "plainte-service-clientele.pdf",
        ),
    ),
    "nl": (
        (
            DisputeReason.RETURNED_ITEM,
            "Ik heb het toestel binnen de veertien dagen teruggestuurd. Het verzendbewijs van "
            "de post zit in bijlage.",
            "verzendbewijs-retour.pdf",
        ),
        (
            DisputeReason.CONTRACT_CANCELLED,
            "Ik heb het contract aangetekend opgezegd vóór de gefactureerde periode. De "
            "opzegbrief zit in bijlage.",
            "opzegbrief.pdf",
        ),
        (
            DisputeReason.SERVICE_DISPUTED,
            "De verbinding heeft drie maanden niet gewerkt; ik had de factuur al bij de "
            "klantendienst betwist.",
            "klacht-klantendienst.pdf",
        ),
    ),
    "de": (
        (
            DisputeReason.RETURNED_ITEM,
            "Ich habe das Gerät innerhalb von vierzehn Tagen zurückgeschickt. Den Rücksendebeleg "
            "der Post finden Sie im Anhang.",
            "ruecksendebeleg.pdf",
        ),
        (
            DisputeReason.CONTRACT_CANCELLED,
            "Ich habe den Vertrag per Einschreiben vor dem berechneten Zeitraum gekündigt. Das "
            "Kündigungsschreiben liegt bei.",
            "kuendigungsschreiben.pdf",
        ),
        (
            DisputeReason.SERVICE_DISPUTED,
            "Die Verbindung hat drei Monate lang nicht funktioniert; ich hatte die Rechnung "
            "bereits beim Kundendienst beanstandet.",
            "beschwerde-kundendienst.pdf",
        ),
    ),
    "en": (
        (
            DisputeReason.RETURNED_ITEM,
            "I sent the item back within fourteen days. The post office's return receipt is "
            "attached.",
            "return-receipt.pdf",
        ),
        (
            DisputeReason.CONTRACT_CANCELLED,
            "I cancelled the contract by registered letter before the period invoiced. The "
            "cancellation letter is attached.",
            "cancellation-letter.pdf",
        ),
        (
            DisputeReason.SERVICE_DISPUTED,
            "The connection did not work for three months; I had already disputed the invoice "
            "with customer service.",
            "customer-service-complaint.pdf",
        ),
    ),
}

#: The first line of the demo documents a debtor uploads (their content, one page).
DOCUMENT_TITLES: dict[str, str] = {
    "fr": "Pièce justificative",
    "nl": "Bewijsstuk",
    "de": "Beleg",
    "en": "Supporting document",
}
PROOF_TITLE: dict[str, str] = {
    "fr": "Preuve de virement",
    "nl": "Bewijs van overschrijving",
    "de": "Überweisungsbeleg",
    "en": "Proof of transfer",
}
COURT_DECISION: dict[str, str] = {
    "fr": "Tribunal du travail : ordonnance d'admissibilité au règlement collectif de dettes",
    "nl": "Arbeidsrechtbank: beschikking van toelaatbaarheid tot collectieve schuldenregeling",
    "de": "Arbeitsgericht: Zulässigkeitsbeschluss zur kollektiven Schuldenregelung",
    "en": "Labour court: admissibility order for a collective debt settlement",
}

#: What a debtor writes with a plan request that needs an agent.
PLAN_NOTES: dict[str, str] = {
    "fr": "Je viens de perdre mon emploi ; je peux payer un petit montant chaque mois.",
    "nl": "Ik ben net mijn werk kwijt; ik kan elke maand een klein bedrag betalen.",
    "de": "Ich habe gerade meine Arbeit verloren; ich kann jeden Monat einen kleinen Betrag "
    "zahlen.",
    "en": "I have just lost my job; I can pay a small amount every month.",
}

#: An agent's answer to a dispute, by outcome ("confirm", "cancel"), in the debtor's language.
OUTCOMES: dict[str, dict[str, str]] = {
    "confirm": {
        "fr": "Le créancier nous a transmis le contrat signé et le relevé de consommation : la "
        "somme reste due. Le recouvrement reprend.",
        "nl": "De schuldeiser heeft ons het ondertekende contract en het verbruiksoverzicht "
        "bezorgd: het bedrag blijft verschuldigd. De invordering wordt hervat.",
        "de": "Der Gläubiger hat uns den unterschriebenen Vertrag und die Verbrauchsübersicht "
        "geschickt: Der Betrag bleibt geschuldet. Die Beitreibung wird fortgesetzt.",
        "en": "The creditor sent us the signed contract and the usage statement: the amount is "
        "still owed. Collection resumes.",
    },
    "cancel": {
        "fr": "Le créancier confirme avoir reçu l'article en retour. Nous clôturons le dossier "
        "sans frais.",
        "nl": "De schuldeiser bevestigt dat hij het artikel terug heeft ontvangen. We sluiten "
        "het dossier zonder kosten af.",
        "de": "Der Gläubiger bestätigt den Eingang der Rücksendung. Wir schließen die Akte "
        "ohne Kosten.",
        "en": "The creditor confirms it received the item back. We close the file at no cost.",
    },
}

#: An agent's notes after a call, in the debtor's language (the agent speaks it on the phone).
NOTES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Appel du débiteur : il paiera le solde à la fin du mois.",
        "Le débiteur demande une copie de la facture ; envoyée par e-mail.",
    ),
    "nl": (
        "Oproep van de schuldenaar: betaalt het saldo eind deze maand.",
        "De schuldenaar vraagt een kopie van de factuur; per e-mail verstuurd.",
    ),
    "de": (
        "Anruf des Schuldners: Er zahlt den Restbetrag Ende des Monats.",
        "Der Schuldner bittet um eine Kopie der Rechnung; per E-Mail geschickt.",
    ),
    "en": (
        "Call from the debtor: will pay the balance at the end of the month.",
        "The debtor asks for a copy of the invoice; sent by e-mail.",
    ),
}

#: Debt mediation services by language (CPAS/OCMW/ÖSHZ and recognised centres).
MEDIATORS: dict[str, tuple[str, str]] = {
    "fr": ("Service de médiation de dettes du CPAS", "mediation.dettes@cpas.example"),
    "nl": ("Dienst schuldbemiddeling van het OCMW", "schuldbemiddeling@ocmw.example"),
    "de": ("Schuldnerberatung des ÖSHZ", "schuldnerberatung@oeshz.example"),
    "en": ("Debt mediation service of the CPAS", "debt.mediation@cpas.example"),
}


def language_of(language: str) -> str:
    """``language`` when the tables have it, else English."""
    return language if language in LANGUAGES else "en"
