"""The state of every Kleine Anfrage: the four-week clock, co-signatures and sending.

* ``clock`` – deadlines (Eingang, Frist, Freigabe) and the dates a clerk types;
* ``drafts`` – what the output folder holds of a draft, read from disk (never rendered);
* ``rows`` – one row per registered Anfrage for ``anfrage status`` (table, JSON);
* ``calendar`` – the deadlines as an iCalendar file for Outlook;
* ``yamledit`` – surgical edits of an Anfrage file that keep its layout and comments;
* ``record`` – ``anfrage mitzeichnung`` and the ``versandt:`` mark;
* ``wordfile`` – pending tracked changes in a DOCX;
* ``versand`` – the gate before sending and the sending itself.
"""
