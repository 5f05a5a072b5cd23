"""The OpenDocument spreadsheet (.ods): locating cells in ``content.xml``, patching them,
the live highlighting (ODF conditional formats) and writing the package back.

python-calamine reads .ods for every reading command; this room serves ``suivi update``.
"""
