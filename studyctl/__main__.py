"""Allow `python -m studyctl`."""

from studyctl.entry import main

if __name__ == "__main__":
    main()
