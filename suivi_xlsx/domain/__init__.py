"""The pure domain: the register as data, its vocabularies, order numbers, deadlines, the
procedure's steps, findings and the checks (``rules``), and the update planner.

Nothing here opens a file: registers come in as ``model.Register`` objects, and what goes
out is data (findings, an update plan) that the reading and writing rooms turn into files.
"""
