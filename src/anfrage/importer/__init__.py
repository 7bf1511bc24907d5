"""Import stage: Kleine Anfragen from their Drucksache (PDF or text) into Anfrage records."""
