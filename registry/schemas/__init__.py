"""The API's answers and request bodies as msgspec Structs, one module per area.

Services build these and entry points return them as they are: the JSON an integrator reads is the
Struct, field for field, and the OpenAPI schema is generated from the same classes. Field names are
the wire names (``license_number``, not ``licence_number``); codes are the ``StrEnum``s of
``registry.codes``. A field that the contract always sends, even as ``null``, has no default, so
msgspec never leaves it out.
"""
