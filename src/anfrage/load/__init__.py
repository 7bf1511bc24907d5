"""Load stage: the catalogues of a workspace (``catalogue``) and its series (``series``)."""
