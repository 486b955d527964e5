"""From roadmap + progress + budget + review load to a day plan and a forecast.

Pure functions of their inputs and a date, so any day can be planned (and tested) without a
database or a clock.
"""
