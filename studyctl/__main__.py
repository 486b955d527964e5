"""Allow `python -m studyctl`."""

from studyctl.cli import main

if __name__ == "__main__":
    main()
