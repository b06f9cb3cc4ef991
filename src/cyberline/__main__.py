"""`python -m cyberline`: the same as the `cyberline` command."""

from cyberline.cli import main

if __name__ == "__main__":
    main()
