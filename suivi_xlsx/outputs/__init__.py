"""The files and text the tool creates: the annual summary (``summary``), the follow-up lists
and calendar (``followup``), the letters (``letters``), the blank register (``template``), and
the console report (``render``). ``files`` is the one way a new output file is written.
"""
