"""A throw-away module for tests/test_contributions.py: nothing but its declaration
(``apps.py``), the two functions it names and their templates. It shows a new module
needs no line in any other module to appear on the home page, in the navigation and
in the monthly PDF."""
