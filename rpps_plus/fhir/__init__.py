"""The Annuaire Santé in FHIR R4 (`/fhir/`): published professionals (Practitioner), their exercise
situations (PractitionerRole) and FINESS structures (Organization), shaped as the ANS guide's
public-data profiles (ansforge/IG-fhir-annuaire, as-dp-*), read-only and anonymous.

`codes` (systems and profiles), `resources` (a row to a resource: only what the directory publishes),
`params` (a FHIR search parameter read or refused), `search` (each resource type's searches, includes
and pages by key), `views` (negotiation, throttle, OperationOutcome errors), `capability` (the
CapabilityStatement read from `search`).
"""
