"""Follow-up reminders (*relances*): what each person must do next (``compute``, pure) and
the files that carry it (workbook and calendar).
"""
