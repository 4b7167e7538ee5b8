package web

// Help texts shared by the staff report form and the forms for outsiders
// (issue 12), so that everyone who reports reads the same explanation.
const (
	helpWhatHappened = "Vertel in uw eigen woorden wat er gebeurde, bijvoorbeeld: ‘Ik ben mijn USB-stick met de cijferlijst van groep 7 verloren in de bus.’ Noem alleen namen van leerlingen als dat echt nodig is."
	helpOccurredFrom = "Weet u het niet precies? Vul een schatting in, of laat het leeg."
	helpSchool       = "Kies de school waar het gebeurde of waarvan de gegevens zijn."
	helpDataKinds    = "Kies alles wat van toepassing is. Let vooral op gevoelige gegevens: zorg en gedrag, gezondheid, inloggegevens, financiële gegevens en kopieën van identiteitsbewijzen."
	helpPersonalData = "Persoonsgegevens zeggen iets over een persoon: een naam, adres, geboortedatum of e-mailadres met een naam erin, maar ook een leerlingnummer, personeelsnummer of IP-adres."
	helpSubjects     = "Een schatting is goed, bijvoorbeeld 30 voor een klas. Weet u het niet, laat het dan leeg."
	helpActionsTaken = "Bijvoorbeeld: wachtwoord gewijzigd, de ontvanger gevraagd de e-mail te verwijderen, de gevonden-voorwerpenbalie gebeld."
)
