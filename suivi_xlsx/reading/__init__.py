"""Reading a register: the workbook's parse, the header and column matching, row kinds, and
the reader that turns a workbook into a ``domain.model.Register``.

Only reads files; never writes. Value coercion itself is pure and lives in
``domain.values``, so that every command reads a cell the same way.
"""
