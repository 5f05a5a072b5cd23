"""The annual summary (*bilan annuel*): the yearly figures (``stats``, pure) and the workbook
that shows them.
"""
