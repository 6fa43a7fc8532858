"""Import of the public FINESS extract into `contracts.Structure` (R-FIN-1, R-FIN-2).

`records` is the source-neutral record type; `csv_adapter` reads the etalab CSV extract into it (a
JSON adapter for the announced daily flux will sit next to it, DESIGN.md "Identifiers");
`importer` writes records to the database; `geography` and `categories` hold the small code tables.
"""
