"""The two letters to the client: what they say (``content``, pure), the Word templates
(``templates``) and the rendering of a .docx (``docx``).
"""
