"""Real passages (whitespace joined) from corpus/, shared by the faithfulness checker tests."""

INKOOP = (
    "De gemeente Zoetermeer koopt samen met de andere negen gemeenten van de jeugdregio Haaglanden "
    "(hoog)specialistische jeugdhulp in. Het H10 Inkoopbureau ondersteunt de gemeenten hierbij. Van 2015 "
    "t/m 2019 is de jeugdhulp prestatiegericht ingekocht. Vanaf 2020 start de regio met een resultaatgericht "
    "stelsel. Dit stelsel past beter bij de '1 gezin, 1 plan, 1 regisseur' gedachte van de Jeugdwet en wordt "
    "gestuurd op effectievere en efficiëntere inzet van het jeugdhulpbudget. Resultaatgericht werken stimuleert "
    "zowel gemeenten als jeugdhulpaanbieders om de transformatie in praktijk te brengen."
)
FINANCIEN = (
    "De maatregelen die onderdeel zijn van de Hervormingsagenda Jeugd lopen landelijk vanaf 2023 van € 374 mln. "
    "op naar bijna € 1 mld. vanaf 2027. Met het vaststellen van de Hervormingsagenda Jeugd hebben de gemeenten "
    "zich gecommitteerd aan het realiseren van een kostenverlaging van de jeugdzorg. Voor Zoetermeer betekent "
    "dit dat er vanaf 2027 ongeveer € 6,8 mln. minder budget voor de specialistische jeugdhulp beschikbaar is. "
    "De gevolgen voor de gemeente Zoetermeer zijn verwerkt in de begroting. Via de Perspectiefnota 2025 is een "
    "taakstelling opgenomen van € 3 mln. in 2025, € 7 mln. in 2026 en daarna jaarlijks oplopend met € 1 mln."
)
KANSRIJK = (
    "Bij ongeveer 19% van de Zoetermeerse jeugdigen is bij sprake van een te laag geboortegewicht, "
    "vroeggeboorte of een combinatie daarvan. Deze jeugdigen hebben meer risico op fysieke en mentale "
    "problemen. De gemeente Zoetermeer wil daarom participeren in het landelijke actieprogramma Kansrijke "
    "Start van het Ministerie voor Volksgezondheid Welzijn en Sport (VWS). Dit programma vraagt aandacht voor "
    "de eerste 1000 dagen in het leven van een kind."
)
MOTIES = (
    "Jeugdzorg - Afbakenen en normaliseren (2106-16) afgedaan op 16-12-2021 Jeugdzorg - Kortingen wel of niet "
    "terecht (2106-17) afgedaan op 15-12-2021 Jeugdzorg - Bewezen effectief (2106-18) de afdoening van deze "
    "motie volgt uiterlijk 31-12-2023 Jeugdzorg - Wachttijden (2106-19) afgedaan op 15-12-2021"
)
BESLUIT = (
    "b. Te onderzoeken welke organisatievorm van de stevige lokale teams het best passend is voor Zoetermeer "
    "en besluitvorming door de raad in Q1 2025 kan plaatsvinden; c. Te onderzoeken hoe het voorliggend veld "
    "verder vorm kan worden gegeven. In Q3 en Q4 van 2024 vindt nader onderzoek plaats naar de verschillende "
    "inrichtingsvormen van stevige lokale teams."
)
VVTZ = (
    "In 2014 is gekozen voor een Veilig Verder Team in Zoetermeer (VVTZ). Uit een eerdere evaluatie kwam naar "
    "voren dat cliënten tevreden zijn over de werkwijze. De gekozen constructie, met een team bestaande uit "
    "medewerkers van meerdere organisaties, heeft in de uitvoering echter onvoldoende meerwaarde."
)
OCR = (
    "® Programma VoorZorg: e Eris geinvesteerd in het netwerk, zodat kwetsbare zwangeren beter bereikt worden. "
    "e Erzijn 11 zorgpaden ontwikkeld die verloskundigen kunnen gebruiken om zwangeren toe te leiden naar "
    "ondersteuning. e Metingang van 2020 is de Verordening Jeugdhulp gemeente Zoetermeer 2015 gewijzigd."
)
REGIO = (
    "Gemeenten werken met elkaar samen in 42 jeugdregio’s. Dit heeft te maken met de schaal waarop "
    "jeugdhulpinstellingen werken en de beschikbaarheid van specialistische zorg en expertise. • Alle gemeenten "
    "geven de organisatie van de preventieve taken en vroegtijdige onderkenning lokaal vorm. Dat geldt meestal "
    "ook voor ambulante hulp."
)
