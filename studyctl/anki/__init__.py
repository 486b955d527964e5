"""Anki interop: export decks to an .apkg that Anki imports (and updates on re-export), and read
.apkg files back into editable YAML decks.

One module per job: `models` (the note types), `markdown` (card text to Anki HTML),
`stamps` (modification times that make re-exports update notes), `export` (the .apkg writer,
through genanki), `apkg` (reading a package safely), `html_text` (Anki HTML back to text) and
`importing` (notes to a deck). genanki is imported only by `models.genanki_models` and
`export`; Anki's own `anki` package (AGPL) is never imported here: the tests use it to prove
that real Anki reads what we write.
"""
